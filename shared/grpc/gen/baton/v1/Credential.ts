// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Credential {
  'name'?: (string);
  'role'?: (string);
  'ca_pem'?: (string);
  'certificate_pem'?: (string);
  'key_pem'?: (string);
  'not_after_ms'?: (number | string | Long);
}

export interface Credential__Output {
  'name': (string);
  'role': (string);
  'ca_pem': (string);
  'certificate_pem': (string);
  'key_pem': (string);
  'not_after_ms': (number);
}
