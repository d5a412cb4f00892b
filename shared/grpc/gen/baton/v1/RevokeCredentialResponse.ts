// Original file: proto/baton.proto


export interface RevokeCredentialResponse {
  'name'?: (string);
}

export interface RevokeCredentialResponse__Output {
  'name': (string);
}
