// Original file: proto/baton.proto


export interface WhoAmIResponse {
  'role'?: (string);
  'name'?: (string);
  'insecure'?: (boolean);
}

export interface WhoAmIResponse__Output {
  'role': (string);
  'name': (string);
  'insecure': (boolean);
}
