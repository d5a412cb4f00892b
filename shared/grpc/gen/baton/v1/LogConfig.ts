// Original file: proto/baton.proto


export interface LogConfig {
  'driver'?: (string);
  'options'?: ({[key: string]: string});
}

export interface LogConfig__Output {
  'driver': (string);
  'options': ({[key: string]: string});
}
