// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Capacity {
  'cpu_millis'?: (number | string | Long);
  'memory_bytes'?: (number | string | Long);
  'disk_bytes'?: (number | string | Long);
}

export interface Capacity__Output {
  'cpu_millis': (number);
  'memory_bytes': (number);
  'disk_bytes': (number);
}
