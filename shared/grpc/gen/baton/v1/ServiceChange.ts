// Original file: proto/baton.proto


export interface ServiceChange {
  'service'?: (string);
  'change'?: (string);
  'replicas'?: (number);
}

export interface ServiceChange__Output {
  'service': (string);
  'change': (string);
  'replicas': (number);
}
