// Original file: proto/baton.proto


export interface UsageHint {
  'service'?: (string);
  'resource'?: (string);
  'reserved'?: (number | string);
  'p95'?: (number | string);
  'suggested'?: (number | string);
  'message'?: (string);
}

export interface UsageHint__Output {
  'service': (string);
  'resource': (string);
  'reserved': (number);
  'p95': (number);
  'suggested': (number);
  'message': (string);
}
