// Original file: proto/baton.proto


export interface FileObjectRef {
  'name'?: (string);
}

export interface FileObjectRef__Output {
  'name': (string);
}
