// Original file: proto/baton.proto


export interface RebalanceStatusRequest {
  'id'?: (string);
}

export interface RebalanceStatusRequest__Output {
  'id': (string);
}
