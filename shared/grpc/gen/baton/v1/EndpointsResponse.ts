// Original file: proto/baton.proto

import type { PortRef as _baton_v1_PortRef, PortRef__Output as _baton_v1_PortRef__Output } from '../../baton/v1/PortRef.js';
import type { IngressPort as _baton_v1_IngressPort, IngressPort__Output as _baton_v1_IngressPort__Output } from '../../baton/v1/IngressPort.js';
import type { NodeRoutes as _baton_v1_NodeRoutes, NodeRoutes__Output as _baton_v1_NodeRoutes__Output } from '../../baton/v1/NodeRoutes.js';

export interface EndpointsResponse {
  'stack'?: (string);
  'service'?: (string);
  'vip'?: (string);
  'target_ports'?: (_baton_v1_PortRef)[];
  'published'?: (_baton_v1_IngressPort)[];
  'nodes'?: (_baton_v1_NodeRoutes)[];
}

export interface EndpointsResponse__Output {
  'stack': (string);
  'service': (string);
  'vip': (string);
  'target_ports': (_baton_v1_PortRef__Output)[];
  'published': (_baton_v1_IngressPort__Output)[];
  'nodes': (_baton_v1_NodeRoutes__Output)[];
}
