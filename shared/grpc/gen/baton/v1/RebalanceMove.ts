// Original file: proto/baton.proto


export interface RebalanceMove {
  'allocation_id'?: (string);
  'stack'?: (string);
  'service'?: (string);
  'replica'?: (number);
  'from_node'?: (string);
  'to_node'?: (string);
  'state'?: (string);
  'reason'?: (string);
}

export interface RebalanceMove__Output {
  'allocation_id': (string);
  'stack': (string);
  'service': (string);
  'replica': (number);
  'from_node': (string);
  'to_node': (string);
  'state': (string);
  'reason': (string);
}
