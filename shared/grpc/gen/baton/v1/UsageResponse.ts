// Original file: proto/baton.proto

import type { UsageRow as _baton_v1_UsageRow, UsageRow__Output as _baton_v1_UsageRow__Output } from '../../baton/v1/UsageRow.js';
import type { UsageHint as _baton_v1_UsageHint, UsageHint__Output as _baton_v1_UsageHint__Output } from '../../baton/v1/UsageHint.js';
import type { Long } from '@grpc/proto-loader';

export interface UsageResponse {
  'by'?: (string);
  'from_ms'?: (number | string | Long);
  'to_ms'?: (number | string | Long);
  'rows'?: (_baton_v1_UsageRow)[];
  'hints'?: (_baton_v1_UsageHint)[];
  'resolution'?: (string);
}

export interface UsageResponse__Output {
  'by': (string);
  'from_ms': (number);
  'to_ms': (number);
  'rows': (_baton_v1_UsageRow__Output)[];
  'hints': (_baton_v1_UsageHint__Output)[];
  'resolution': (string);
}
