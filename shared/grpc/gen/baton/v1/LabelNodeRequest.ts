// Original file: proto/baton.proto


export interface LabelNodeRequest {
  'node'?: (string);
  'set'?: ({[key: string]: string});
  'remove'?: (string)[];
}

export interface LabelNodeRequest__Output {
  'node': (string);
  'set': ({[key: string]: string});
  'remove': (string)[];
}
