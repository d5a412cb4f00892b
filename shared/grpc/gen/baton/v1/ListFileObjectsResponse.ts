// Original file: proto/baton.proto

import type { FileObjectInfo as _baton_v1_FileObjectInfo, FileObjectInfo__Output as _baton_v1_FileObjectInfo__Output } from '../../baton/v1/FileObjectInfo.js';

export interface ListFileObjectsResponse {
  'items'?: (_baton_v1_FileObjectInfo)[];
}

export interface ListFileObjectsResponse__Output {
  'items': (_baton_v1_FileObjectInfo__Output)[];
}
