// Original file: proto/baton.proto

import type { VolumeState as _baton_v1_VolumeState, VolumeState__Output as _baton_v1_VolumeState__Output } from '../../baton/v1/VolumeState.js';

export interface VolumeInventory {
  'volumes'?: (_baton_v1_VolumeState)[];
}

export interface VolumeInventory__Output {
  'volumes': (_baton_v1_VolumeState__Output)[];
}
