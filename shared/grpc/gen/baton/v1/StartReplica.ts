// Original file: proto/baton.proto

import type { PortBinding as _baton_v1_PortBinding, PortBinding__Output as _baton_v1_PortBinding__Output } from '../../baton/v1/PortBinding.js';
import type { Long } from '@grpc/proto-loader';

export interface StartReplica {
  'allocation_id'?: (string);
  'generation'?: (number | string | Long);
  'stack'?: (string);
  'service'?: (string);
  'replica'?: (number);
  'image'?: (string);
  'command'?: (string)[];
  'entrypoint'?: (string)[];
  'environment'?: ({[key: string]: string});
  'ports'?: (_baton_v1_PortBinding)[];
  'labels'?: ({[key: string]: string});
  'cpu_limit_millis'?: (number | string | Long);
  'memory_limit_bytes'?: (number | string | Long);
  'restart_policy_json'?: (string);
  'healthcheck_json'?: (string);
  'stop_grace_ms'?: (number);
}

export interface StartReplica__Output {
  'allocation_id': (string);
  'generation': (number);
  'stack': (string);
  'service': (string);
  'replica': (number);
  'image': (string);
  'command': (string)[];
  'entrypoint': (string)[];
  'environment': ({[key: string]: string});
  'ports': (_baton_v1_PortBinding__Output)[];
  'labels': ({[key: string]: string});
  'cpu_limit_millis': (number);
  'memory_limit_bytes': (number);
  'restart_policy_json': (string);
  'healthcheck_json': (string);
  'stop_grace_ms': (number);
}
