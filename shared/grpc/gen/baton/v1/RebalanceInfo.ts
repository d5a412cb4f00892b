// Original file: proto/baton.proto

import type { RebalanceMove as _baton_v1_RebalanceMove, RebalanceMove__Output as _baton_v1_RebalanceMove__Output } from '../../baton/v1/RebalanceMove.js';
import type { RebalanceLoad as _baton_v1_RebalanceLoad, RebalanceLoad__Output as _baton_v1_RebalanceLoad__Output } from '../../baton/v1/RebalanceLoad.js';
import type { RebalanceSkipped as _baton_v1_RebalanceSkipped, RebalanceSkipped__Output as _baton_v1_RebalanceSkipped__Output } from '../../baton/v1/RebalanceSkipped.js';
import type { Long } from '@grpc/proto-loader';

export interface RebalanceInfo {
  'id'?: (string);
  'strategy'?: (string);
  'dry_run'?: (boolean);
  'state'?: (string);
  'moves'?: (_baton_v1_RebalanceMove)[];
  'before'?: (_baton_v1_RebalanceLoad | null);
  'after'?: (_baton_v1_RebalanceLoad | null);
  'freed'?: (string)[];
  'reason'?: (string);
  'skipped'?: (_baton_v1_RebalanceSkipped)[];
  'started_at_ms'?: (number | string | Long);
  'finished_at_ms'?: (number | string | Long);
}

export interface RebalanceInfo__Output {
  'id': (string);
  'strategy': (string);
  'dry_run': (boolean);
  'state': (string);
  'moves': (_baton_v1_RebalanceMove__Output)[];
  'before': (_baton_v1_RebalanceLoad__Output | null);
  'after': (_baton_v1_RebalanceLoad__Output | null);
  'freed': (string)[];
  'reason': (string);
  'skipped': (_baton_v1_RebalanceSkipped__Output)[];
  'started_at_ms': (number);
  'finished_at_ms': (number);
}
