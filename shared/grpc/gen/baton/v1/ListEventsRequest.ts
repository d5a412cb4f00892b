// Original file: proto/baton.proto


export interface ListEventsRequest {
  'limit'?: (number);
}

export interface ListEventsRequest__Output {
  'limit': (number);
}
