// Original file: proto/baton.proto

import type { HostUsage as _baton_v1_HostUsage, HostUsage__Output as _baton_v1_HostUsage__Output } from '../../baton/v1/HostUsage.js';
import type { ContainerState as _baton_v1_ContainerState, ContainerState__Output as _baton_v1_ContainerState__Output } from '../../baton/v1/ContainerState.js';
import type { IngressReport as _baton_v1_IngressReport, IngressReport__Output as _baton_v1_IngressReport__Output } from '../../baton/v1/IngressReport.js';
import type { VolumeInventory as _baton_v1_VolumeInventory, VolumeInventory__Output as _baton_v1_VolumeInventory__Output } from '../../baton/v1/VolumeInventory.js';
import type { Long } from '@grpc/proto-loader';

export interface Report {
  'session_id'?: (string);
  'seq'?: (number | string | Long);
  'sent_at_ms'?: (number | string | Long);
  'host'?: (_baton_v1_HostUsage | null);
  'docker_up'?: (boolean);
  'docker_error'?: (string);
  'containers'?: (_baton_v1_ContainerState)[];
  'ingress'?: (_baton_v1_IngressReport | null);
  'volumes'?: (_baton_v1_VolumeInventory | null);
}

export interface Report__Output {
  'session_id': (string);
  'seq': (number);
  'sent_at_ms': (number);
  'host': (_baton_v1_HostUsage__Output | null);
  'docker_up': (boolean);
  'docker_error': (string);
  'containers': (_baton_v1_ContainerState__Output)[];
  'ingress': (_baton_v1_IngressReport__Output | null);
  'volumes': (_baton_v1_VolumeInventory__Output | null);
}
