// Original file: proto/baton.proto

import type { Capacity as _baton_v1_Capacity, Capacity__Output as _baton_v1_Capacity__Output } from '../../baton/v1/Capacity.js';
import type { HostUsage as _baton_v1_HostUsage, HostUsage__Output as _baton_v1_HostUsage__Output } from '../../baton/v1/HostUsage.js';
import type { ContainerState as _baton_v1_ContainerState, ContainerState__Output as _baton_v1_ContainerState__Output } from '../../baton/v1/ContainerState.js';
import type { NodeStatus as _baton_v1_NodeStatus, NodeStatus__Output as _baton_v1_NodeStatus__Output } from '../../baton/v1/NodeStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface NodeInfo {
  'id'?: (string);
  'name'?: (string);
  'address'?: (string);
  'capacity'?: (_baton_v1_Capacity | null);
  'labels'?: ({[key: string]: string});
  'agent_version'?: (string);
  'docker_version'?: (string);
  'docker_up'?: (boolean);
  'usage'?: (_baton_v1_HostUsage | null);
  'containers'?: (_baton_v1_ContainerState)[];
  'last_seen_ms'?: (number | string | Long);
  'joined_at_ms'?: (number | string | Long);
  'status_since_ms'?: (number | string | Long);
  'reserved_cpu_millis'?: (number | string | Long);
  'reserved_memory_bytes'?: (number | string | Long);
  'status'?: (_baton_v1_NodeStatus);
  'container_count'?: (number);
  'role'?: (string);
  'schedule'?: (string);
  'schedule_since_ms'?: (number | string | Long);
  'drain_deadline_ms'?: (number | string | Long);
  'drain_remaining'?: (number);
  'drain_lost'?: (string)[];
  'unhealthy_reason'?: (string);
  'unhealthy_since_ms'?: (number | string | Long);
  'held_until_ms'?: (number | string | Long);
  'held_reason'?: (string);
}

export interface NodeInfo__Output {
  'id': (string);
  'name': (string);
  'address': (string);
  'capacity': (_baton_v1_Capacity__Output | null);
  'labels': ({[key: string]: string});
  'agent_version': (string);
  'docker_version': (string);
  'docker_up': (boolean);
  'usage': (_baton_v1_HostUsage__Output | null);
  'containers': (_baton_v1_ContainerState__Output)[];
  'last_seen_ms': (number);
  'joined_at_ms': (number);
  'status_since_ms': (number);
  'reserved_cpu_millis': (number);
  'reserved_memory_bytes': (number);
  'status': (_baton_v1_NodeStatus__Output);
  'container_count': (number);
  'role': (string);
  'schedule': (string);
  'schedule_since_ms': (number);
  'drain_deadline_ms': (number);
  'drain_remaining': (number);
  'drain_lost': (string)[];
  'unhealthy_reason': (string);
  'unhealthy_since_ms': (number);
  'held_until_ms': (number);
  'held_reason': (string);
}
