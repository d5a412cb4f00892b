// Original file: proto/baton.proto


export interface CommandAck {
  'command_id'?: (string);
  'ok'?: (boolean);
  'error'?: (string);
}

export interface CommandAck__Output {
  'command_id': (string);
  'ok': (boolean);
  'error': (string);
}
