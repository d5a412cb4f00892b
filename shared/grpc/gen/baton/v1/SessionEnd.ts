// Original file: proto/baton.proto


export interface SessionEnd {
  'reason'?: (string);
}

export interface SessionEnd__Output {
  'reason': (string);
}
