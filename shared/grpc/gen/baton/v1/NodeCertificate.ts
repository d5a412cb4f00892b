// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface NodeCertificate {
  'certificate_pem'?: (string);
  'ca_pem'?: (string);
  'not_after_ms'?: (number | string | Long);
}

export interface NodeCertificate__Output {
  'certificate_pem': (string);
  'ca_pem': (string);
  'not_after_ms': (number);
}
