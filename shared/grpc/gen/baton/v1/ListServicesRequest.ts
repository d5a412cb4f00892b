// Original file: proto/baton.proto


export interface ListServicesRequest {
}

export interface ListServicesRequest__Output {
}
