// Original file: proto/baton.proto


export interface Welcome {
  'session_id'?: (string);
  'heartbeat_interval_ms'?: (number);
  'coordinator_version'?: (string);
  'node_id'?: (string);
}

export interface Welcome__Output {
  'session_id': (string);
  'heartbeat_interval_ms': (number);
  'coordinator_version': (string);
  'node_id': (string);
}
