// Original file: proto/baton.proto

import type { PortRef as _baton_v1_PortRef, PortRef__Output as _baton_v1_PortRef__Output } from '../../baton/v1/PortRef.js';
import type { IngressPort as _baton_v1_IngressPort, IngressPort__Output as _baton_v1_IngressPort__Output } from '../../baton/v1/IngressPort.js';
import type { Endpoint as _baton_v1_Endpoint, Endpoint__Output as _baton_v1_Endpoint__Output } from '../../baton/v1/Endpoint.js';

export interface IngressService {
  'stack'?: (string);
  'service'?: (string);
  'vip'?: (string);
  'target_ports'?: (_baton_v1_PortRef)[];
  'published'?: (_baton_v1_IngressPort)[];
  'excluded'?: (boolean);
  'prefer_local'?: (boolean);
  'endpoints'?: (_baton_v1_Endpoint)[];
}

export interface IngressService__Output {
  'stack': (string);
  'service': (string);
  'vip': (string);
  'target_ports': (_baton_v1_PortRef__Output)[];
  'published': (_baton_v1_IngressPort__Output)[];
  'excluded': (boolean);
  'prefer_local': (boolean);
  'endpoints': (_baton_v1_Endpoint__Output)[];
}
