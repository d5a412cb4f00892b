// Original file: proto/baton.proto


export interface GetClusterCARequest {
}

export interface GetClusterCARequest__Output {
}
