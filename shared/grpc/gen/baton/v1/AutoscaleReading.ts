// Original file: proto/baton.proto


export interface AutoscaleReading {
  'metric'?: (string);
  'observed_percent'?: (number | string);
  'target_percent'?: (number | string);
  'proposal'?: (number);
}

export interface AutoscaleReading__Output {
  'metric': (string);
  'observed_percent': (number);
  'target_percent': (number);
  'proposal': (number);
}
