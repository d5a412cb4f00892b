// Original file: proto/baton.proto

import type { PortBinding as _baton_v1_PortBinding, PortBinding__Output as _baton_v1_PortBinding__Output } from '../../baton/v1/PortBinding.js';
import type { Argv as _baton_v1_Argv, Argv__Output as _baton_v1_Argv__Output } from '../../baton/v1/Argv.js';
import type { RestartPolicy as _baton_v1_RestartPolicy, RestartPolicy__Output as _baton_v1_RestartPolicy__Output } from '../../baton/v1/RestartPolicy.js';
import type { Healthcheck as _baton_v1_Healthcheck, Healthcheck__Output as _baton_v1_Healthcheck__Output } from '../../baton/v1/Healthcheck.js';
import type { ContainerSettings as _baton_v1_ContainerSettings, ContainerSettings__Output as _baton_v1_ContainerSettings__Output } from '../../baton/v1/ContainerSettings.js';
import type { Mount as _baton_v1_Mount, Mount__Output as _baton_v1_Mount__Output } from '../../baton/v1/Mount.js';
import type { FileMount as _baton_v1_FileMount, FileMount__Output as _baton_v1_FileMount__Output } from '../../baton/v1/FileMount.js';
import type { Long } from '@grpc/proto-loader';

export interface StartReplica {
  'allocation_id'?: (string);
  'generation'?: (number | string | Long);
  'stack'?: (string);
  'service'?: (string);
  'replica'?: (number);
  'image'?: (string);
  'environment'?: ({[key: string]: string});
  'ports'?: (_baton_v1_PortBinding)[];
  'labels'?: ({[key: string]: string});
  'cpu_limit_millis'?: (number | string | Long);
  'memory_limit_bytes'?: (number | string | Long);
  'stop_grace_ms'?: (number | string | Long);
  'command'?: (_baton_v1_Argv | null);
  'entrypoint'?: (_baton_v1_Argv | null);
  'restart_policy'?: (_baton_v1_RestartPolicy | null);
  'healthcheck'?: (_baton_v1_Healthcheck | null);
  'extra_hosts'?: ({[key: string]: string});
  'container'?: (_baton_v1_ContainerSettings | null);
  'mounts'?: (_baton_v1_Mount)[];
  'secrets'?: (_baton_v1_FileMount)[];
  'configs'?: (_baton_v1_FileMount)[];
  'stop_after_disconnect_ms'?: (number | string | Long);
  '_cpu_limit_millis'?: "cpu_limit_millis";
  '_memory_limit_bytes'?: "memory_limit_bytes";
  '_stop_grace_ms'?: "stop_grace_ms";
  '_stop_after_disconnect_ms'?: "stop_after_disconnect_ms";
}

export interface StartReplica__Output {
  'allocation_id': (string);
  'generation': (number);
  'stack': (string);
  'service': (string);
  'replica': (number);
  'image': (string);
  'environment': ({[key: string]: string});
  'ports': (_baton_v1_PortBinding__Output)[];
  'labels': ({[key: string]: string});
  'cpu_limit_millis'?: (number);
  'memory_limit_bytes'?: (number);
  'stop_grace_ms'?: (number);
  'command': (_baton_v1_Argv__Output | null);
  'entrypoint': (_baton_v1_Argv__Output | null);
  'restart_policy': (_baton_v1_RestartPolicy__Output | null);
  'healthcheck': (_baton_v1_Healthcheck__Output | null);
  'extra_hosts': ({[key: string]: string});
  'container': (_baton_v1_ContainerSettings__Output | null);
  'mounts': (_baton_v1_Mount__Output)[];
  'secrets': (_baton_v1_FileMount__Output)[];
  'configs': (_baton_v1_FileMount__Output)[];
  'stop_after_disconnect_ms'?: (number);
  '_cpu_limit_millis'?: "cpu_limit_millis";
  '_memory_limit_bytes'?: "memory_limit_bytes";
  '_stop_grace_ms'?: "stop_grace_ms";
  '_stop_after_disconnect_ms'?: "stop_after_disconnect_ms";
}
