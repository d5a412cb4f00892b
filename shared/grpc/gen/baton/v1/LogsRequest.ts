// Original file: proto/baton.proto


export interface LogsRequest {
  'service'?: (string);
  'replica'?: (number);
  'follow'?: (boolean);
  'tail'?: (number);
}

export interface LogsRequest__Output {
  'service': (string);
  'replica': (number);
  'follow': (boolean);
  'tail': (number);
}
