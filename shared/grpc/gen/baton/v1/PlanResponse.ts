// Original file: proto/baton.proto


export interface PlanResponse {
  'plan_json'?: (string);
  'warnings'?: (string)[];
  'plan_text'?: (string);
  'complete'?: (boolean);
}

export interface PlanResponse__Output {
  'plan_json': (string);
  'warnings': (string)[];
  'plan_text': (string);
  'complete': (boolean);
}
