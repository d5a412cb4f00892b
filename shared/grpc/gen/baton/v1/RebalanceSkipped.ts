// Original file: proto/baton.proto


export interface RebalanceSkipped {
  'stack'?: (string);
  'service'?: (string);
  'reason'?: (string);
}

export interface RebalanceSkipped__Output {
  'stack': (string);
  'service': (string);
  'reason': (string);
}
