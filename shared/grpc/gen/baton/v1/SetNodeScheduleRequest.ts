// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface SetNodeScheduleRequest {
  'node'?: (string);
  'action'?: (string);
  'deadline_ms'?: (number | string | Long);
}

export interface SetNodeScheduleRequest__Output {
  'node': (string);
  'action': (string);
  'deadline_ms': (number);
}
