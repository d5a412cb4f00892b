// Original file: proto/baton.proto

import type { RemoveVolumesResult as _baton_v1_RemoveVolumesResult, RemoveVolumesResult__Output as _baton_v1_RemoveVolumesResult__Output } from '../../baton/v1/RemoveVolumesResult.js';

export interface CommandAck {
  'command_id'?: (string);
  'ok'?: (boolean);
  'error'?: (string);
  'volumes'?: (_baton_v1_RemoveVolumesResult | null);
}

export interface CommandAck__Output {
  'command_id': (string);
  'ok': (boolean);
  'error': (string);
  'volumes': (_baton_v1_RemoveVolumesResult__Output | null);
}
