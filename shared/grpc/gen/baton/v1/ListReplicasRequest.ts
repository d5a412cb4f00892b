// Original file: proto/baton.proto


export interface ListReplicasRequest {
  'service'?: (string);
}

export interface ListReplicasRequest__Output {
  'service': (string);
}
