// Original file: proto/baton.proto


export interface StopReplica {
  'allocation_id'?: (string);
  'remove'?: (boolean);
  'stop_grace_ms'?: (number);
  'reason'?: (string);
}

export interface StopReplica__Output {
  'allocation_id': (string);
  'remove': (boolean);
  'stop_grace_ms': (number);
  'reason': (string);
}
