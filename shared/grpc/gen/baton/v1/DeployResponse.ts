// Original file: proto/baton.proto

import type { ServiceChange as _baton_v1_ServiceChange, ServiceChange__Output as _baton_v1_ServiceChange__Output } from '../../baton/v1/ServiceChange.js';
import type { UnplacedReplica as _baton_v1_UnplacedReplica, UnplacedReplica__Output as _baton_v1_UnplacedReplica__Output } from '../../baton/v1/UnplacedReplica.js';
import type { Long } from '@grpc/proto-loader';

export interface DeployResponse {
  'stack'?: (string);
  'generation'?: (number | string | Long);
  'changes'?: (_baton_v1_ServiceChange)[];
  'unplaced'?: (_baton_v1_UnplacedReplica)[];
  'warnings'?: (string)[];
}

export interface DeployResponse__Output {
  'stack': (string);
  'generation': (number);
  'changes': (_baton_v1_ServiceChange__Output)[];
  'unplaced': (_baton_v1_UnplacedReplica__Output)[];
  'warnings': (string)[];
}
