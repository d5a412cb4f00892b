// Original file: proto/baton.proto


export interface CreateFileObjectRequest {
  'name'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface CreateFileObjectRequest__Output {
  'name': (string);
  'data': (Buffer);
}
