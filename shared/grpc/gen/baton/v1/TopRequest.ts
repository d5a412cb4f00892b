// Original file: proto/baton.proto


export interface TopRequest {
  'by'?: (string);
}

export interface TopRequest__Output {
  'by': (string);
}
