// Original file: proto/baton.proto

import type { UnplacedReplica as _baton_v1_UnplacedReplica, UnplacedReplica__Output as _baton_v1_UnplacedReplica__Output } from '../../baton/v1/UnplacedReplica.js';
import type { IngressPortSummary as _baton_v1_IngressPortSummary, IngressPortSummary__Output as _baton_v1_IngressPortSummary__Output } from '../../baton/v1/IngressPortSummary.js';
import type { AutoscaleBounds as _baton_v1_AutoscaleBounds, AutoscaleBounds__Output as _baton_v1_AutoscaleBounds__Output } from '../../baton/v1/AutoscaleBounds.js';
import type { Long } from '@grpc/proto-loader';

export interface ServiceInfo {
  'stack'?: (string);
  'name'?: (string);
  'image'?: (string);
  'desired'?: (number);
  'running'?: (number);
  'generation'?: (number | string | Long);
  'ports'?: (string)[];
  'pending'?: (_baton_v1_UnplacedReplica)[];
  'healthy'?: (number);
  'health_checked'?: (boolean);
  'ingress'?: (_baton_v1_IngressPortSummary)[];
  'vip'?: (string);
  'mode'?: (string);
  'autoscale'?: (_baton_v1_AutoscaleBounds | null);
}

export interface ServiceInfo__Output {
  'stack': (string);
  'name': (string);
  'image': (string);
  'desired': (number);
  'running': (number);
  'generation': (number);
  'ports': (string)[];
  'pending': (_baton_v1_UnplacedReplica__Output)[];
  'healthy': (number);
  'health_checked': (boolean);
  'ingress': (_baton_v1_IngressPortSummary__Output)[];
  'vip': (string);
  'mode': (string);
  'autoscale': (_baton_v1_AutoscaleBounds__Output | null);
}
