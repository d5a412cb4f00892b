// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateCredentialRequest {
  'name'?: (string);
  'role'?: (string);
  'ttl_ms'?: (number | string | Long);
}

export interface CreateCredentialRequest__Output {
  'name': (string);
  'role': (string);
  'ttl_ms': (number);
}
