// Original file: proto/baton.proto

import type { RestartCondition as _baton_v1_RestartCondition, RestartCondition__Output as _baton_v1_RestartCondition__Output } from '../../baton/v1/RestartCondition.js';
import type { Long } from '@grpc/proto-loader';

export interface RestartPolicy {
  'condition'?: (_baton_v1_RestartCondition);
  'delay_ms'?: (number | string | Long);
  'max_attempts'?: (number);
  'window_ms'?: (number | string | Long);
}

export interface RestartPolicy__Output {
  'condition': (_baton_v1_RestartCondition__Output);
  'delay_ms': (number);
  'max_attempts': (number);
  'window_ms': (number);
}
