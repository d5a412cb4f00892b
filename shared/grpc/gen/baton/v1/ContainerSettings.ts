// Original file: proto/baton.proto

import type { Ulimit as _baton_v1_Ulimit, Ulimit__Output as _baton_v1_Ulimit__Output } from '../../baton/v1/Ulimit.js';
import type { LogConfig as _baton_v1_LogConfig, LogConfig__Output as _baton_v1_LogConfig__Output } from '../../baton/v1/LogConfig.js';
import type { Long } from '@grpc/proto-loader';

export interface ContainerSettings {
  'user'?: (string);
  'working_dir'?: (string);
  'stop_signal'?: (string);
  'ulimits'?: ({[key: string]: _baton_v1_Ulimit});
  'sysctls'?: ({[key: string]: string});
  'cap_add'?: (string)[];
  'cap_drop'?: (string)[];
  'dns'?: (string)[];
  'dns_search'?: (string)[];
  'dns_options'?: (string)[];
  'extra_hosts'?: (string)[];
  'read_only'?: (boolean);
  'init'?: (boolean);
  'tmpfs'?: ({[key: string]: string});
  'hostname'?: (string);
  'domainname'?: (string);
  'shm_size_bytes'?: (number | string | Long);
  'logging'?: (_baton_v1_LogConfig | null);
  'network_mode'?: (string);
  '_user'?: "user";
  '_working_dir'?: "working_dir";
  '_stop_signal'?: "stop_signal";
  '_hostname'?: "hostname";
  '_domainname'?: "domainname";
  '_shm_size_bytes'?: "shm_size_bytes";
}

export interface ContainerSettings__Output {
  'user'?: (string);
  'working_dir'?: (string);
  'stop_signal'?: (string);
  'ulimits': ({[key: string]: _baton_v1_Ulimit__Output});
  'sysctls': ({[key: string]: string});
  'cap_add': (string)[];
  'cap_drop': (string)[];
  'dns': (string)[];
  'dns_search': (string)[];
  'dns_options': (string)[];
  'extra_hosts': (string)[];
  'read_only': (boolean);
  'init': (boolean);
  'tmpfs': ({[key: string]: string});
  'hostname'?: (string);
  'domainname'?: (string);
  'shm_size_bytes'?: (number);
  'logging': (_baton_v1_LogConfig__Output | null);
  'network_mode': (string);
  '_user'?: "user";
  '_working_dir'?: "working_dir";
  '_stop_signal'?: "stop_signal";
  '_hostname'?: "hostname";
  '_domainname'?: "domainname";
  '_shm_size_bytes'?: "shm_size_bytes";
}
