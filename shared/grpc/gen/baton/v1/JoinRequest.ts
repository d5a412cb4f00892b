// Original file: proto/baton.proto


export interface JoinRequest {
  'secret'?: (string);
  'node_id'?: (string);
  'csr_pem'?: (string);
}

export interface JoinRequest__Output {
  'secret': (string);
  'node_id': (string);
  'csr_pem': (string);
}
