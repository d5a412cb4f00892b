// Original file: proto/baton.proto

import type { AutoscaleServiceStatus as _baton_v1_AutoscaleServiceStatus, AutoscaleServiceStatus__Output as _baton_v1_AutoscaleServiceStatus__Output } from '../../baton/v1/AutoscaleServiceStatus.js';

export interface AutoscaleStatusResponse {
  'services'?: (_baton_v1_AutoscaleServiceStatus)[];
}

export interface AutoscaleStatusResponse__Output {
  'services': (_baton_v1_AutoscaleServiceStatus__Output)[];
}
