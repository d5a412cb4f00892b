// Original file: proto/baton.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AutoscaleStatusResponse as _baton_v1_AutoscaleStatusResponse, AutoscaleStatusResponse__Output as _baton_v1_AutoscaleStatusResponse__Output } from '../../baton/v1/AutoscaleStatusResponse.js';
import type { ConfigContent as _baton_v1_ConfigContent, ConfigContent__Output as _baton_v1_ConfigContent__Output } from '../../baton/v1/ConfigContent.js';
import type { CreateCredentialRequest as _baton_v1_CreateCredentialRequest, CreateCredentialRequest__Output as _baton_v1_CreateCredentialRequest__Output } from '../../baton/v1/CreateCredentialRequest.js';
import type { CreateFileObjectRequest as _baton_v1_CreateFileObjectRequest, CreateFileObjectRequest__Output as _baton_v1_CreateFileObjectRequest__Output } from '../../baton/v1/CreateFileObjectRequest.js';
import type { Credential as _baton_v1_Credential, Credential__Output as _baton_v1_Credential__Output } from '../../baton/v1/Credential.js';
import type { DeployRequest as _baton_v1_DeployRequest, DeployRequest__Output as _baton_v1_DeployRequest__Output } from '../../baton/v1/DeployRequest.js';
import type { DeployResponse as _baton_v1_DeployResponse, DeployResponse__Output as _baton_v1_DeployResponse__Output } from '../../baton/v1/DeployResponse.js';
import type { EndpointsResponse as _baton_v1_EndpointsResponse, EndpointsResponse__Output as _baton_v1_EndpointsResponse__Output } from '../../baton/v1/EndpointsResponse.js';
import type { Event as _baton_v1_Event, Event__Output as _baton_v1_Event__Output } from '../../baton/v1/Event.js';
import type { FileObjectInfo as _baton_v1_FileObjectInfo, FileObjectInfo__Output as _baton_v1_FileObjectInfo__Output } from '../../baton/v1/FileObjectInfo.js';
import type { FileObjectRef as _baton_v1_FileObjectRef, FileObjectRef__Output as _baton_v1_FileObjectRef__Output } from '../../baton/v1/FileObjectRef.js';
import type { GetJoinTokenRequest as _baton_v1_GetJoinTokenRequest, GetJoinTokenRequest__Output as _baton_v1_GetJoinTokenRequest__Output } from '../../baton/v1/GetJoinTokenRequest.js';
import type { GetNodeRequest as _baton_v1_GetNodeRequest, GetNodeRequest__Output as _baton_v1_GetNodeRequest__Output } from '../../baton/v1/GetNodeRequest.js';
import type { HistoryResponse as _baton_v1_HistoryResponse, HistoryResponse__Output as _baton_v1_HistoryResponse__Output } from '../../baton/v1/HistoryResponse.js';
import type { JoinTokenInfo as _baton_v1_JoinTokenInfo, JoinTokenInfo__Output as _baton_v1_JoinTokenInfo__Output } from '../../baton/v1/JoinTokenInfo.js';
import type { LabelNodeRequest as _baton_v1_LabelNodeRequest, LabelNodeRequest__Output as _baton_v1_LabelNodeRequest__Output } from '../../baton/v1/LabelNodeRequest.js';
import type { ListEventsRequest as _baton_v1_ListEventsRequest, ListEventsRequest__Output as _baton_v1_ListEventsRequest__Output } from '../../baton/v1/ListEventsRequest.js';
import type { ListEventsResponse as _baton_v1_ListEventsResponse, ListEventsResponse__Output as _baton_v1_ListEventsResponse__Output } from '../../baton/v1/ListEventsResponse.js';
import type { ListFileObjectsRequest as _baton_v1_ListFileObjectsRequest, ListFileObjectsRequest__Output as _baton_v1_ListFileObjectsRequest__Output } from '../../baton/v1/ListFileObjectsRequest.js';
import type { ListFileObjectsResponse as _baton_v1_ListFileObjectsResponse, ListFileObjectsResponse__Output as _baton_v1_ListFileObjectsResponse__Output } from '../../baton/v1/ListFileObjectsResponse.js';
import type { ListNodesRequest as _baton_v1_ListNodesRequest, ListNodesRequest__Output as _baton_v1_ListNodesRequest__Output } from '../../baton/v1/ListNodesRequest.js';
import type { ListNodesResponse as _baton_v1_ListNodesResponse, ListNodesResponse__Output as _baton_v1_ListNodesResponse__Output } from '../../baton/v1/ListNodesResponse.js';
import type { ListReplicasRequest as _baton_v1_ListReplicasRequest, ListReplicasRequest__Output as _baton_v1_ListReplicasRequest__Output } from '../../baton/v1/ListReplicasRequest.js';
import type { ListReplicasResponse as _baton_v1_ListReplicasResponse, ListReplicasResponse__Output as _baton_v1_ListReplicasResponse__Output } from '../../baton/v1/ListReplicasResponse.js';
import type { ListServicesRequest as _baton_v1_ListServicesRequest, ListServicesRequest__Output as _baton_v1_ListServicesRequest__Output } from '../../baton/v1/ListServicesRequest.js';
import type { ListServicesResponse as _baton_v1_ListServicesResponse, ListServicesResponse__Output as _baton_v1_ListServicesResponse__Output } from '../../baton/v1/ListServicesResponse.js';
import type { ListVolumesRequest as _baton_v1_ListVolumesRequest, ListVolumesRequest__Output as _baton_v1_ListVolumesRequest__Output } from '../../baton/v1/ListVolumesRequest.js';
import type { ListVolumesResponse as _baton_v1_ListVolumesResponse, ListVolumesResponse__Output as _baton_v1_ListVolumesResponse__Output } from '../../baton/v1/ListVolumesResponse.js';
import type { LogLine as _baton_v1_LogLine, LogLine__Output as _baton_v1_LogLine__Output } from '../../baton/v1/LogLine.js';
import type { LogsRequest as _baton_v1_LogsRequest, LogsRequest__Output as _baton_v1_LogsRequest__Output } from '../../baton/v1/LogsRequest.js';
import type { NodeInfo as _baton_v1_NodeInfo, NodeInfo__Output as _baton_v1_NodeInfo__Output } from '../../baton/v1/NodeInfo.js';
import type { PlanRequest as _baton_v1_PlanRequest, PlanRequest__Output as _baton_v1_PlanRequest__Output } from '../../baton/v1/PlanRequest.js';
import type { PlanResponse as _baton_v1_PlanResponse, PlanResponse__Output as _baton_v1_PlanResponse__Output } from '../../baton/v1/PlanResponse.js';
import type { RebalanceInfo as _baton_v1_RebalanceInfo, RebalanceInfo__Output as _baton_v1_RebalanceInfo__Output } from '../../baton/v1/RebalanceInfo.js';
import type { RebalanceRequest as _baton_v1_RebalanceRequest, RebalanceRequest__Output as _baton_v1_RebalanceRequest__Output } from '../../baton/v1/RebalanceRequest.js';
import type { RebalanceStatusRequest as _baton_v1_RebalanceStatusRequest, RebalanceStatusRequest__Output as _baton_v1_RebalanceStatusRequest__Output } from '../../baton/v1/RebalanceStatusRequest.js';
import type { RemoveNodeRequest as _baton_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _baton_v1_RemoveNodeRequest__Output } from '../../baton/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _baton_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _baton_v1_RemoveNodeResponse__Output } from '../../baton/v1/RemoveNodeResponse.js';
import type { RemoveRequest as _baton_v1_RemoveRequest, RemoveRequest__Output as _baton_v1_RemoveRequest__Output } from '../../baton/v1/RemoveRequest.js';
import type { RemoveResponse as _baton_v1_RemoveResponse, RemoveResponse__Output as _baton_v1_RemoveResponse__Output } from '../../baton/v1/RemoveResponse.js';
import type { RevokeCredentialRequest as _baton_v1_RevokeCredentialRequest, RevokeCredentialRequest__Output as _baton_v1_RevokeCredentialRequest__Output } from '../../baton/v1/RevokeCredentialRequest.js';
import type { RevokeCredentialResponse as _baton_v1_RevokeCredentialResponse, RevokeCredentialResponse__Output as _baton_v1_RevokeCredentialResponse__Output } from '../../baton/v1/RevokeCredentialResponse.js';
import type { RollbackResponse as _baton_v1_RollbackResponse, RollbackResponse__Output as _baton_v1_RollbackResponse__Output } from '../../baton/v1/RollbackResponse.js';
import type { RolloutInfo as _baton_v1_RolloutInfo, RolloutInfo__Output as _baton_v1_RolloutInfo__Output } from '../../baton/v1/RolloutInfo.js';
import type { ScaleRequest as _baton_v1_ScaleRequest, ScaleRequest__Output as _baton_v1_ScaleRequest__Output } from '../../baton/v1/ScaleRequest.js';
import type { ScaleResponse as _baton_v1_ScaleResponse, ScaleResponse__Output as _baton_v1_ScaleResponse__Output } from '../../baton/v1/ScaleResponse.js';
import type { ServiceRef as _baton_v1_ServiceRef, ServiceRef__Output as _baton_v1_ServiceRef__Output } from '../../baton/v1/ServiceRef.js';
import type { SetNodeScheduleRequest as _baton_v1_SetNodeScheduleRequest, SetNodeScheduleRequest__Output as _baton_v1_SetNodeScheduleRequest__Output } from '../../baton/v1/SetNodeScheduleRequest.js';
import type { TopRequest as _baton_v1_TopRequest, TopRequest__Output as _baton_v1_TopRequest__Output } from '../../baton/v1/TopRequest.js';
import type { TopResponse as _baton_v1_TopResponse, TopResponse__Output as _baton_v1_TopResponse__Output } from '../../baton/v1/TopResponse.js';
import type { UsageRequest as _baton_v1_UsageRequest, UsageRequest__Output as _baton_v1_UsageRequest__Output } from '../../baton/v1/UsageRequest.js';
import type { UsageResponse as _baton_v1_UsageResponse, UsageResponse__Output as _baton_v1_UsageResponse__Output } from '../../baton/v1/UsageResponse.js';
import type { WatchEventsRequest as _baton_v1_WatchEventsRequest, WatchEventsRequest__Output as _baton_v1_WatchEventsRequest__Output } from '../../baton/v1/WatchEventsRequest.js';
import type { WhoAmIRequest as _baton_v1_WhoAmIRequest, WhoAmIRequest__Output as _baton_v1_WhoAmIRequest__Output } from '../../baton/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _baton_v1_WhoAmIResponse, WhoAmIResponse__Output as _baton_v1_WhoAmIResponse__Output } from '../../baton/v1/WhoAmIResponse.js';

