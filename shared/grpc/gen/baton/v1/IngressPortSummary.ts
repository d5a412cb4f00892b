// Original file: proto/baton.proto


export interface IngressPortSummary {
  'published'?: (number);
  'target'?: (number);
  'protocol'?: (string);
  'serving_nodes'?: (number);
  'nodes'?: (number);
  'endpoints'?: (number);
  'problems'?: (string)[];
}

export interface IngressPortSummary__Output {
  'published': (number);
  'target': (number);
  'protocol': (string);
  'serving_nodes': (number);
  'nodes': (number);
  'endpoints': (number);
  'problems': (string)[];
}
