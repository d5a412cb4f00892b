// Original file: proto/baton.proto

import type { VolumeInfo as _baton_v1_VolumeInfo, VolumeInfo__Output as _baton_v1_VolumeInfo__Output } from '../../baton/v1/VolumeInfo.js';
import type { NodeVolumes as _baton_v1_NodeVolumes, NodeVolumes__Output as _baton_v1_NodeVolumes__Output } from '../../baton/v1/NodeVolumes.js';

export interface ListVolumesResponse {
  'volumes'?: (_baton_v1_VolumeInfo)[];
  'nodes'?: (_baton_v1_NodeVolumes)[];
}

export interface ListVolumesResponse__Output {
  'volumes': (_baton_v1_VolumeInfo__Output)[];
  'nodes': (_baton_v1_NodeVolumes__Output)[];
}
