// Original file: proto/baton.proto


export interface RemoveResponse {
  'removed'?: (string)[];
  'stopping'?: (number);
  'volumes_kept'?: (number);
  'volume_nodes'?: (string)[];
}

export interface RemoveResponse__Output {
  'removed': (string)[];
  'stopping': (number);
  'volumes_kept': (number);
  'volume_nodes': (string)[];
}
