// Original file: proto/baton.proto


export interface LogLine {
  'stack'?: (string);
  'service'?: (string);
  'replica'?: (number);
  'node'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'stream'?: (string);
  'error'?: (string);
}

export interface LogLine__Output {
  'stack': (string);
  'service': (string);
  'replica': (number);
  'node': (string);
  'data': (Buffer);
  'stream': (string);
  'error': (string);
}
