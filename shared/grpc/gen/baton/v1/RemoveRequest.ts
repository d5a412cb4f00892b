// Original file: proto/baton.proto


export interface RemoveRequest {
  'stack'?: (string);
  'service'?: (string);
  'volumes'?: (boolean);
}

export interface RemoveRequest__Output {
  'stack': (string);
  'service': (string);
  'volumes': (boolean);
}
