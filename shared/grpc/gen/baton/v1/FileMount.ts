// Original file: proto/baton.proto


export interface FileMount {
  'name'?: (string);
  'target'?: (string);
  'uid'?: (string);
  'gid'?: (string);
  'mode'?: (number);
  'data'?: (Buffer | Uint8Array | string);
}

export interface FileMount__Output {
  'name': (string);
  'target': (string);
  'uid': (string);
  'gid': (string);
  'mode': (number);
  'data': (Buffer);
}
