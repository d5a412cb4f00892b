// Original file: proto/baton.proto


export interface LogChunk {
  'stream_id'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'eof'?: (boolean);
  'error'?: (string);
  'stream'?: (string);
}

export interface LogChunk__Output {
  'stream_id': (string);
  'data': (Buffer);
  'eof': (boolean);
  'error': (string);
  'stream': (string);
}
