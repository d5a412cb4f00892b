// Original file: proto/baton.proto


export interface RemoveNodeResponse {
  'node_id'?: (string);
  'name'?: (string);
}

export interface RemoveNodeResponse__Output {
  'node_id': (string);
  'name': (string);
}
