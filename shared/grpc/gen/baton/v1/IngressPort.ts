// Original file: proto/baton.proto


export interface IngressPort {
  'published'?: (number);
  'target'?: (number);
  'protocol'?: (string);
}

export interface IngressPort__Output {
  'published': (number);
  'target': (number);
  'protocol': (string);
}
