// Original file: proto/baton.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Event as _baton_v1_Event, Event__Output as _baton_v1_Event__Output } from '../../baton/v1/Event.js';
import type { GetNodeRequest as _baton_v1_GetNodeRequest, GetNodeRequest__Output as _baton_v1_GetNodeRequest__Output } from '../../baton/v1/GetNodeRequest.js';
import type { ListEventsRequest as _baton_v1_ListEventsRequest, ListEventsRequest__Output as _baton_v1_ListEventsRequest__Output } from '../../baton/v1/ListEventsRequest.js';
import type { ListEventsResponse as _baton_v1_ListEventsResponse, ListEventsResponse__Output as _baton_v1_ListEventsResponse__Output } from '../../baton/v1/ListEventsResponse.js';
import type { ListNodesRequest as _baton_v1_ListNodesRequest, ListNodesRequest__Output as _baton_v1_ListNodesRequest__Output } from '../../baton/v1/ListNodesRequest.js';
import type { ListNodesResponse as _baton_v1_ListNodesResponse, ListNodesResponse__Output as _baton_v1_ListNodesResponse__Output } from '../../baton/v1/ListNodesResponse.js';
import type { NodeInfo as _baton_v1_NodeInfo, NodeInfo__Output as _baton_v1_NodeInfo__Output } from '../../baton/v1/NodeInfo.js';
import type { PlanRequest as _baton_v1_PlanRequest, PlanRequest__Output as _baton_v1_PlanRequest__Output } from '../../baton/v1/PlanRequest.js';
import type { PlanResponse as _baton_v1_PlanResponse, PlanResponse__Output as _baton_v1_PlanResponse__Output } from '../../baton/v1/PlanResponse.js';
import type { WatchEventsRequest as _baton_v1_WatchEventsRequest, WatchEventsRequest__Output as _baton_v1_WatchEventsRequest__Output } from '../../baton/v1/WatchEventsRequest.js';

export interface ControlServiceClient extends grpc.Client {
  GetNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  
  ListEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _baton_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _baton_v1_ListEventsRequest, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _baton_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _baton_v1_ListEventsRequest, callback: grpc.requestCallback<_baton_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _baton_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _baton_v1_ListNodesRequest, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _baton_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _baton_v1_ListNodesRequest, callback: grpc.requestCallback<_baton_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  Plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  
  WatchEvents(argument: _baton_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  WatchEvents(argument: _baton_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  watchEvents(argument: _baton_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  watchEvents(argument: _baton_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  
}

export interface ControlServiceHandlers extends grpc.UntypedServiceImplementation {
  GetNode: grpc.handleUnaryCall<_baton_v1_GetNodeRequest__Output, _baton_v1_NodeInfo>;
  
  ListEvents: grpc.handleUnaryCall<_baton_v1_ListEventsRequest__Output, _baton_v1_ListEventsResponse>;
  
  ListNodes: grpc.handleUnaryCall<_baton_v1_ListNodesRequest__Output, _baton_v1_ListNodesResponse>;
  
  Plan: grpc.handleUnaryCall<_baton_v1_PlanRequest__Output, _baton_v1_PlanResponse>;
  
  WatchEvents: grpc.handleServerStreamingCall<_baton_v1_WatchEventsRequest__Output, _baton_v1_Event>;
  
}

export interface ControlServiceDefinition extends grpc.ServiceDefinition {
  GetNode: MethodDefinition<_baton_v1_GetNodeRequest, _baton_v1_NodeInfo, _baton_v1_GetNodeRequest__Output, _baton_v1_NodeInfo__Output>
  ListEvents: MethodDefinition<_baton_v1_ListEventsRequest, _baton_v1_ListEventsResponse, _baton_v1_ListEventsRequest__Output, _baton_v1_ListEventsResponse__Output>
  ListNodes: MethodDefinition<_baton_v1_ListNodesRequest, _baton_v1_ListNodesResponse, _baton_v1_ListNodesRequest__Output, _baton_v1_ListNodesResponse__Output>
  Plan: MethodDefinition<_baton_v1_PlanRequest, _baton_v1_PlanResponse, _baton_v1_PlanRequest__Output, _baton_v1_PlanResponse__Output>
  WatchEvents: MethodDefinition<_baton_v1_WatchEventsRequest, _baton_v1_Event, _baton_v1_WatchEventsRequest__Output, _baton_v1_Event__Output>
}
