// Original file: proto/baton.proto

import type { Event as _baton_v1_Event, Event__Output as _baton_v1_Event__Output } from '../../baton/v1/Event.js';

export interface ListEventsResponse {
  'events'?: (_baton_v1_Event)[];
}

export interface ListEventsResponse__Output {
  'events': (_baton_v1_Event__Output)[];
}
