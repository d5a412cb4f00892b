// Original file: proto/baton.proto

import type { NodeInfo as _baton_v1_NodeInfo, NodeInfo__Output as _baton_v1_NodeInfo__Output } from '../../baton/v1/NodeInfo.js';

export interface ListNodesResponse {
  'nodes'?: (_baton_v1_NodeInfo)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_baton_v1_NodeInfo__Output)[];
}
