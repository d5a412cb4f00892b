// Original file: proto/baton.proto

import type { VolumeRefusal as _baton_v1_VolumeRefusal, VolumeRefusal__Output as _baton_v1_VolumeRefusal__Output } from '../../baton/v1/VolumeRefusal.js';

export interface RemoveVolumesResult {
  'removed'?: (string)[];
  'refused'?: (_baton_v1_VolumeRefusal)[];
}

export interface RemoveVolumesResult__Output {
  'removed': (string)[];
  'refused': (_baton_v1_VolumeRefusal__Output)[];
}
