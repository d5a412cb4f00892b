// Original file: proto/baton.proto


export interface TcpProbe {
  'port'?: (number);
}

export interface TcpProbe__Output {
  'port': (number);
}