export interface ControlServiceClient extends grpc.Client {
  AutoscaleStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  AutoscaleStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  AutoscaleStatus(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  AutoscaleStatus(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  autoscaleStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  autoscaleStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  autoscaleStatus(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  autoscaleStatus(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_AutoscaleStatusResponse__Output>): grpc.ClientUnaryCall;
  
  CreateConfig(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _baton_v1_CreateFileObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateConfig(argument: _baton_v1_CreateFileObjectRequest, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _baton_v1_CreateFileObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createConfig(argument: _baton_v1_CreateFileObjectRequest, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  
  CreateCredential(argument: _baton_v1_CreateCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  CreateCredential(argument: _baton_v1_CreateCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  CreateCredential(argument: _baton_v1_CreateCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  CreateCredential(argument: _baton_v1_CreateCredentialRequest, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  createCredential(argument: _baton_v1_CreateCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  createCredential(argument: _baton_v1_CreateCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  createCredential(argument: _baton_v1_CreateCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  createCredential(argument: _baton_v1_CreateCredentialRequest, callback: grpc.requestCallback<_baton_v1_Credential__Output>): grpc.ClientUnaryCall;
  
  CreateSecret(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _baton_v1_CreateFileObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  CreateSecret(argument: _baton_v1_CreateFileObjectRequest, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _baton_v1_CreateFileObjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _baton_v1_CreateFileObjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  createSecret(argument: _baton_v1_CreateFileObjectRequest, callback: grpc.requestCallback<_baton_v1_FileObjectInfo__Output>): grpc.ClientUnaryCall;
  
  Deploy(argument: _baton_v1_DeployRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  Deploy(argument: _baton_v1_DeployRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  Deploy(argument: _baton_v1_DeployRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  Deploy(argument: _baton_v1_DeployRequest, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  deploy(argument: _baton_v1_DeployRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  deploy(argument: _baton_v1_DeployRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  deploy(argument: _baton_v1_DeployRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  deploy(argument: _baton_v1_DeployRequest, callback: grpc.requestCallback<_baton_v1_DeployResponse__Output>): grpc.ClientUnaryCall;
  
  GetJoinToken(argument: _baton_v1_GetJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _baton_v1_GetJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _baton_v1_GetJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  GetJoinToken(argument: _baton_v1_GetJoinTokenRequest, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _baton_v1_GetJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _baton_v1_GetJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _baton_v1_GetJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  getJoinToken(argument: _baton_v1_GetJoinTokenRequest, callback: grpc.requestCallback<_baton_v1_JoinTokenInfo__Output>): grpc.ClientUnaryCall;
  
  GetNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _baton_v1_GetNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  getNode(argument: _baton_v1_GetNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  
  History(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  History(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  history(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_HistoryResponse__Output>): grpc.ClientUnaryCall;
  
  InspectConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  InspectConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  InspectConfig(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  InspectConfig(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  inspectConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  inspectConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  inspectConfig(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  inspectConfig(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_ConfigContent__Output>): grpc.ClientUnaryCall;
  
  LabelNode(argument: _baton_v1_LabelNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _baton_v1_LabelNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _baton_v1_LabelNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  LabelNode(argument: _baton_v1_LabelNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _baton_v1_LabelNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _baton_v1_LabelNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _baton_v1_LabelNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  labelNode(argument: _baton_v1_LabelNodeRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  
  ListConfigs(argument: _baton_v1_ListFileObjectsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  ListConfigs(argument: _baton_v1_ListFileObjectsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  listConfigs(argument: _baton_v1_ListFileObjectsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  listConfigs(argument: _baton_v1_ListFileObjectsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  
  ListEndpoints(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListEndpoints(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListEndpoints(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  ListEndpoints(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  listEndpoints(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  listEndpoints(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  listEndpoints(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  listEndpoints(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_EndpointsResponse__Output>): grpc.ClientUnaryCall;
  
  ListEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListEventsResponse__Output>;
  ListEvents(argument: _baton_v1_ListEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListEventsResponse__Output>;
  listEvents(argument: _baton_v1_ListEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListEventsResponse__Output>;
  listEvents(argument: _baton_v1_ListEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListEventsResponse__Output>;
  
  ListNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListNodesResponse__Output>;
  ListNodes(argument: _baton_v1_ListNodesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListNodesResponse__Output>;
  listNodes(argument: _baton_v1_ListNodesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListNodesResponse__Output>;
  listNodes(argument: _baton_v1_ListNodesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListNodesResponse__Output>;
  
  ListReplicas(argument: _baton_v1_ListReplicasRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListReplicasResponse__Output>;
  ListReplicas(argument: _baton_v1_ListReplicasRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListReplicasResponse__Output>;
  listReplicas(argument: _baton_v1_ListReplicasRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListReplicasResponse__Output>;
  listReplicas(argument: _baton_v1_ListReplicasRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListReplicasResponse__Output>;
  
  ListSecrets(argument: _baton_v1_ListFileObjectsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  ListSecrets(argument: _baton_v1_ListFileObjectsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  listSecrets(argument: _baton_v1_ListFileObjectsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  listSecrets(argument: _baton_v1_ListFileObjectsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListFileObjectsResponse__Output>;
  
  ListServices(argument: _baton_v1_ListServicesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListServicesResponse__Output>;
  ListServices(argument: _baton_v1_ListServicesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListServicesResponse__Output>;
  listServices(argument: _baton_v1_ListServicesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListServicesResponse__Output>;
  listServices(argument: _baton_v1_ListServicesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListServicesResponse__Output>;
  
  ListVolumes(argument: _baton_v1_ListVolumesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListVolumesResponse__Output>;
  ListVolumes(argument: _baton_v1_ListVolumesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListVolumesResponse__Output>;
  listVolumes(argument: _baton_v1_ListVolumesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListVolumesResponse__Output>;
  listVolumes(argument: _baton_v1_ListVolumesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_ListVolumesResponse__Output>;
  
  Logs(argument: _baton_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_LogLine__Output>;
  Logs(argument: _baton_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_LogLine__Output>;
  logs(argument: _baton_v1_LogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_LogLine__Output>;
  logs(argument: _baton_v1_LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_LogLine__Output>;
  
  Plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _baton_v1_PlanRequest, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _baton_v1_PlanRequest, callback: grpc.requestCallback<_baton_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  
  Rebalance(argument: _baton_v1_RebalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _baton_v1_RebalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _baton_v1_RebalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  Rebalance(argument: _baton_v1_RebalanceRequest, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _baton_v1_RebalanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _baton_v1_RebalanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _baton_v1_RebalanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalance(argument: _baton_v1_RebalanceRequest, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  
  RebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  RebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  RebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  RebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  rebalanceStatus(argument: _baton_v1_RebalanceStatusRequest, callback: grpc.requestCallback<_baton_v1_RebalanceInfo__Output>): grpc.ClientUnaryCall;
  
  Remove(argument: _baton_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _baton_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _baton_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _baton_v1_RemoveRequest, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _baton_v1_RemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _baton_v1_RemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _baton_v1_RemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _baton_v1_RemoveRequest, callback: grpc.requestCallback<_baton_v1_RemoveResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveConfig(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeConfig(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  
  RemoveNode(argument: _baton_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _baton_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _baton_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _baton_v1_RemoveNodeRequest, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _baton_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _baton_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _baton_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _baton_v1_RemoveNodeRequest, callback: grpc.requestCallback<_baton_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  RemoveSecret(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  RemoveSecret(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _baton_v1_FileObjectRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _baton_v1_FileObjectRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  removeSecret(argument: _baton_v1_FileObjectRef, callback: grpc.requestCallback<_baton_v1_FileObjectRef__Output>): grpc.ClientUnaryCall;
  
  RevokeCredential(argument: _baton_v1_RevokeCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _baton_v1_RevokeCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _baton_v1_RevokeCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  RevokeCredential(argument: _baton_v1_RevokeCredentialRequest, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _baton_v1_RevokeCredentialRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _baton_v1_RevokeCredentialRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _baton_v1_RevokeCredentialRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  revokeCredential(argument: _baton_v1_RevokeCredentialRequest, callback: grpc.requestCallback<_baton_v1_RevokeCredentialResponse__Output>): grpc.ClientUnaryCall;
  
  Rollback(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  Rollback(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  rollback(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_RollbackResponse__Output>): grpc.ClientUnaryCall;
  
  RolloutStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  RolloutStatus(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _baton_v1_ServiceRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _baton_v1_ServiceRef, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  rolloutStatus(argument: _baton_v1_ServiceRef, callback: grpc.requestCallback<_baton_v1_RolloutInfo__Output>): grpc.ClientUnaryCall;
  
  Scale(argument: _baton_v1_ScaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _baton_v1_ScaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _baton_v1_ScaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  Scale(argument: _baton_v1_ScaleRequest, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _baton_v1_ScaleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _baton_v1_ScaleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _baton_v1_ScaleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  scale(argument: _baton_v1_ScaleRequest, callback: grpc.requestCallback<_baton_v1_ScaleResponse__Output>): grpc.ClientUnaryCall;
  
  SetNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  SetNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  SetNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  SetNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  setNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  setNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  setNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  setNodeSchedule(argument: _baton_v1_SetNodeScheduleRequest, callback: grpc.requestCallback<_baton_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  
  Top(argument: _baton_v1_TopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _baton_v1_TopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _baton_v1_TopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  Top(argument: _baton_v1_TopRequest, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _baton_v1_TopRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _baton_v1_TopRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _baton_v1_TopRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  top(argument: _baton_v1_TopRequest, callback: grpc.requestCallback<_baton_v1_TopResponse__Output>): grpc.ClientUnaryCall;
  
  Usage(argument: _baton_v1_UsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _baton_v1_UsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _baton_v1_UsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  Usage(argument: _baton_v1_UsageRequest, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _baton_v1_UsageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _baton_v1_UsageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _baton_v1_UsageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  usage(argument: _baton_v1_UsageRequest, callback: grpc.requestCallback<_baton_v1_UsageResponse__Output>): grpc.ClientUnaryCall;
  
  WatchEvents(argument: _baton_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  WatchEvents(argument: _baton_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  watchEvents(argument: _baton_v1_WatchEventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  watchEvents(argument: _baton_v1_WatchEventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_baton_v1_Event__Output>;
  
  WhoAmI(argument: _baton_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _baton_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _baton_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  WhoAmI(argument: _baton_v1_WhoAmIRequest, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _baton_v1_WhoAmIRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _baton_v1_WhoAmIRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _baton_v1_WhoAmIRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  whoAmI(argument: _baton_v1_WhoAmIRequest, callback: grpc.requestCallback<_baton_v1_WhoAmIResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ControlServiceHandlers extends grpc.UntypedServiceImplementation {
  AutoscaleStatus: grpc.handleUnaryCall<_baton_v1_ServiceRef__Output, _baton_v1_AutoscaleStatusResponse>;
  
  CreateConfig: grpc.handleUnaryCall<_baton_v1_CreateFileObjectRequest__Output, _baton_v1_FileObjectInfo>;
  
  CreateCredential: grpc.handleUnaryCall<_baton_v1_CreateCredentialRequest__Output, _baton_v1_Credential>;
  
  CreateSecret: grpc.handleUnaryCall<_baton_v1_CreateFileObjectRequest__Output, _baton_v1_FileObjectInfo>;
  
  Deploy: grpc.handleUnaryCall<_baton_v1_DeployRequest__Output, _baton_v1_DeployResponse>;
  
  GetJoinToken: grpc.handleUnaryCall<_baton_v1_GetJoinTokenRequest__Output, _baton_v1_JoinTokenInfo>;
  
  GetNode: grpc.handleUnaryCall<_baton_v1_GetNodeRequest__Output, _baton_v1_NodeInfo>;
  
  History: grpc.handleUnaryCall<_baton_v1_ServiceRef__Output, _baton_v1_HistoryResponse>;
  
  InspectConfig: grpc.handleUnaryCall<_baton_v1_FileObjectRef__Output, _baton_v1_ConfigContent>;
  
  LabelNode: grpc.handleUnaryCall<_baton_v1_LabelNodeRequest__Output, _baton_v1_NodeInfo>;
  
  ListConfigs: grpc.handleServerStreamingCall<_baton_v1_ListFileObjectsRequest__Output, _baton_v1_ListFileObjectsResponse>;
  
  ListEndpoints: grpc.handleUnaryCall<_baton_v1_ServiceRef__Output, _baton_v1_EndpointsResponse>;
  
  ListEvents: grpc.handleServerStreamingCall<_baton_v1_ListEventsRequest__Output, _baton_v1_ListEventsResponse>;
  
  ListNodes: grpc.handleServerStreamingCall<_baton_v1_ListNodesRequest__Output, _baton_v1_ListNodesResponse>;
  
  ListReplicas: grpc.handleServerStreamingCall<_baton_v1_ListReplicasRequest__Output, _baton_v1_ListReplicasResponse>;
  
  ListSecrets: grpc.handleServerStreamingCall<_baton_v1_ListFileObjectsRequest__Output, _baton_v1_ListFileObjectsResponse>;
  
  ListServices: grpc.handleServerStreamingCall<_baton_v1_ListServicesRequest__Output, _baton_v1_ListServicesResponse>;
  
  ListVolumes: grpc.handleServerStreamingCall<_baton_v1_ListVolumesRequest__Output, _baton_v1_ListVolumesResponse>;
  
  Logs: grpc.handleServerStreamingCall<_baton_v1_LogsRequest__Output, _baton_v1_LogLine>;
  
  Plan: grpc.handleUnaryCall<_baton_v1_PlanRequest__Output, _baton_v1_PlanResponse>;
  
  Rebalance: grpc.handleUnaryCall<_baton_v1_RebalanceRequest__Output, _baton_v1_RebalanceInfo>;
  
  RebalanceStatus: grpc.handleUnaryCall<_baton_v1_RebalanceStatusRequest__Output, _baton_v1_RebalanceInfo>;
  
  Remove: grpc.handleUnaryCall<_baton_v1_RemoveRequest__Output, _baton_v1_RemoveResponse>;
  
  RemoveConfig: grpc.handleUnaryCall<_baton_v1_FileObjectRef__Output, _baton_v1_FileObjectRef>;
  
  RemoveNode: grpc.handleUnaryCall<_baton_v1_RemoveNodeRequest__Output, _baton_v1_RemoveNodeResponse>;
  
  RemoveSecret: grpc.handleUnaryCall<_baton_v1_FileObjectRef__Output, _baton_v1_FileObjectRef>;
  
  RevokeCredential: grpc.handleUnaryCall<_baton_v1_RevokeCredentialRequest__Output, _baton_v1_RevokeCredentialResponse>;
  
  Rollback: grpc.handleUnaryCall<_baton_v1_ServiceRef__Output, _baton_v1_RollbackResponse>;
  
  RolloutStatus: grpc.handleUnaryCall<_baton_v1_ServiceRef__Output, _baton_v1_RolloutInfo>;
  
  Scale: grpc.handleUnaryCall<_baton_v1_ScaleRequest__Output, _baton_v1_ScaleResponse>;
  
  SetNodeSchedule: grpc.handleUnaryCall<_baton_v1_SetNodeScheduleRequest__Output, _baton_v1_NodeInfo>;
  
  Top: grpc.handleUnaryCall<_baton_v1_TopRequest__Output, _baton_v1_TopResponse>;
  
  Usage: grpc.handleUnaryCall<_baton_v1_UsageRequest__Output, _baton_v1_UsageResponse>;
  
  WatchEvents: grpc.handleServerStreamingCall<_baton_v1_WatchEventsRequest__Output, _baton_v1_Event>;
  
  WhoAmI: grpc.handleUnaryCall<_baton_v1_WhoAmIRequest__Output, _baton_v1_WhoAmIResponse>;
  
}

export interface ControlServiceDefinition extends grpc.ServiceDefinition {
  AutoscaleStatus: MethodDefinition<_baton_v1_ServiceRef, _baton_v1_AutoscaleStatusResponse, _baton_v1_ServiceRef__Output, _baton_v1_AutoscaleStatusResponse__Output>
  CreateConfig: MethodDefinition<_baton_v1_CreateFileObjectRequest, _baton_v1_FileObjectInfo, _baton_v1_CreateFileObjectRequest__Output, _baton_v1_FileObjectInfo__Output>
  CreateCredential: MethodDefinition<_baton_v1_CreateCredentialRequest, _baton_v1_Credential, _baton_v1_CreateCredentialRequest__Output, _baton_v1_Credential__Output>
  CreateSecret: MethodDefinition<_baton_v1_CreateFileObjectRequest, _baton_v1_FileObjectInfo, _baton_v1_CreateFileObjectRequest__Output, _baton_v1_FileObjectInfo__Output>
  Deploy: MethodDefinition<_baton_v1_DeployRequest, _baton_v1_DeployResponse, _baton_v1_DeployRequest__Output, _baton_v1_DeployResponse__Output>
  GetJoinToken: MethodDefinition<_baton_v1_GetJoinTokenRequest, _baton_v1_JoinTokenInfo, _baton_v1_GetJoinTokenRequest__Output, _baton_v1_JoinTokenInfo__Output>
  GetNode: MethodDefinition<_baton_v1_GetNodeRequest, _baton_v1_NodeInfo, _baton_v1_GetNodeRequest__Output, _baton_v1_NodeInfo__Output>
  History: MethodDefinition<_baton_v1_ServiceRef, _baton_v1_HistoryResponse, _baton_v1_ServiceRef__Output, _baton_v1_HistoryResponse__Output>
  InspectConfig: MethodDefinition<_baton_v1_FileObjectRef, _baton_v1_ConfigContent, _baton_v1_FileObjectRef__Output, _baton_v1_ConfigContent__Output>
  LabelNode: MethodDefinition<_baton_v1_LabelNodeRequest, _baton_v1_NodeInfo, _baton_v1_LabelNodeRequest__Output, _baton_v1_NodeInfo__Output>
  ListConfigs: MethodDefinition<_baton_v1_ListFileObjectsRequest, _baton_v1_ListFileObjectsResponse, _baton_v1_ListFileObjectsRequest__Output, _baton_v1_ListFileObjectsResponse__Output>
  ListEndpoints: MethodDefinition<_baton_v1_ServiceRef, _baton_v1_EndpointsResponse, _baton_v1_ServiceRef__Output, _baton_v1_EndpointsResponse__Output>
  ListEvents: MethodDefinition<_baton_v1_ListEventsRequest, _baton_v1_ListEventsResponse, _baton_v1_ListEventsRequest__Output, _baton_v1_ListEventsResponse__Output>
  ListNodes: MethodDefinition<_baton_v1_ListNodesRequest, _baton_v1_ListNodesResponse, _baton_v1_ListNodesRequest__Output, _baton_v1_ListNodesResponse__Output>
  ListReplicas: MethodDefinition<_baton_v1_ListReplicasRequest, _baton_v1_ListReplicasResponse, _baton_v1_ListReplicasRequest__Output, _baton_v1_ListReplicasResponse__Output>
  ListSecrets: MethodDefinition<_baton_v1_ListFileObjectsRequest, _baton_v1_ListFileObjectsResponse, _baton_v1_ListFileObjectsRequest__Output, _baton_v1_ListFileObjectsResponse__Output>
  ListServices: MethodDefinition<_baton_v1_ListServicesRequest, _baton_v1_ListServicesResponse, _baton_v1_ListServicesRequest__Output, _baton_v1_ListServicesResponse__Output>
  ListVolumes: MethodDefinition<_baton_v1_ListVolumesRequest, _baton_v1_ListVolumesResponse, _baton_v1_ListVolumesRequest__Output, _baton_v1_ListVolumesResponse__Output>
  Logs: MethodDefinition<_baton_v1_LogsRequest, _baton_v1_LogLine, _baton_v1_LogsRequest__Output, _baton_v1_LogLine__Output>
  Plan: MethodDefinition<_baton_v1_PlanRequest, _baton_v1_PlanResponse, _baton_v1_PlanRequest__Output, _baton_v1_PlanResponse__Output>
  Rebalance: MethodDefinition<_baton_v1_RebalanceRequest, _baton_v1_RebalanceInfo, _baton_v1_RebalanceRequest__Output, _baton_v1_RebalanceInfo__Output>
  RebalanceStatus: MethodDefinition<_baton_v1_RebalanceStatusRequest, _baton_v1_RebalanceInfo, _baton_v1_RebalanceStatusRequest__Output, _baton_v1_RebalanceInfo__Output>
  Remove: MethodDefinition<_baton_v1_RemoveRequest, _baton_v1_RemoveResponse, _baton_v1_RemoveRequest__Output, _baton_v1_RemoveResponse__Output>
  RemoveConfig: MethodDefinition<_baton_v1_FileObjectRef, _baton_v1_FileObjectRef, _baton_v1_FileObjectRef__Output, _baton_v1_FileObjectRef__Output>
  RemoveNode: MethodDefinition<_baton_v1_RemoveNodeRequest, _baton_v1_RemoveNodeResponse, _baton_v1_RemoveNodeRequest__Output, _baton_v1_RemoveNodeResponse__Output>
  RemoveSecret: MethodDefinition<_baton_v1_FileObjectRef, _baton_v1_FileObjectRef, _baton_v1_FileObjectRef__Output, _baton_v1_FileObjectRef__Output>
  RevokeCredential: MethodDefinition<_baton_v1_RevokeCredentialRequest, _baton_v1_RevokeCredentialResponse, _baton_v1_RevokeCredentialRequest__Output, _baton_v1_RevokeCredentialResponse__Output>
  Rollback: MethodDefinition<_baton_v1_ServiceRef, _baton_v1_RollbackResponse, _baton_v1_ServiceRef__Output, _baton_v1_RollbackResponse__Output>
  RolloutStatus: MethodDefinition<_baton_v1_ServiceRef, _baton_v1_RolloutInfo, _baton_v1_ServiceRef__Output, _baton_v1_RolloutInfo__Output>
  Scale: MethodDefinition<_baton_v1_ScaleRequest, _baton_v1_ScaleResponse, _baton_v1_ScaleRequest__Output, _baton_v1_ScaleResponse__Output>
  SetNodeSchedule: MethodDefinition<_baton_v1_SetNodeScheduleRequest, _baton_v1_NodeInfo, _baton_v1_SetNodeScheduleRequest__Output, _baton_v1_NodeInfo__Output>
  Top: MethodDefinition<_baton_v1_TopRequest, _baton_v1_TopResponse, _baton_v1_TopRequest__Output, _baton_v1_TopResponse__Output>
  Usage: MethodDefinition<_baton_v1_UsageRequest, _baton_v1_UsageResponse, _baton_v1_UsageRequest__Output, _baton_v1_UsageResponse__Output>
  WatchEvents: MethodDefinition<_baton_v1_WatchEventsRequest, _baton_v1_Event, _baton_v1_WatchEventsRequest__Output, _baton_v1_Event__Output>
  WhoAmI: MethodDefinition<_baton_v1_WhoAmIRequest, _baton_v1_WhoAmIResponse, _baton_v1_WhoAmIRequest__Output, _baton_v1_WhoAmIResponse__Output>
}
