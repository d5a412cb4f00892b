// Original file: proto/baton.proto


export interface UsageRow {
  'group'?: (string);
  'cpu_core_seconds'?: (number | string);
  'cpu_reserved_core_seconds'?: (number | string);
  'memory_byte_seconds'?: (number | string);
  'memory_reserved_byte_seconds'?: (number | string);
  'replica_seconds'?: (number | string);
}

export interface UsageRow__Output {
  'group': (string);
  'cpu_core_seconds': (number);
  'cpu_reserved_core_seconds': (number);
  'memory_byte_seconds': (number);
  'memory_reserved_byte_seconds': (number);
  'replica_seconds': (number);
}
