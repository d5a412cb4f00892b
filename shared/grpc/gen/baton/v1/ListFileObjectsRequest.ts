// Original file: proto/baton.proto


export interface ListFileObjectsRequest {
}

export interface ListFileObjectsRequest__Output {
}
