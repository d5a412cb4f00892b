// Original file: proto/baton.proto


export interface ScaleRequest {
  'service'?: (string);
  'replicas'?: (string);
}

export interface ScaleRequest__Output {
  'service': (string);
  'replicas': (string);
}
