// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface ServiceChange {
  'service'?: (string);
  'change'?: (string);
  'replicas'?: (number);
  'generation'?: (number | string | Long);
}

export interface ServiceChange__Output {
  'service': (string);
  'change': (string);
  'replicas': (number);
  'generation': (number);
}
