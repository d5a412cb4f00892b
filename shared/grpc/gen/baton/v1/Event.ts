// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'seq'?: (number | string | Long);
  'at_ms'?: (number | string | Long);
  'type'?: (string);
  'node_id'?: (string);
  'node_name'?: (string);
  'from'?: (string);
  'to'?: (string);
  'reason'?: (string);
  'message'?: (string);
}

export interface Event__Output {
  'seq': (number);
  'at_ms': (number);
  'type': (string);
  'node_id': (string);
  'node_name': (string);
  'from': (string);
  'to': (string);
  'reason': (string);
  'message': (string);
}
