// Original file: proto/baton.proto

import type { PortMapping as _baton_v1_PortMapping, PortMapping__Output as _baton_v1_PortMapping__Output } from '../../baton/v1/PortMapping.js';

export interface Endpoint {
  'allocation_id'?: (string);
  'node_id'?: (string);
  'node_address'?: (string);
  'container_ip'?: (string);
  'ports'?: (_baton_v1_PortMapping)[];
  'replica'?: (number);
}

export interface Endpoint__Output {
  'allocation_id': (string);
  'node_id': (string);
  'node_address': (string);
  'container_ip': (string);
  'ports': (_baton_v1_PortMapping__Output)[];
  'replica': (number);
}
