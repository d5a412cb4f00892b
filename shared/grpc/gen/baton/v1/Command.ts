// Original file: proto/baton.proto

import type { StartReplica as _baton_v1_StartReplica, StartReplica__Output as _baton_v1_StartReplica__Output } from '../../baton/v1/StartReplica.js';
import type { StopReplica as _baton_v1_StopReplica, StopReplica__Output as _baton_v1_StopReplica__Output } from '../../baton/v1/StopReplica.js';
import type { StreamLogs as _baton_v1_StreamLogs, StreamLogs__Output as _baton_v1_StreamLogs__Output } from '../../baton/v1/StreamLogs.js';
import type { Reconcile as _baton_v1_Reconcile, Reconcile__Output as _baton_v1_Reconcile__Output } from '../../baton/v1/Reconcile.js';
import type { EndpointSet as _baton_v1_EndpointSet, EndpointSet__Output as _baton_v1_EndpointSet__Output } from '../../baton/v1/EndpointSet.js';
import type { RemoveVolumes as _baton_v1_RemoveVolumes, RemoveVolumes__Output as _baton_v1_RemoveVolumes__Output } from '../../baton/v1/RemoveVolumes.js';

export interface Command {
  'command_id'?: (string);
  'start'?: (_baton_v1_StartReplica | null);
  'stop'?: (_baton_v1_StopReplica | null);
  'logs'?: (_baton_v1_StreamLogs | null);
  'reconcile'?: (_baton_v1_Reconcile | null);
  'endpoints'?: (_baton_v1_EndpointSet | null);
  'remove_volumes'?: (_baton_v1_RemoveVolumes | null);
  'kind'?: "start"|"stop"|"logs"|"reconcile"|"endpoints"|"remove_volumes";
}

export interface Command__Output {
  'command_id': (string);
  'start'?: (_baton_v1_StartReplica__Output | null);
  'stop'?: (_baton_v1_StopReplica__Output | null);
  'logs'?: (_baton_v1_StreamLogs__Output | null);
  'reconcile'?: (_baton_v1_Reconcile__Output | null);
  'endpoints'?: (_baton_v1_EndpointSet__Output | null);
  'remove_volumes'?: (_baton_v1_RemoveVolumes__Output | null);
  'kind'?: "start"|"stop"|"logs"|"reconcile"|"endpoints"|"remove_volumes";
}
