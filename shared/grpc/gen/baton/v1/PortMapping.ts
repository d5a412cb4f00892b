// Original file: proto/baton.proto


export interface PortMapping {
  'target'?: (number);
  'host_port'?: (number);
  'protocol'?: (string);
}

export interface PortMapping__Output {
  'target': (number);
  'host_port': (number);
  'protocol': (string);
}
