// Original file: proto/baton.proto


export interface ListNodesRequest {
  'container_counts_only'?: (boolean);
}

export interface ListNodesRequest__Output {
  'container_counts_only': (boolean);
}
