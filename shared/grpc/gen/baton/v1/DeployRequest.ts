// Original file: proto/baton.proto


export interface DeployRequest {
  'compose_yaml'?: (string);
  'file_name'?: (string);
  'stack'?: (string);
  'env'?: ({[key: string]: string});
  'files'?: ({[key: string]: Buffer | Uint8Array | string});
  'tenant'?: (string);
}

export interface DeployRequest__Output {
  'compose_yaml': (string);
  'file_name': (string);
  'stack': (string);
  'env': ({[key: string]: string});
  'files': ({[key: string]: Buffer});
  'tenant': (string);
}
