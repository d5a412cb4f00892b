// Original file: proto/baton.proto

import type { ReplicaState as _baton_v1_ReplicaState, ReplicaState__Output as _baton_v1_ReplicaState__Output } from '../../baton/v1/ReplicaState.js';
import type { Long } from '@grpc/proto-loader';

export interface ContainerEvent {
  'allocation_id'?: (string);
  'container_id'?: (string);
  'exit_code'?: (number);
  'error'?: (string);
  'at_ms'?: (number | string | Long);
  'restarts'?: (number);
  'state'?: (_baton_v1_ReplicaState);
  'health'?: (string);
  'health_output'?: (string);
}

export interface ContainerEvent__Output {
  'allocation_id': (string);
  'container_id': (string);
  'exit_code': (number);
  'error': (string);
  'at_ms': (number);
  'restarts': (number);
  'state': (_baton_v1_ReplicaState__Output);
  'health': (string);
  'health_output': (string);
}
