// Original file: proto/baton.proto

import type { PortMapping as _baton_v1_PortMapping, PortMapping__Output as _baton_v1_PortMapping__Output } from '../../baton/v1/PortMapping.js';
import type { Long } from '@grpc/proto-loader';

export interface ContainerState {
  'container_id'?: (string);
  'name'?: (string);
  'image'?: (string);
  'state'?: (string);
  'cpu_percent'?: (number | string);
  'memory_bytes'?: (number | string | Long);
  'memory_limit_bytes'?: (number | string | Long);
  'labels'?: ({[key: string]: string});
  'exit_code'?: (number);
  'started_at_ms'?: (number | string | Long);
  'restart_count'?: (number);
  'health'?: (string);
  'health_output'?: (string);
  'ip_address'?: (string);
  'ports'?: (_baton_v1_PortMapping)[];
  'cpu_usage_ns'?: (number | string | Long);
  'unchanged'?: (boolean);
}

export interface ContainerState__Output {
  'container_id': (string);
  'name': (string);
  'image': (string);
  'state': (string);
  'cpu_percent': (number);
  'memory_bytes': (number);
  'memory_limit_bytes': (number);
  'labels': ({[key: string]: string});
  'exit_code': (number);
  'started_at_ms': (number);
  'restart_count': (number);
  'health': (string);
  'health_output': (string);
  'ip_address': (string);
  'ports': (_baton_v1_PortMapping__Output)[];
  'cpu_usage_ns': (number);
  'unchanged': (boolean);
}
