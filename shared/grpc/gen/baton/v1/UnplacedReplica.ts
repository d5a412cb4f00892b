// Original file: proto/baton.proto


export interface UnplacedReplica {
  'service'?: (string);
  'replica'?: (number);
  'reason'?: (string);
  'kind'?: (string);
}

export interface UnplacedReplica__Output {
  'service': (string);
  'replica': (number);
  'reason': (string);
  'kind': (string);
}
