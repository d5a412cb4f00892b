// Original file: proto/baton.proto


export interface Reconcile {
  'allocation_ids'?: (string)[];
}

export interface Reconcile__Output {
  'allocation_ids': (string)[];
}
