// Original file: proto/baton.proto


export interface AutoscaleBounds {
  'min'?: (number);
  'max'?: (number);
  'cpu_target_percent'?: (number | string);
  'memory_target_percent'?: (number | string);
}

export interface AutoscaleBounds__Output {
  'min': (number);
  'max': (number);
  'cpu_target_percent': (number);
  'memory_target_percent': (number);
}
