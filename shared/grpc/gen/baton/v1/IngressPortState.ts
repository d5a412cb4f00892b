// Original file: proto/baton.proto


export interface IngressPortState {
  'stack'?: (string);
  'service'?: (string);
  'published'?: (number);
  'protocol'?: (string);
  'state'?: (string);
  'error'?: (string);
}

export interface IngressPortState__Output {
  'stack': (string);
  'service': (string);
  'published': (number);
  'protocol': (string);
  'state': (string);
  'error': (string);
}
