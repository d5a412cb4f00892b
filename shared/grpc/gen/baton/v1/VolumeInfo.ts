// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface VolumeInfo {
  'node_id'?: (string);
  'node'?: (string);
  'name'?: (string);
  'stack'?: (string);
  'key'?: (string);
  'driver'?: (string);
  'created_at_ms'?: (number | string | Long);
  'in_use'?: (boolean);
  'stale'?: (boolean);
  'reported_at_ms'?: (number | string | Long);
  'removal_error'?: (string);
}

export interface VolumeInfo__Output {
  'node_id': (string);
  'node': (string);
  'name': (string);
  'stack': (string);
  'key': (string);
  'driver': (string);
  'created_at_ms': (number);
  'in_use': (boolean);
  'stale': (boolean);
  'reported_at_ms': (number);
  'removal_error': (string);
}
