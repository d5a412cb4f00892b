// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface RollbackResponse {
  'stack'?: (string);
  'service'?: (string);
  'from'?: (number | string | Long);
  'restores'?: (number | string | Long);
  'generation'?: (number | string | Long);
}

export interface RollbackResponse__Output {
  'stack': (string);
  'service': (string);
  'from': (number);
  'restores': (number);
  'generation': (number);
}
