// Original file: proto/baton.proto


export interface ListVolumesRequest {
  'node'?: (string);
  'stack'?: (string);
}

export interface ListVolumesRequest__Output {
  'node': (string);
  'stack': (string);
}
