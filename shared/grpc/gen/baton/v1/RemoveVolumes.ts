// Original file: proto/baton.proto


export interface RemoveVolumes {
  'stack'?: (string);
}

export interface RemoveVolumes__Output {
  'stack': (string);
}
