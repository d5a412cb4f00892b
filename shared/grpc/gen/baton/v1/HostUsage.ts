// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface HostUsage {
  'cpu_percent'?: (number | string);
  'load1'?: (number | string);
  'load5'?: (number | string);
  'load15'?: (number | string);
  'memory_used_bytes'?: (number | string | Long);
  'memory_total_bytes'?: (number | string | Long);
  'disk_used_bytes'?: (number | string | Long);
  'disk_total_bytes'?: (number | string | Long);
  'net_rx_bytes_per_sec'?: (number | string);
  'net_tx_bytes_per_sec'?: (number | string);
}

export interface HostUsage__Output {
  'cpu_percent': (number);
  'load1': (number);
  'load5': (number);
  'load15': (number);
  'memory_used_bytes': (number);
  'memory_total_bytes': (number);
  'disk_used_bytes': (number);
  'disk_total_bytes': (number);
  'net_rx_bytes_per_sec': (number);
  'net_tx_bytes_per_sec': (number);
}
