// Original file: proto/baton.proto


export interface RevokeCredentialRequest {
  'name'?: (string);
}

export interface RevokeCredentialRequest__Output {
  'name': (string);
}
