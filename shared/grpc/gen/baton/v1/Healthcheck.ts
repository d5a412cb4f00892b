// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Healthcheck {
  'test'?: (string)[];
  'interval_ms'?: (number | string | Long);
  'timeout_ms'?: (number | string | Long);
  'retries'?: (number);
  'start_period_ms'?: (number | string | Long);
  'disable'?: (boolean);
}

export interface Healthcheck__Output {
  'test': (string)[];
  'interval_ms': (number);
  'timeout_ms': (number);
  'retries': (number);
  'start_period_ms': (number);
  'disable': (boolean);
}
