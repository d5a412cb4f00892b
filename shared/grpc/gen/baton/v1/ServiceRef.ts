// Original file: proto/baton.proto


export interface ServiceRef {
  'service'?: (string);
}

export interface ServiceRef__Output {
  'service': (string);
}
