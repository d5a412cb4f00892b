// Original file: proto/baton.proto

import type { NodeStatus as _baton_v1_NodeStatus, NodeStatus__Output as _baton_v1_NodeStatus__Output } from '../../baton/v1/NodeStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeVolumes {
  'node_id'?: (string);
  'node'?: (string);
  'status'?: (_baton_v1_NodeStatus);
  'connected'?: (boolean);
  'known'?: (boolean);
  'reported_at_ms'?: (number | string | Long);
  'pending_removals'?: (string)[];
}

export interface NodeVolumes__Output {
  'node_id': (string);
  'node': (string);
  'status': (_baton_v1_NodeStatus__Output);
  'connected': (boolean);
  'known': (boolean);
  'reported_at_ms': (number);
  'pending_removals': (string)[];
}
