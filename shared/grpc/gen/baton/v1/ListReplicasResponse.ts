// Original file: proto/baton.proto

import type { ReplicaInfo as _baton_v1_ReplicaInfo, ReplicaInfo__Output as _baton_v1_ReplicaInfo__Output } from '../../baton/v1/ReplicaInfo.js';

export interface ListReplicasResponse {
  'replicas'?: (_baton_v1_ReplicaInfo)[];
}

export interface ListReplicasResponse__Output {
  'replicas': (_baton_v1_ReplicaInfo__Output)[];
}
