// Original file: proto/baton.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ClusterCA as _baton_v1_ClusterCA, ClusterCA__Output as _baton_v1_ClusterCA__Output } from '../../baton/v1/ClusterCA.js';
import type { GetClusterCARequest as _baton_v1_GetClusterCARequest, GetClusterCARequest__Output as _baton_v1_GetClusterCARequest__Output } from '../../baton/v1/GetClusterCARequest.js';
import type { JoinRequest as _baton_v1_JoinRequest, JoinRequest__Output as _baton_v1_JoinRequest__Output } from '../../baton/v1/JoinRequest.js';
import type { NodeCertificate as _baton_v1_NodeCertificate, NodeCertificate__Output as _baton_v1_NodeCertificate__Output } from '../../baton/v1/NodeCertificate.js';
import type { RenewRequest as _baton_v1_RenewRequest, RenewRequest__Output as _baton_v1_RenewRequest__Output } from '../../baton/v1/RenewRequest.js';

export interface JoinServiceClient extends grpc.Client {
  GetClusterCA(argument: _baton_v1_GetClusterCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  GetClusterCA(argument: _baton_v1_GetClusterCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  GetClusterCA(argument: _baton_v1_GetClusterCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  GetClusterCA(argument: _baton_v1_GetClusterCARequest, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  getClusterCa(argument: _baton_v1_GetClusterCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  getClusterCa(argument: _baton_v1_GetClusterCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  getClusterCa(argument: _baton_v1_GetClusterCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  getClusterCa(argument: _baton_v1_GetClusterCARequest, callback: grpc.requestCallback<_baton_v1_ClusterCA__Output>): grpc.ClientUnaryCall;
  
  Join(argument: _baton_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Join(argument: _baton_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Join(argument: _baton_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Join(argument: _baton_v1_JoinRequest, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  join(argument: _baton_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  join(argument: _baton_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  join(argument: _baton_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  join(argument: _baton_v1_JoinRequest, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  
  Renew(argument: _baton_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Renew(argument: _baton_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Renew(argument: _baton_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  Renew(argument: _baton_v1_RenewRequest, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  renew(argument: _baton_v1_RenewRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  renew(argument: _baton_v1_RenewRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  renew(argument: _baton_v1_RenewRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  renew(argument: _baton_v1_RenewRequest, callback: grpc.requestCallback<_baton_v1_NodeCertificate__Output>): grpc.ClientUnaryCall;
  
}

export interface JoinServiceHandlers extends grpc.UntypedServiceImplementation {
  GetClusterCA: grpc.handleUnaryCall<_baton_v1_GetClusterCARequest__Output, _baton_v1_ClusterCA>;
  
  Join: grpc.handleUnaryCall<_baton_v1_JoinRequest__Output, _baton_v1_NodeCertificate>;
  
  Renew: grpc.handleUnaryCall<_baton_v1_RenewRequest__Output, _baton_v1_NodeCertificate>;
  
}

export interface JoinServiceDefinition extends grpc.ServiceDefinition {
  GetClusterCA: MethodDefinition<_baton_v1_GetClusterCARequest, _baton_v1_ClusterCA, _baton_v1_GetClusterCARequest__Output, _baton_v1_ClusterCA__Output>
  Join: MethodDefinition<_baton_v1_JoinRequest, _baton_v1_NodeCertificate, _baton_v1_JoinRequest__Output, _baton_v1_NodeCertificate__Output>
  Renew: MethodDefinition<_baton_v1_RenewRequest, _baton_v1_NodeCertificate, _baton_v1_RenewRequest__Output, _baton_v1_NodeCertificate__Output>
}
