// Original file: proto/baton.proto


export interface Argv {
  'args'?: (string)[];
}

export interface Argv__Output {
  'args': (string)[];
}
