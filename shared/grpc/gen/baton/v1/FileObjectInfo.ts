// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface FileObjectInfo {
  'name'?: (string);
  'size_bytes'?: (number | string | Long);
  'created_at_ms'?: (number | string | Long);
  'stack'?: (string);
  'used_by'?: (string)[];
}

export interface FileObjectInfo__Output {
  'name': (string);
  'size_bytes': (number);
  'created_at_ms': (number);
  'stack': (string);
  'used_by': (string)[];
}
