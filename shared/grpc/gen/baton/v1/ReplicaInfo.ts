// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicaInfo {
  'stack'?: (string);
  'service'?: (string);
  'replica'?: (number);
  'allocation_id'?: (string);
  'node'?: (string);
  'container_id'?: (string);
  'state'?: (string);
  'desired'?: (string);
  'generation'?: (number | string | Long);
  'restarts'?: (number);
  'cpu_percent'?: (number | string);
  'memory_bytes'?: (number | string | Long);
  'since_ms'?: (number | string | Long);
  'error'?: (string);
  'health'?: (string);
  'health_output'?: (string);
}

export interface ReplicaInfo__Output {
  'stack': (string);
  'service': (string);
  'replica': (number);
  'allocation_id': (string);
  'node': (string);
  'container_id': (string);
  'state': (string);
  'desired': (string);
  'generation': (number);
  'restarts': (number);
  'cpu_percent': (number);
  'memory_bytes': (number);
  'since_ms': (number);
  'error': (string);
  'health': (string);
  'health_output': (string);
}
