// Original file: proto/baton.proto


export interface ClusterCA {
  'ca_pem'?: (string);
}

export interface ClusterCA__Output {
  'ca_pem': (string);
}
