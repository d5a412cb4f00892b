// Original file: proto/baton.proto


export interface JoinTokenInfo {
  'token'?: (string);
  'ca_hash'?: (string);
}

export interface JoinTokenInfo__Output {
  'token': (string);
  'ca_hash': (string);
}
