// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Ulimit {
  'soft'?: (number | string | Long);
  'hard'?: (number | string | Long);
}

export interface Ulimit__Output {
  'soft': (number);
  'hard': (number);
}
