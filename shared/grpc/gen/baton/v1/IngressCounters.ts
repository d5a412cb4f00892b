// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface IngressCounters {
  'stack'?: (string);
  'service'?: (string);
  'connections'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'failed_forwards'?: (number | string | Long);
}

export interface IngressCounters__Output {
  'stack': (string);
  'service': (string);
  'connections': (number);
  'bytes': (number);
  'failed_forwards': (number);
}
