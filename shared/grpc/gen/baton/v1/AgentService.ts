// Original file: proto/baton.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentMessage as _baton_v1_AgentMessage, AgentMessage__Output as _baton_v1_AgentMessage__Output } from '../../baton/v1/AgentMessage.js';
import type { CoordinatorMessage as _baton_v1_CoordinatorMessage, CoordinatorMessage__Output as _baton_v1_CoordinatorMessage__Output } from '../../baton/v1/CoordinatorMessage.js';

export interface AgentServiceClient extends grpc.Client {
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_baton_v1_AgentMessage, _baton_v1_CoordinatorMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_baton_v1_AgentMessage, _baton_v1_CoordinatorMessage__Output>;
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_baton_v1_AgentMessage, _baton_v1_CoordinatorMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_baton_v1_AgentMessage, _baton_v1_CoordinatorMessage__Output>;
  
}

export interface AgentServiceHandlers extends grpc.UntypedServiceImplementation {
  Connect: grpc.handleBidiStreamingCall<_baton_v1_AgentMessage__Output, _baton_v1_CoordinatorMessage>;
  
}

export interface AgentServiceDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_baton_v1_AgentMessage, _baton_v1_CoordinatorMessage, _baton_v1_AgentMessage__Output, _baton_v1_CoordinatorMessage__Output>
}
