// Original file: proto/baton.proto

import type { AutoscaleReading as _baton_v1_AutoscaleReading, AutoscaleReading__Output as _baton_v1_AutoscaleReading__Output } from '../../baton/v1/AutoscaleReading.js';
import type { Long } from '@grpc/proto-loader';

export interface AutoscaleDecisionInfo {
  'at_ms'?: (number | string | Long);
  'kind'?: (string);
  'current'?: (number);
  'desired'?: (number);
  'counted'?: (number);
  'excluded'?: (number);
  'readings'?: (_baton_v1_AutoscaleReading)[];
  'reason'?: (string);
}

export interface AutoscaleDecisionInfo__Output {
  'at_ms': (number);
  'kind': (string);
  'current': (number);
  'desired': (number);
  'counted': (number);
  'excluded': (number);
  'readings': (_baton_v1_AutoscaleReading__Output)[];
  'reason': (string);
}
