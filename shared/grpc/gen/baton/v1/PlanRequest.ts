// Original file: proto/baton.proto


export interface PlanRequest {
  'compose_yaml'?: (string);
  'file_name'?: (string);
  'stack'?: (string);
  'env'?: ({[key: string]: string});
  'files'?: ({[key: string]: Buffer | Uint8Array | string});
}

export interface PlanRequest__Output {
  'compose_yaml': (string);
  'file_name': (string);
  'stack': (string);
  'env': ({[key: string]: string});
  'files': ({[key: string]: Buffer});
}
