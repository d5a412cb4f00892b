// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface RolloutInfo {
  'stack'?: (string);
  'service'?: (string);
  'kind'?: (string);
  'state'?: (string);
  'reason'?: (string);
  'generation'?: (number | string | Long);
  'from_generation'?: (number | string | Long);
  'restores_generation'?: (number | string | Long);
  'updated'?: (number);
  'total'?: (number);
  'healthy'?: (number);
  'failures'?: (number);
  'started_at_ms'?: (number | string | Long);
  'ended_at_ms'?: (number | string | Long);
}

export interface RolloutInfo__Output {
  'stack': (string);
  'service': (string);
  'kind': (string);
  'state': (string);
  'reason': (string);
  'generation': (number);
  'from_generation': (number);
  'restores_generation': (number);
  'updated': (number);
  'total': (number);
  'healthy': (number);
  'failures': (number);
  'started_at_ms': (number);
  'ended_at_ms': (number);
}
