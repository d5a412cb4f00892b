// Original file: proto/baton.proto


export interface VolumeRefusal {
  'name'?: (string);
  'error'?: (string);
}

export interface VolumeRefusal__Output {
  'name': (string);
  'error': (string);
}
