// Original file: proto/baton.proto

import type { IngressPortState as _baton_v1_IngressPortState, IngressPortState__Output as _baton_v1_IngressPortState__Output } from '../../baton/v1/IngressPortState.js';
import type { Route as _baton_v1_Route, Route__Output as _baton_v1_Route__Output } from '../../baton/v1/Route.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeRoutes {
  'node_id'?: (string);
  'node'?: (string);
  'applied_version'?: (number | string | Long);
  'current_version'?: (number | string | Long);
  'ports'?: (_baton_v1_IngressPortState)[];
  'routes'?: (_baton_v1_Route)[];
}

export interface NodeRoutes__Output {
  'node_id': (string);
  'node': (string);
  'applied_version': (number);
  'current_version': (number);
  'ports': (_baton_v1_IngressPortState__Output)[];
  'routes': (_baton_v1_Route__Output)[];
}
