// Original file: proto/baton.proto


export interface GetJoinTokenRequest {
  'rotate'?: (boolean);
}

export interface GetJoinTokenRequest__Output {
  'rotate': (boolean);
}
