// Original file: /work/main/proto/baton.proto


export interface ListNodesRequest {
}

export interface ListNodesRequest__Output {
}
