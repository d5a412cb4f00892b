// Original file: proto/baton.proto


export interface RebalanceLoad {
  'nodes_used'?: (number);
  'max_cpu'?: (number | string);
  'max_memory'?: (number | string);
  'max_replicas'?: (number);
}

export interface RebalanceLoad__Output {
  'nodes_used': (number);
  'max_cpu': (number);
  'max_memory': (number);
  'max_replicas': (number);
}
