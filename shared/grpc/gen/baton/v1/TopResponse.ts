// Original file: proto/baton.proto

import type { TopRow as _baton_v1_TopRow, TopRow__Output as _baton_v1_TopRow__Output } from '../../baton/v1/TopRow.js';
import type { Long } from '@grpc/proto-loader';

export interface TopResponse {
  'by'?: (string);
  'rows'?: (_baton_v1_TopRow)[];
  'cluster_cpu_cores'?: (number | string);
  'cluster_capacity_cores'?: (number | string);
  'cluster_memory_bytes'?: (number | string | Long);
  'cluster_capacity_memory_bytes'?: (number | string | Long);
}

export interface TopResponse__Output {
  'by': (string);
  'rows': (_baton_v1_TopRow__Output)[];
  'cluster_cpu_cores': (number);
  'cluster_capacity_cores': (number);
  'cluster_memory_bytes': (number);
  'cluster_capacity_memory_bytes': (number);
}
