// Original file: proto/baton.proto

import type { HistoryEntry as _baton_v1_HistoryEntry, HistoryEntry__Output as _baton_v1_HistoryEntry__Output } from '../../baton/v1/HistoryEntry.js';

export interface HistoryResponse {
  'stack'?: (string);
  'service'?: (string);
  'entries'?: (_baton_v1_HistoryEntry)[];
}

export interface HistoryResponse__Output {
  'stack': (string);
  'service': (string);
  'entries': (_baton_v1_HistoryEntry__Output)[];
}
