// Original file: proto/baton.proto


export interface EndpointConnections {
  'allocation_id'?: (string);
  'active'?: (number);
}

export interface EndpointConnections__Output {
  'allocation_id': (string);
  'active': (number);
}
