// Original file: proto/baton.proto


export interface ListNodesRequest {
}

export interface ListNodesRequest__Output {
}
