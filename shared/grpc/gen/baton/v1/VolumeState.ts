// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface VolumeState {
  'name'?: (string);
  'stack'?: (string);
  'key'?: (string);
  'driver'?: (string);
  'created_at_ms'?: (number | string | Long);
  'in_use'?: (boolean);
}

export interface VolumeState__Output {
  'name': (string);
  'stack': (string);
  'key': (string);
  'driver': (string);
  'created_at_ms': (number);
  'in_use': (boolean);
}
