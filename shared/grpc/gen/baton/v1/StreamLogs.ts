// Original file: proto/baton.proto


export interface StreamLogs {
  'allocation_id'?: (string);
  'follow'?: (boolean);
  'tail'?: (number);
  'stream_id'?: (string);
  'cancel'?: (boolean);
}

export interface StreamLogs__Output {
  'allocation_id': (string);
  'follow': (boolean);
  'tail': (number);
  'stream_id': (string);
  'cancel': (boolean);
}
