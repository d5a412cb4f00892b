// Original file: proto/baton.proto

import type { ServiceInfo as _baton_v1_ServiceInfo, ServiceInfo__Output as _baton_v1_ServiceInfo__Output } from '../../baton/v1/ServiceInfo.js';

export interface ListServicesResponse {
  'services'?: (_baton_v1_ServiceInfo)[];
}

export interface ListServicesResponse__Output {
  'services': (_baton_v1_ServiceInfo__Output)[];
}
