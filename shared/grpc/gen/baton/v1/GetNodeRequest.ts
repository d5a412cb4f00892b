// Original file: proto/baton.proto


export interface GetNodeRequest {
  'node'?: (string);
}

export interface GetNodeRequest__Output {
  'node': (string);
}
