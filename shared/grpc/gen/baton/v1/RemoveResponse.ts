// Original file: proto/baton.proto


export interface RemoveResponse {
  'removed'?: (string)[];
  'stopping'?: (number);
}

export interface RemoveResponse__Output {
  'removed': (string)[];
  'stopping': (number);
}
