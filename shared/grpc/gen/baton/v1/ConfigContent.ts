// Original file: proto/baton.proto


export interface ConfigContent {
  'name'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ConfigContent__Output {
  'name': (string);
  'data': (Buffer);
}
