import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentMessage as _baton_v1_AgentMessage, AgentMessage__Output as _baton_v1_AgentMessage__Output } from './baton/v1/AgentMessage.js';
import type { AgentServiceClient as _baton_v1_AgentServiceClient, AgentServiceDefinition as _baton_v1_AgentServiceDefinition } from './baton/v1/AgentService.js';
import type { Argv as _baton_v1_Argv, Argv__Output as _baton_v1_Argv__Output } from './baton/v1/Argv.js';
import type { AutoscaleBounds as _baton_v1_AutoscaleBounds, AutoscaleBounds__Output as _baton_v1_AutoscaleBounds__Output } from './baton/v1/AutoscaleBounds.js';
import type { AutoscaleDecisionInfo as _baton_v1_AutoscaleDecisionInfo, AutoscaleDecisionInfo__Output as _baton_v1_AutoscaleDecisionInfo__Output } from './baton/v1/AutoscaleDecisionInfo.js';
import type { AutoscaleReading as _baton_v1_AutoscaleReading, AutoscaleReading__Output as _baton_v1_AutoscaleReading__Output } from './baton/v1/AutoscaleReading.js';
import type { AutoscaleServiceStatus as _baton_v1_AutoscaleServiceStatus, AutoscaleServiceStatus__Output as _baton_v1_AutoscaleServiceStatus__Output } from './baton/v1/AutoscaleServiceStatus.js';
import type { AutoscaleStatusResponse as _baton_v1_AutoscaleStatusResponse, AutoscaleStatusResponse__Output as _baton_v1_AutoscaleStatusResponse__Output } from './baton/v1/AutoscaleStatusResponse.js';
import type { Capacity as _baton_v1_Capacity, Capacity__Output as _baton_v1_Capacity__Output } from './baton/v1/Capacity.js';
import type { ClusterCA as _baton_v1_ClusterCA, ClusterCA__Output as _baton_v1_ClusterCA__Output } from './baton/v1/ClusterCA.js';
import type { Command as _baton_v1_Command, Command__Output as _baton_v1_Command__Output } from './baton/v1/Command.js';
import type { CommandAck as _baton_v1_CommandAck, CommandAck__Output as _baton_v1_CommandAck__Output } from './baton/v1/CommandAck.js';
import type { ConfigContent as _baton_v1_ConfigContent, ConfigContent__Output as _baton_v1_ConfigContent__Output } from './baton/v1/ConfigContent.js';
import type { ContainerEvent as _baton_v1_ContainerEvent, ContainerEvent__Output as _baton_v1_ContainerEvent__Output } from './baton/v1/ContainerEvent.js';
import type { ContainerSettings as _baton_v1_ContainerSettings, ContainerSettings__Output as _baton_v1_ContainerSettings__Output } from './baton/v1/ContainerSettings.js';
import type { ContainerState as _baton_v1_ContainerState, ContainerState__Output as _baton_v1_ContainerState__Output } from './baton/v1/ContainerState.js';
import type { ControlServiceClient as _baton_v1_ControlServiceClient, ControlServiceDefinition as _baton_v1_ControlServiceDefinition } from './baton/v1/ControlService.js';
import type { CoordinatorMessage as _baton_v1_CoordinatorMessage, CoordinatorMessage__Output as _baton_v1_CoordinatorMessage__Output } from './baton/v1/CoordinatorMessage.js';
import type { CreateCredentialRequest as _baton_v1_CreateCredentialRequest, CreateCredentialRequest__Output as _baton_v1_CreateCredentialRequest__Output } from './baton/v1/CreateCredentialRequest.js';
import type { CreateFileObjectRequest as _baton_v1_CreateFileObjectRequest, CreateFileObjectRequest__Output as _baton_v1_CreateFileObjectRequest__Output } from './baton/v1/CreateFileObjectRequest.js';
import type { Credential as _baton_v1_Credential, Credential__Output as _baton_v1_Credential__Output } from './baton/v1/Credential.js';
import type { DeployRequest as _baton_v1_DeployRequest, DeployRequest__Output as _baton_v1_DeployRequest__Output } from './baton/v1/DeployRequest.js';
import type { DeployResponse as _baton_v1_DeployResponse, DeployResponse__Output as _baton_v1_DeployResponse__Output } from './baton/v1/DeployResponse.js';
import type { Endpoint as _baton_v1_Endpoint, Endpoint__Output as _baton_v1_Endpoint__Output } from './baton/v1/Endpoint.js';
import type { EndpointConnections as _baton_v1_EndpointConnections, EndpointConnections__Output as _baton_v1_EndpointConnections__Output } from './baton/v1/EndpointConnections.js';
import type { EndpointSet as _baton_v1_EndpointSet, EndpointSet__Output as _baton_v1_EndpointSet__Output } from './baton/v1/EndpointSet.js';
import type { EndpointsResponse as _baton_v1_EndpointsResponse, EndpointsResponse__Output as _baton_v1_EndpointsResponse__Output } from './baton/v1/EndpointsResponse.js';
import type { Event as _baton_v1_Event, Event__Output as _baton_v1_Event__Output } from './baton/v1/Event.js';
import type { FileMount as _baton_v1_FileMount, FileMount__Output as _baton_v1_FileMount__Output } from './baton/v1/FileMount.js';
import type { FileObjectInfo as _baton_v1_FileObjectInfo, FileObjectInfo__Output as _baton_v1_FileObjectInfo__Output } from './baton/v1/FileObjectInfo.js';
import type { FileObjectRef as _baton_v1_FileObjectRef, FileObjectRef__Output as _baton_v1_FileObjectRef__Output } from './baton/v1/FileObjectRef.js';
import type { GetClusterCARequest as _baton_v1_GetClusterCARequest, GetClusterCARequest__Output as _baton_v1_GetClusterCARequest__Output } from './baton/v1/GetClusterCARequest.js';
import type { GetJoinTokenRequest as _baton_v1_GetJoinTokenRequest, GetJoinTokenRequest__Output as _baton_v1_GetJoinTokenRequest__Output } from './baton/v1/GetJoinTokenRequest.js';
import type { GetNodeRequest as _baton_v1_GetNodeRequest, GetNodeRequest__Output as _baton_v1_GetNodeRequest__Output } from './baton/v1/GetNodeRequest.js';
import type { Goodbye as _baton_v1_Goodbye, Goodbye__Output as _baton_v1_Goodbye__Output } from './baton/v1/Goodbye.js';
import type { Healthcheck as _baton_v1_Healthcheck, Healthcheck__Output as _baton_v1_Healthcheck__Output } from './baton/v1/Healthcheck.js';
import type { Hello as _baton_v1_Hello, Hello__Output as _baton_v1_Hello__Output } from './baton/v1/Hello.js';
import type { HistoryEntry as _baton_v1_HistoryEntry, HistoryEntry__Output as _baton_v1_HistoryEntry__Output } from './baton/v1/HistoryEntry.js';
import type { HistoryResponse as _baton_v1_HistoryResponse, HistoryResponse__Output as _baton_v1_HistoryResponse__Output } from './baton/v1/HistoryResponse.js';
import type { HostUsage as _baton_v1_HostUsage, HostUsage__Output as _baton_v1_HostUsage__Output } from './baton/v1/HostUsage.js';
import type { HttpProbe as _baton_v1_HttpProbe, HttpProbe__Output as _baton_v1_HttpProbe__Output } from './baton/v1/HttpProbe.js';
import type { IngressCounters as _baton_v1_IngressCounters, IngressCounters__Output as _baton_v1_IngressCounters__Output } from './baton/v1/IngressCounters.js';
import type { IngressPort as _baton_v1_IngressPort, IngressPort__Output as _baton_v1_IngressPort__Output } from './baton/v1/IngressPort.js';
import type { IngressPortState as _baton_v1_IngressPortState, IngressPortState__Output as _baton_v1_IngressPortState__Output } from './baton/v1/IngressPortState.js';
import type { IngressPortSummary as _baton_v1_IngressPortSummary, IngressPortSummary__Output as _baton_v1_IngressPortSummary__Output } from './baton/v1/IngressPortSummary.js';
import type { IngressReport as _baton_v1_IngressReport, IngressReport__Output as _baton_v1_IngressReport__Output } from './baton/v1/IngressReport.js';
import type { IngressService as _baton_v1_IngressService, IngressService__Output as _baton_v1_IngressService__Output } from './baton/v1/IngressService.js';
import type { JoinRequest as _baton_v1_JoinRequest, JoinRequest__Output as _baton_v1_JoinRequest__Output } from './baton/v1/JoinRequest.js';
import type { JoinServiceClient as _baton_v1_JoinServiceClient, JoinServiceDefinition as _baton_v1_JoinServiceDefinition } from './baton/v1/JoinService.js';
import type { JoinTokenInfo as _baton_v1_JoinTokenInfo, JoinTokenInfo__Output as _baton_v1_JoinTokenInfo__Output } from './baton/v1/JoinTokenInfo.js';
import type { LabelNodeRequest as _baton_v1_LabelNodeRequest, LabelNodeRequest__Output as _baton_v1_LabelNodeRequest__Output } from './baton/v1/LabelNodeRequest.js';
import type { ListEventsRequest as _baton_v1_ListEventsRequest, ListEventsRequest__Output as _baton_v1_ListEventsRequest__Output } from './baton/v1/ListEventsRequest.js';
import type { ListEventsResponse as _baton_v1_ListEventsResponse, ListEventsResponse__Output as _baton_v1_ListEventsResponse__Output } from './baton/v1/ListEventsResponse.js';
import type { ListFileObjectsRequest as _baton_v1_ListFileObjectsRequest, ListFileObjectsRequest__Output as _baton_v1_ListFileObjectsRequest__Output } from './baton/v1/ListFileObjectsRequest.js';
import type { ListFileObjectsResponse as _baton_v1_ListFileObjectsResponse, ListFileObjectsResponse__Output as _baton_v1_ListFileObjectsResponse__Output } from './baton/v1/ListFileObjectsResponse.js';
import type { ListNodesRequest as _baton_v1_ListNodesRequest, ListNodesRequest__Output as _baton_v1_ListNodesRequest__Output } from './baton/v1/ListNodesRequest.js';
import type { ListNodesResponse as _baton_v1_ListNodesResponse, ListNodesResponse__Output as _baton_v1_ListNodesResponse__Output } from './baton/v1/ListNodesResponse.js';
import type { ListReplicasRequest as _baton_v1_ListReplicasRequest, ListReplicasRequest__Output as _baton_v1_ListReplicasRequest__Output } from './baton/v1/ListReplicasRequest.js';
import type { ListReplicasResponse as _baton_v1_ListReplicasResponse, ListReplicasResponse__Output as _baton_v1_ListReplicasResponse__Output } from './baton/v1/ListReplicasResponse.js';
import type { ListServicesRequest as _baton_v1_ListServicesRequest, ListServicesRequest__Output as _baton_v1_ListServicesRequest__Output } from './baton/v1/ListServicesRequest.js';
import type { ListServicesResponse as _baton_v1_ListServicesResponse, ListServicesResponse__Output as _baton_v1_ListServicesResponse__Output } from './baton/v1/ListServicesResponse.js';
import type { ListVolumesRequest as _baton_v1_ListVolumesRequest, ListVolumesRequest__Output as _baton_v1_ListVolumesRequest__Output } from './baton/v1/ListVolumesRequest.js';
import type { ListVolumesResponse as _baton_v1_ListVolumesResponse, ListVolumesResponse__Output as _baton_v1_ListVolumesResponse__Output } from './baton/v1/ListVolumesResponse.js';
import type { LogChunk as _baton_v1_LogChunk, LogChunk__Output as _baton_v1_LogChunk__Output } from './baton/v1/LogChunk.js';
import type { LogConfig as _baton_v1_LogConfig, LogConfig__Output as _baton_v1_LogConfig__Output } from './baton/v1/LogConfig.js';
import type { LogLine as _baton_v1_LogLine, LogLine__Output as _baton_v1_LogLine__Output } from './baton/v1/LogLine.js';
import type { LogsRequest as _baton_v1_LogsRequest, LogsRequest__Output as _baton_v1_LogsRequest__Output } from './baton/v1/LogsRequest.js';
import type { Mount as _baton_v1_Mount, Mount__Output as _baton_v1_Mount__Output } from './baton/v1/Mount.js';
import type { NodeCertificate as _baton_v1_NodeCertificate, NodeCertificate__Output as _baton_v1_NodeCertificate__Output } from './baton/v1/NodeCertificate.js';
import type { NodeInfo as _baton_v1_NodeInfo, NodeInfo__Output as _baton_v1_NodeInfo__Output } from './baton/v1/NodeInfo.js';
import type { NodeRoutes as _baton_v1_NodeRoutes, NodeRoutes__Output as _baton_v1_NodeRoutes__Output } from './baton/v1/NodeRoutes.js';
import type { NodeVolumes as _baton_v1_NodeVolumes, NodeVolumes__Output as _baton_v1_NodeVolumes__Output } from './baton/v1/NodeVolumes.js';
import type { PlanRequest as _baton_v1_PlanRequest, PlanRequest__Output as _baton_v1_PlanRequest__Output } from './baton/v1/PlanRequest.js';
import type { PlanResponse as _baton_v1_PlanResponse, PlanResponse__Output as _baton_v1_PlanResponse__Output } from './baton/v1/PlanResponse.js';
import type { PortBinding as _baton_v1_PortBinding, PortBinding__Output as _baton_v1_PortBinding__Output } from './baton/v1/PortBinding.js';
import type { PortMapping as _baton_v1_PortMapping, PortMapping__Output as _baton_v1_PortMapping__Output } from './baton/v1/PortMapping.js';
import type { PortRef as _baton_v1_PortRef, PortRef__Output as _baton_v1_PortRef__Output } from './baton/v1/PortRef.js';
import type { RebalanceInfo as _baton_v1_RebalanceInfo, RebalanceInfo__Output as _baton_v1_RebalanceInfo__Output } from './baton/v1/RebalanceInfo.js';
import type { RebalanceLoad as _baton_v1_RebalanceLoad, RebalanceLoad__Output as _baton_v1_RebalanceLoad__Output } from './baton/v1/RebalanceLoad.js';
import type { RebalanceMove as _baton_v1_RebalanceMove, RebalanceMove__Output as _baton_v1_RebalanceMove__Output } from './baton/v1/RebalanceMove.js';
import type { RebalanceRequest as _baton_v1_RebalanceRequest, RebalanceRequest__Output as _baton_v1_RebalanceRequest__Output } from './baton/v1/RebalanceRequest.js';
import type { RebalanceSkipped as _baton_v1_RebalanceSkipped, RebalanceSkipped__Output as _baton_v1_RebalanceSkipped__Output } from './baton/v1/RebalanceSkipped.js';
import type { RebalanceStatusRequest as _baton_v1_RebalanceStatusRequest, RebalanceStatusRequest__Output as _baton_v1_RebalanceStatusRequest__Output } from './baton/v1/RebalanceStatusRequest.js';
import type { Reconcile as _baton_v1_Reconcile, Reconcile__Output as _baton_v1_Reconcile__Output } from './baton/v1/Reconcile.js';
import type { RemoveNodeRequest as _baton_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _baton_v1_RemoveNodeRequest__Output } from './baton/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _baton_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _baton_v1_RemoveNodeResponse__Output } from './baton/v1/RemoveNodeResponse.js';
import type { RemoveRequest as _baton_v1_RemoveRequest, RemoveRequest__Output as _baton_v1_RemoveRequest__Output } from './baton/v1/RemoveRequest.js';
import type { RemoveResponse as _baton_v1_RemoveResponse, RemoveResponse__Output as _baton_v1_RemoveResponse__Output } from './baton/v1/RemoveResponse.js';
import type { RemoveVolumes as _baton_v1_RemoveVolumes, RemoveVolumes__Output as _baton_v1_RemoveVolumes__Output } from './baton/v1/RemoveVolumes.js';
import type { RemoveVolumesResult as _baton_v1_RemoveVolumesResult, RemoveVolumesResult__Output as _baton_v1_RemoveVolumesResult__Output } from './baton/v1/RemoveVolumesResult.js';
import type { RenewRequest as _baton_v1_RenewRequest, RenewRequest__Output as _baton_v1_RenewRequest__Output } from './baton/v1/RenewRequest.js';
import type { ReplicaInfo as _baton_v1_ReplicaInfo, ReplicaInfo__Output as _baton_v1_ReplicaInfo__Output } from './baton/v1/ReplicaInfo.js';
import type { Report as _baton_v1_Report, Report__Output as _baton_v1_Report__Output } from './baton/v1/Report.js';
import type { RestartPolicy as _baton_v1_RestartPolicy, RestartPolicy__Output as _baton_v1_RestartPolicy__Output } from './baton/v1/RestartPolicy.js';
import type { RevokeCredentialRequest as _baton_v1_RevokeCredentialRequest, RevokeCredentialRequest__Output as _baton_v1_RevokeCredentialRequest__Output } from './baton/v1/RevokeCredentialRequest.js';
import type { RevokeCredentialResponse as _baton_v1_RevokeCredentialResponse, RevokeCredentialResponse__Output as _baton_v1_RevokeCredentialResponse__Output } from './baton/v1/RevokeCredentialResponse.js';
import type { RollbackResponse as _baton_v1_RollbackResponse, RollbackResponse__Output as _baton_v1_RollbackResponse__Output } from './baton/v1/RollbackResponse.js';
import type { RolloutInfo as _baton_v1_RolloutInfo, RolloutInfo__Output as _baton_v1_RolloutInfo__Output } from './baton/v1/RolloutInfo.js';
import type { Route as _baton_v1_Route, Route__Output as _baton_v1_Route__Output } from './baton/v1/Route.js';
import type { ScaleRequest as _baton_v1_ScaleRequest, ScaleRequest__Output as _baton_v1_ScaleRequest__Output } from './baton/v1/ScaleRequest.js';
import type { ScaleResponse as _baton_v1_ScaleResponse, ScaleResponse__Output as _baton_v1_ScaleResponse__Output } from './baton/v1/ScaleResponse.js';
import type { ServiceChange as _baton_v1_ServiceChange, ServiceChange__Output as _baton_v1_ServiceChange__Output } from './baton/v1/ServiceChange.js';
import type { ServiceInfo as _baton_v1_ServiceInfo, ServiceInfo__Output as _baton_v1_ServiceInfo__Output } from './baton/v1/ServiceInfo.js';
import type { ServiceRef as _baton_v1_ServiceRef, ServiceRef__Output as _baton_v1_ServiceRef__Output } from './baton/v1/ServiceRef.js';
import type { SessionEnd as _baton_v1_SessionEnd, SessionEnd__Output as _baton_v1_SessionEnd__Output } from './baton/v1/SessionEnd.js';
import type { SetNodeScheduleRequest as _baton_v1_SetNodeScheduleRequest, SetNodeScheduleRequest__Output as _baton_v1_SetNodeScheduleRequest__Output } from './baton/v1/SetNodeScheduleRequest.js';
import type { StartReplica as _baton_v1_StartReplica, StartReplica__Output as _baton_v1_StartReplica__Output } from './baton/v1/StartReplica.js';
import type { StopReplica as _baton_v1_StopReplica, StopReplica__Output as _baton_v1_StopReplica__Output } from './baton/v1/StopReplica.js';
import type { StreamLogs as _baton_v1_StreamLogs, StreamLogs__Output as _baton_v1_StreamLogs__Output } from './baton/v1/StreamLogs.js';
import type { TcpProbe as _baton_v1_TcpProbe, TcpProbe__Output as _baton_v1_TcpProbe__Output } from './baton/v1/TcpProbe.js';
import type { TopRequest as _baton_v1_TopRequest, TopRequest__Output as _baton_v1_TopRequest__Output } from './baton/v1/TopRequest.js';
import type { TopResponse as _baton_v1_TopResponse, TopResponse__Output as _baton_v1_TopResponse__Output } from './baton/v1/TopResponse.js';
import type { TopRow as _baton_v1_TopRow, TopRow__Output as _baton_v1_TopRow__Output } from './baton/v1/TopRow.js';
import type { Ulimit as _baton_v1_Ulimit, Ulimit__Output as _baton_v1_Ulimit__Output } from './baton/v1/Ulimit.js';
import type { UnplacedReplica as _baton_v1_UnplacedReplica, UnplacedReplica__Output as _baton_v1_UnplacedReplica__Output } from './baton/v1/UnplacedReplica.js';
import type { UsageHint as _baton_v1_UsageHint, UsageHint__Output as _baton_v1_UsageHint__Output } from './baton/v1/UsageHint.js';
import type { UsageRequest as _baton_v1_UsageRequest, UsageRequest__Output as _baton_v1_UsageRequest__Output } from './baton/v1/UsageRequest.js';
import type { UsageResponse as _baton_v1_UsageResponse, UsageResponse__Output as _baton_v1_UsageResponse__Output } from './baton/v1/UsageResponse.js';
import type { UsageRow as _baton_v1_UsageRow, UsageRow__Output as _baton_v1_UsageRow__Output } from './baton/v1/UsageRow.js';
import type { VolumeInfo as _baton_v1_VolumeInfo, VolumeInfo__Output as _baton_v1_VolumeInfo__Output } from './baton/v1/VolumeInfo.js';
import type { VolumeInventory as _baton_v1_VolumeInventory, VolumeInventory__Output as _baton_v1_VolumeInventory__Output } from './baton/v1/VolumeInventory.js';
import type { VolumeRefusal as _baton_v1_VolumeRefusal, VolumeRefusal__Output as _baton_v1_VolumeRefusal__Output } from './baton/v1/VolumeRefusal.js';
import type { VolumeState as _baton_v1_VolumeState, VolumeState__Output as _baton_v1_VolumeState__Output } from './baton/v1/VolumeState.js';
import type { WatchEventsRequest as _baton_v1_WatchEventsRequest, WatchEventsRequest__Output as _baton_v1_WatchEventsRequest__Output } from './baton/v1/WatchEventsRequest.js';
import type { Welcome as _baton_v1_Welcome, Welcome__Output as _baton_v1_Welcome__Output } from './baton/v1/Welcome.js';
import type { WhoAmIRequest as _baton_v1_WhoAmIRequest, WhoAmIRequest__Output as _baton_v1_WhoAmIRequest__Output } from './baton/v1/WhoAmIRequest.js';
import type { WhoAmIResponse as _baton_v1_WhoAmIResponse, WhoAmIResponse__Output as _baton_v1_WhoAmIResponse__Output } from './baton/v1/WhoAmIResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  baton: {
    v1: {
      AgentMessage: MessageTypeDefinition<_baton_v1_AgentMessage, _baton_v1_AgentMessage__Output>
      AgentService: SubtypeConstructor<typeof grpc.Client, _baton_v1_AgentServiceClient> & { service: _baton_v1_AgentServiceDefinition }
      Argv: MessageTypeDefinition<_baton_v1_Argv, _baton_v1_Argv__Output>
      AutoscaleBounds: MessageTypeDefinition<_baton_v1_AutoscaleBounds, _baton_v1_AutoscaleBounds__Output>
      AutoscaleDecisionInfo: MessageTypeDefinition<_baton_v1_AutoscaleDecisionInfo, _baton_v1_AutoscaleDecisionInfo__Output>
      AutoscaleReading: MessageTypeDefinition<_baton_v1_AutoscaleReading, _baton_v1_AutoscaleReading__Output>
      AutoscaleServiceStatus: MessageTypeDefinition<_baton_v1_AutoscaleServiceStatus, _baton_v1_AutoscaleServiceStatus__Output>
      AutoscaleStatusResponse: MessageTypeDefinition<_baton_v1_AutoscaleStatusResponse, _baton_v1_AutoscaleStatusResponse__Output>
      Capacity: MessageTypeDefinition<_baton_v1_Capacity, _baton_v1_Capacity__Output>
      ClusterCA: MessageTypeDefinition<_baton_v1_ClusterCA, _baton_v1_ClusterCA__Output>
      Command: MessageTypeDefinition<_baton_v1_Command, _baton_v1_Command__Output>
      CommandAck: MessageTypeDefinition<_baton_v1_CommandAck, _baton_v1_CommandAck__Output>
      ConfigContent: MessageTypeDefinition<_baton_v1_ConfigContent, _baton_v1_ConfigContent__Output>
      ContainerEvent: MessageTypeDefinition<_baton_v1_ContainerEvent, _baton_v1_ContainerEvent__Output>
      ContainerSettings: MessageTypeDefinition<_baton_v1_ContainerSettings, _baton_v1_ContainerSettings__Output>
      ContainerState: MessageTypeDefinition<_baton_v1_ContainerState, _baton_v1_ContainerState__Output>
      ControlService: SubtypeConstructor<typeof grpc.Client, _baton_v1_ControlServiceClient> & { service: _baton_v1_ControlServiceDefinition }
      CoordinatorMessage: MessageTypeDefinition<_baton_v1_CoordinatorMessage, _baton_v1_CoordinatorMessage__Output>
      CreateCredentialRequest: MessageTypeDefinition<_baton_v1_CreateCredentialRequest, _baton_v1_CreateCredentialRequest__Output>
      CreateFileObjectRequest: MessageTypeDefinition<_baton_v1_CreateFileObjectRequest, _baton_v1_CreateFileObjectRequest__Output>
      Credential: MessageTypeDefinition<_baton_v1_Credential, _baton_v1_Credential__Output>
      DeployRequest: MessageTypeDefinition<_baton_v1_DeployRequest, _baton_v1_DeployRequest__Output>
      DeployResponse: MessageTypeDefinition<_baton_v1_DeployResponse, _baton_v1_DeployResponse__Output>
      Endpoint: MessageTypeDefinition<_baton_v1_Endpoint, _baton_v1_Endpoint__Output>
      EndpointConnections: MessageTypeDefinition<_baton_v1_EndpointConnections, _baton_v1_EndpointConnections__Output>
      EndpointSet: MessageTypeDefinition<_baton_v1_EndpointSet, _baton_v1_EndpointSet__Output>
      EndpointsResponse: MessageTypeDefinition<_baton_v1_EndpointsResponse, _baton_v1_EndpointsResponse__Output>
      Event: MessageTypeDefinition<_baton_v1_Event, _baton_v1_Event__Output>
      FileMount: MessageTypeDefinition<_baton_v1_FileMount, _baton_v1_FileMount__Output>
      FileObjectInfo: MessageTypeDefinition<_baton_v1_FileObjectInfo, _baton_v1_FileObjectInfo__Output>
      FileObjectRef: MessageTypeDefinition<_baton_v1_FileObjectRef, _baton_v1_FileObjectRef__Output>
      GetClusterCARequest: MessageTypeDefinition<_baton_v1_GetClusterCARequest, _baton_v1_GetClusterCARequest__Output>
      GetJoinTokenRequest: MessageTypeDefinition<_baton_v1_GetJoinTokenRequest, _baton_v1_GetJoinTokenRequest__Output>
      GetNodeRequest: MessageTypeDefinition<_baton_v1_GetNodeRequest, _baton_v1_GetNodeRequest__Output>
      Goodbye: MessageTypeDefinition<_baton_v1_Goodbye, _baton_v1_Goodbye__Output>
      Healthcheck: MessageTypeDefinition<_baton_v1_Healthcheck, _baton_v1_Healthcheck__Output>
      Hello: MessageTypeDefinition<_baton_v1_Hello, _baton_v1_Hello__Output>
      HistoryEntry: MessageTypeDefinition<_baton_v1_HistoryEntry, _baton_v1_HistoryEntry__Output>
      HistoryResponse: MessageTypeDefinition<_baton_v1_HistoryResponse, _baton_v1_HistoryResponse__Output>
      HostUsage: MessageTypeDefinition<_baton_v1_HostUsage, _baton_v1_HostUsage__Output>
      HttpProbe: MessageTypeDefinition<_baton_v1_HttpProbe, _baton_v1_HttpProbe__Output>
      IngressCounters: MessageTypeDefinition<_baton_v1_IngressCounters, _baton_v1_IngressCounters__Output>
      IngressPort: MessageTypeDefinition<_baton_v1_IngressPort, _baton_v1_IngressPort__Output>
      IngressPortState: MessageTypeDefinition<_baton_v1_IngressPortState, _baton_v1_IngressPortState__Output>
      IngressPortSummary: MessageTypeDefinition<_baton_v1_IngressPortSummary, _baton_v1_IngressPortSummary__Output>
      IngressReport: MessageTypeDefinition<_baton_v1_IngressReport, _baton_v1_IngressReport__Output>
      IngressService: MessageTypeDefinition<_baton_v1_IngressService, _baton_v1_IngressService__Output>
      JoinRequest: MessageTypeDefinition<_baton_v1_JoinRequest, _baton_v1_JoinRequest__Output>
      JoinService: SubtypeConstructor<typeof grpc.Client, _baton_v1_JoinServiceClient> & { service: _baton_v1_JoinServiceDefinition }
      JoinTokenInfo: MessageTypeDefinition<_baton_v1_JoinTokenInfo, _baton_v1_JoinTokenInfo__Output>
      LabelNodeRequest: MessageTypeDefinition<_baton_v1_LabelNodeRequest, _baton_v1_LabelNodeRequest__Output>
      ListEventsRequest: MessageTypeDefinition<_baton_v1_ListEventsRequest, _baton_v1_ListEventsRequest__Output>
      ListEventsResponse: MessageTypeDefinition<_baton_v1_ListEventsResponse, _baton_v1_ListEventsResponse__Output>
      ListFileObjectsRequest: MessageTypeDefinition<_baton_v1_ListFileObjectsRequest, _baton_v1_ListFileObjectsRequest__Output>
      ListFileObjectsResponse: MessageTypeDefinition<_baton_v1_ListFileObjectsResponse, _baton_v1_ListFileObjectsResponse__Output>
      ListNodesRequest: MessageTypeDefinition<_baton_v1_ListNodesRequest, _baton_v1_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_baton_v1_ListNodesResponse, _baton_v1_ListNodesResponse__Output>
      ListReplicasRequest: MessageTypeDefinition<_baton_v1_ListReplicasRequest, _baton_v1_ListReplicasRequest__Output>
      ListReplicasResponse: MessageTypeDefinition<_baton_v1_ListReplicasResponse, _baton_v1_ListReplicasResponse__Output>
      ListServicesRequest: MessageTypeDefinition<_baton_v1_ListServicesRequest, _baton_v1_ListServicesRequest__Output>
      ListServicesResponse: MessageTypeDefinition<_baton_v1_ListServicesResponse, _baton_v1_ListServicesResponse__Output>
      ListVolumesRequest: MessageTypeDefinition<_baton_v1_ListVolumesRequest, _baton_v1_ListVolumesRequest__Output>
      ListVolumesResponse: MessageTypeDefinition<_baton_v1_ListVolumesResponse, _baton_v1_ListVolumesResponse__Output>
      LogChunk: MessageTypeDefinition<_baton_v1_LogChunk, _baton_v1_LogChunk__Output>
      LogConfig: MessageTypeDefinition<_baton_v1_LogConfig, _baton_v1_LogConfig__Output>
      LogLine: MessageTypeDefinition<_baton_v1_LogLine, _baton_v1_LogLine__Output>
      LogsRequest: MessageTypeDefinition<_baton_v1_LogsRequest, _baton_v1_LogsRequest__Output>
      Mount: MessageTypeDefinition<_baton_v1_Mount, _baton_v1_Mount__Output>
      NodeCertificate: MessageTypeDefinition<_baton_v1_NodeCertificate, _baton_v1_NodeCertificate__Output>
      NodeInfo: MessageTypeDefinition<_baton_v1_NodeInfo, _baton_v1_NodeInfo__Output>
      NodeRoutes: MessageTypeDefinition<_baton_v1_NodeRoutes, _baton_v1_NodeRoutes__Output>
      NodeStatus: EnumTypeDefinition
      NodeVolumes: MessageTypeDefinition<_baton_v1_NodeVolumes, _baton_v1_NodeVolumes__Output>
      PlanRequest: MessageTypeDefinition<_baton_v1_PlanRequest, _baton_v1_PlanRequest__Output>
      PlanResponse: MessageTypeDefinition<_baton_v1_PlanResponse, _baton_v1_PlanResponse__Output>
      PortBinding: MessageTypeDefinition<_baton_v1_PortBinding, _baton_v1_PortBinding__Output>
      PortMapping: MessageTypeDefinition<_baton_v1_PortMapping, _baton_v1_PortMapping__Output>
      PortRef: MessageTypeDefinition<_baton_v1_PortRef, _baton_v1_PortRef__Output>
      RebalanceInfo: MessageTypeDefinition<_baton_v1_RebalanceInfo, _baton_v1_RebalanceInfo__Output>
      RebalanceLoad: MessageTypeDefinition<_baton_v1_RebalanceLoad, _baton_v1_RebalanceLoad__Output>
      RebalanceMove: MessageTypeDefinition<_baton_v1_RebalanceMove, _baton_v1_RebalanceMove__Output>
      RebalanceRequest: MessageTypeDefinition<_baton_v1_RebalanceRequest, _baton_v1_RebalanceRequest__Output>
      RebalanceSkipped: MessageTypeDefinition<_baton_v1_RebalanceSkipped, _baton_v1_RebalanceSkipped__Output>
      RebalanceStatusRequest: MessageTypeDefinition<_baton_v1_RebalanceStatusRequest, _baton_v1_RebalanceStatusRequest__Output>
      Reconcile: MessageTypeDefinition<_baton_v1_Reconcile, _baton_v1_Reconcile__Output>
      RemoveNodeRequest: MessageTypeDefinition<_baton_v1_RemoveNodeRequest, _baton_v1_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_baton_v1_RemoveNodeResponse, _baton_v1_RemoveNodeResponse__Output>
      RemoveRequest: MessageTypeDefinition<_baton_v1_RemoveRequest, _baton_v1_RemoveRequest__Output>
      RemoveResponse: MessageTypeDefinition<_baton_v1_RemoveResponse, _baton_v1_RemoveResponse__Output>
      RemoveVolumes: MessageTypeDefinition<_baton_v1_RemoveVolumes, _baton_v1_RemoveVolumes__Output>
      RemoveVolumesResult: MessageTypeDefinition<_baton_v1_RemoveVolumesResult, _baton_v1_RemoveVolumesResult__Output>
      RenewRequest: MessageTypeDefinition<_baton_v1_RenewRequest, _baton_v1_RenewRequest__Output>
      ReplicaInfo: MessageTypeDefinition<_baton_v1_ReplicaInfo, _baton_v1_ReplicaInfo__Output>
      ReplicaState: EnumTypeDefinition
      Report: MessageTypeDefinition<_baton_v1_Report, _baton_v1_Report__Output>
      RestartCondition: EnumTypeDefinition
      RestartPolicy: MessageTypeDefinition<_baton_v1_RestartPolicy, _baton_v1_RestartPolicy__Output>
      RevokeCredentialRequest: MessageTypeDefinition<_baton_v1_RevokeCredentialRequest, _baton_v1_RevokeCredentialRequest__Output>
      RevokeCredentialResponse: MessageTypeDefinition<_baton_v1_RevokeCredentialResponse, _baton_v1_RevokeCredentialResponse__Output>
      RollbackResponse: MessageTypeDefinition<_baton_v1_RollbackResponse, _baton_v1_RollbackResponse__Output>
      RolloutInfo: MessageTypeDefinition<_baton_v1_RolloutInfo, _baton_v1_RolloutInfo__Output>
      Route: MessageTypeDefinition<_baton_v1_Route, _baton_v1_Route__Output>
      ScaleRequest: MessageTypeDefinition<_baton_v1_ScaleRequest, _baton_v1_ScaleRequest__Output>
      ScaleResponse: MessageTypeDefinition<_baton_v1_ScaleResponse, _baton_v1_ScaleResponse__Output>
      ServiceChange: MessageTypeDefinition<_baton_v1_ServiceChange, _baton_v1_ServiceChange__Output>
      ServiceInfo: MessageTypeDefinition<_baton_v1_ServiceInfo, _baton_v1_ServiceInfo__Output>
      ServiceRef: MessageTypeDefinition<_baton_v1_ServiceRef, _baton_v1_ServiceRef__Output>
      SessionEnd: MessageTypeDefinition<_baton_v1_SessionEnd, _baton_v1_SessionEnd__Output>
      SetNodeScheduleRequest: MessageTypeDefinition<_baton_v1_SetNodeScheduleRequest, _baton_v1_SetNodeScheduleRequest__Output>
      StartReplica: MessageTypeDefinition<_baton_v1_StartReplica, _baton_v1_StartReplica__Output>
      StopReplica: MessageTypeDefinition<_baton_v1_StopReplica, _baton_v1_StopReplica__Output>
      StreamLogs: MessageTypeDefinition<_baton_v1_StreamLogs, _baton_v1_StreamLogs__Output>
      TcpProbe: MessageTypeDefinition<_baton_v1_TcpProbe, _baton_v1_TcpProbe__Output>
      TopRequest: MessageTypeDefinition<_baton_v1_TopRequest, _baton_v1_TopRequest__Output>
      TopResponse: MessageTypeDefinition<_baton_v1_TopResponse, _baton_v1_TopResponse__Output>
      TopRow: MessageTypeDefinition<_baton_v1_TopRow, _baton_v1_TopRow__Output>
      Ulimit: MessageTypeDefinition<_baton_v1_Ulimit, _baton_v1_Ulimit__Output>
      UnplacedReplica: MessageTypeDefinition<_baton_v1_UnplacedReplica, _baton_v1_UnplacedReplica__Output>
      UsageHint: MessageTypeDefinition<_baton_v1_UsageHint, _baton_v1_UsageHint__Output>
      UsageRequest: MessageTypeDefinition<_baton_v1_UsageRequest, _baton_v1_UsageRequest__Output>
      UsageResponse: MessageTypeDefinition<_baton_v1_UsageResponse, _baton_v1_UsageResponse__Output>
      UsageRow: MessageTypeDefinition<_baton_v1_UsageRow, _baton_v1_UsageRow__Output>
      VolumeInfo: MessageTypeDefinition<_baton_v1_VolumeInfo, _baton_v1_VolumeInfo__Output>
      VolumeInventory: MessageTypeDefinition<_baton_v1_VolumeInventory, _baton_v1_VolumeInventory__Output>
      VolumeRefusal: MessageTypeDefinition<_baton_v1_VolumeRefusal, _baton_v1_VolumeRefusal__Output>
      VolumeState: MessageTypeDefinition<_baton_v1_VolumeState, _baton_v1_VolumeState__Output>
      WatchEventsRequest: MessageTypeDefinition<_baton_v1_WatchEventsRequest, _baton_v1_WatchEventsRequest__Output>
      Welcome: MessageTypeDefinition<_baton_v1_Welcome, _baton_v1_Welcome__Output>
      WhoAmIRequest: MessageTypeDefinition<_baton_v1_WhoAmIRequest, _baton_v1_WhoAmIRequest__Output>
      WhoAmIResponse: MessageTypeDefinition<_baton_v1_WhoAmIResponse, _baton_v1_WhoAmIResponse__Output>
    }
  }
}

