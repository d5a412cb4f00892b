// Original file: proto/baton.proto

import type { Capacity as _baton_v1_Capacity, Capacity__Output as _baton_v1_Capacity__Output } from '../../baton/v1/Capacity.js';
import type { ContainerState as _baton_v1_ContainerState, ContainerState__Output as _baton_v1_ContainerState__Output } from '../../baton/v1/ContainerState.js';

export interface Hello {
  'node_id'?: (string);
  'name'?: (string);
  'address'?: (string);
  'capacity'?: (_baton_v1_Capacity | null);
  'labels'?: ({[key: string]: string});
  'agent_version'?: (string);
  'docker_version'?: (string);
  'containers'?: (_baton_v1_ContainerState)[];
  'join_token'?: (string);
  'protocol'?: (number);
  'role'?: (string);
}

export interface Hello__Output {
  'node_id': (string);
  'name': (string);
  'address': (string);
  'capacity': (_baton_v1_Capacity__Output | null);
  'labels': ({[key: string]: string});
  'agent_version': (string);
  'docker_version': (string);
  'containers': (_baton_v1_ContainerState__Output)[];
  'join_token': (string);
  'protocol': (number);
  'role': (string);
}
