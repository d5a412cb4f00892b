// Original file: proto/baton.proto


export interface DeployRequest {
  'compose_yaml'?: (string);
  'file_name'?: (string);
  'stack'?: (string);
  'env'?: ({[key: string]: string});
}

export interface DeployRequest__Output {
  'compose_yaml': (string);
  'file_name': (string);
  'stack': (string);
  'env': ({[key: string]: string});
}
