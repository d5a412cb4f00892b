// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface ContainerEvent {
  'allocation_id'?: (string);
  'state'?: (string);
  'container_id'?: (string);
  'exit_code'?: (number);
  'error'?: (string);
  'at_ms'?: (number | string | Long);
  'restarts'?: (number);
}

export interface ContainerEvent__Output {
  'allocation_id': (string);
  'state': (string);
  'container_id': (string);
  'exit_code': (number);
  'error': (string);
  'at_ms': (number);
  'restarts': (number);
}
