// Original file: proto/baton.proto

import type { IngressService as _baton_v1_IngressService, IngressService__Output as _baton_v1_IngressService__Output } from '../../baton/v1/IngressService.js';
import type { Long } from '@grpc/proto-loader';

export interface EndpointSet {
  'version'?: (number | string | Long);
  'services'?: (_baton_v1_IngressService)[];
}

export interface EndpointSet__Output {
  'version': (number);
  'services': (_baton_v1_IngressService__Output)[];
}
