// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface HistoryEntry {
  'generation'?: (number | string | Long);
  'at_ms'?: (number | string | Long);
  'image'?: (string);
  'change'?: (string);
  'outcome'?: (string);
  'reason'?: (string);
  'current'?: (boolean);
}

export interface HistoryEntry__Output {
  'generation': (number);
  'at_ms': (number);
  'image': (string);
  'change': (string);
  'outcome': (string);
  'reason': (string);
  'current': (boolean);
}
