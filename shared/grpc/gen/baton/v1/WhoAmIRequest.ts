// Original file: proto/baton.proto


export interface WhoAmIRequest {
}

export interface WhoAmIRequest__Output {
}
