// Original file: proto/baton.proto

import type { HttpProbe as _baton_v1_HttpProbe, HttpProbe__Output as _baton_v1_HttpProbe__Output } from '../../baton/v1/HttpProbe.js';
import type { TcpProbe as _baton_v1_TcpProbe, TcpProbe__Output as _baton_v1_TcpProbe__Output } from '../../baton/v1/TcpProbe.js';
import type { Long } from '@grpc/proto-loader';

export interface Healthcheck {
  'test'?: (string)[];
  'interval_ms'?: (number | string | Long);
  'timeout_ms'?: (number | string | Long);
  'retries'?: (number);
  'start_period_ms'?: (number | string | Long);
  'disable'?: (boolean);
  'start_interval_ms'?: (number | string | Long);
  'http'?: (_baton_v1_HttpProbe | null);
  'tcp'?: (_baton_v1_TcpProbe | null);
  '_start_interval_ms'?: "start_interval_ms";
  'probe'?: "http"|"tcp";
}

export interface Healthcheck__Output {
  'test': (string)[];
  'interval_ms': (number);
  'timeout_ms': (number);
  'retries': (number);
  'start_period_ms': (number);
  'disable': (boolean);
  'start_interval_ms'?: (number);
  'http'?: (_baton_v1_HttpProbe__Output | null);
  'tcp'?: (_baton_v1_TcpProbe__Output | null);
  '_start_interval_ms'?: "start_interval_ms";
  'probe'?: "http"|"tcp";
}
