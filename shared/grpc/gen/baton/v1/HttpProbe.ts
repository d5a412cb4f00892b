// Original file: proto/baton.proto


export interface HttpProbe {
  'port'?: (number);
  'path'?: (string);
  'status_min'?: (number);
  'status_max'?: (number);
  'host'?: (string);
  '_host'?: "host";
}

export interface HttpProbe__Output {
  'port': (number);
  'path': (string);
  'status_min': (number);
  'status_max': (number);
  'host'?: (string);
  '_host'?: "host";
}
