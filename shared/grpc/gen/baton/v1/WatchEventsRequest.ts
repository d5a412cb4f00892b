// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchEventsRequest {
  'since_seq'?: (number | string | Long);
  'replay'?: (boolean);
}

export interface WatchEventsRequest__Output {
  'since_seq': (number);
  'replay': (boolean);
}
