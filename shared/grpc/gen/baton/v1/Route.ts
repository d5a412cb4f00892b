// Original file: proto/baton.proto


export interface Route {
  'allocation_id'?: (string);
  'replica'?: (number);
  'node'?: (string);
  'address'?: (string);
  'healthy'?: (boolean);
  'serving'?: (boolean);
  'active_connections'?: (number);
  'local'?: (boolean);
}

export interface Route__Output {
  'allocation_id': (string);
  'replica': (number);
  'node': (string);
  'address': (string);
  'healthy': (boolean);
  'serving': (boolean);
  'active_connections': (number);
  'local': (boolean);
}
