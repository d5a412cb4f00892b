// Original file: proto/baton.proto

import type { AutoscaleBounds as _baton_v1_AutoscaleBounds, AutoscaleBounds__Output as _baton_v1_AutoscaleBounds__Output } from '../../baton/v1/AutoscaleBounds.js';
import type { AutoscaleDecisionInfo as _baton_v1_AutoscaleDecisionInfo, AutoscaleDecisionInfo__Output as _baton_v1_AutoscaleDecisionInfo__Output } from '../../baton/v1/AutoscaleDecisionInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface AutoscaleServiceStatus {
  'stack'?: (string);
  'service'?: (string);
  'bounds'?: (_baton_v1_AutoscaleBounds | null);
  'replicas'?: (number);
  'window_ms'?: (number | string | Long);
  'scale_up_window_ms'?: (number | string | Long);
  'scale_down_window_ms'?: (number | string | Long);
  'cooldown_ms'?: (number | string | Long);
  'max_step'?: (number);
  'tolerance'?: (number | string);
  'last'?: (_baton_v1_AutoscaleDecisionInfo | null);
  'last_change_at_ms'?: (number | string | Long);
  'last_change_from'?: (number);
  'last_change_to'?: (number);
  'last_change_reason'?: (string);
  'samples'?: (number);
}

export interface AutoscaleServiceStatus__Output {
  'stack': (string);
  'service': (string);
  'bounds': (_baton_v1_AutoscaleBounds__Output | null);
  'replicas': (number);
  'window_ms': (number);
  'scale_up_window_ms': (number);
  'scale_down_window_ms': (number);
  'cooldown_ms': (number);
  'max_step': (number);
  'tolerance': (number);
  'last': (_baton_v1_AutoscaleDecisionInfo__Output | null);
  'last_change_at_ms': (number);
  'last_change_from': (number);
  'last_change_to': (number);
  'last_change_reason': (string);
  'samples': (number);
}
