// Original file: proto/baton.proto


export interface RebalanceRequest {
  'stack'?: (string);
  'strategy'?: (string);
  'dry_run'?: (boolean);
}

export interface RebalanceRequest__Output {
  'stack': (string);
  'strategy': (string);
  'dry_run': (boolean);
}
