// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface TopRow {
  'group'?: (string);
  'replicas'?: (number);
  'cpu_cores'?: (number | string);
  'cpu_reserved_cores'?: (number | string);
  'memory_bytes'?: (number | string | Long);
  'memory_reserved_bytes'?: (number | string | Long);
  'cpu_share'?: (number | string);
  'memory_share'?: (number | string);
}

export interface TopRow__Output {
  'group': (string);
  'replicas': (number);
  'cpu_cores': (number);
  'cpu_reserved_cores': (number);
  'memory_bytes': (number);
  'memory_reserved_bytes': (number);
  'cpu_share': (number);
  'memory_share': (number);
}
