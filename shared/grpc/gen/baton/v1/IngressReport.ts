// Original file: proto/baton.proto

import type { IngressPortState as _baton_v1_IngressPortState, IngressPortState__Output as _baton_v1_IngressPortState__Output } from '../../baton/v1/IngressPortState.js';
import type { IngressCounters as _baton_v1_IngressCounters, IngressCounters__Output as _baton_v1_IngressCounters__Output } from '../../baton/v1/IngressCounters.js';
import type { EndpointConnections as _baton_v1_EndpointConnections, EndpointConnections__Output as _baton_v1_EndpointConnections__Output } from '../../baton/v1/EndpointConnections.js';
import type { Long } from '@grpc/proto-loader';

export interface IngressReport {
  'applied_version'?: (number | string | Long);
  'ports'?: (_baton_v1_IngressPortState)[];
  'counters'?: (_baton_v1_IngressCounters)[];
  'connections'?: (_baton_v1_EndpointConnections)[];
  'error'?: (string);
}

export interface IngressReport__Output {
  'applied_version': (number);
  'ports': (_baton_v1_IngressPortState__Output)[];
  'counters': (_baton_v1_IngressCounters__Output)[];
  'connections': (_baton_v1_EndpointConnections__Output)[];
  'error': (string);
}
