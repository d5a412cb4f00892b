// Original file: proto/baton.proto


export interface PortRef {
  'port'?: (number);
  'protocol'?: (string);
}

export interface PortRef__Output {
  'port': (number);
  'protocol': (string);
}
