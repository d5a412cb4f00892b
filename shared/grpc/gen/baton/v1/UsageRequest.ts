// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface UsageRequest {
  'since_ms'?: (number | string | Long);
  'by'?: (string);
  'hints'?: (boolean);
}

export interface UsageRequest__Output {
  'since_ms': (number);
  'by': (string);
  'hints': (boolean);
}
