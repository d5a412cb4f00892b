// Original file: proto/baton.proto

import type { UnplacedReplica as _baton_v1_UnplacedReplica, UnplacedReplica__Output as _baton_v1_UnplacedReplica__Output } from '../../baton/v1/UnplacedReplica.js';

export interface ScaleResponse {
  'stack'?: (string);
  'service'?: (string);
  'from'?: (number);
  'to'?: (number);
  'unplaced'?: (_baton_v1_UnplacedReplica)[];
}

export interface ScaleResponse__Output {
  'stack': (string);
  'service': (string);
  'from': (number);
  'to': (number);
  'unplaced': (_baton_v1_UnplacedReplica__Output)[];
}
