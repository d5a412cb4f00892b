// Original file: proto/baton.proto

import type { Welcome as _baton_v1_Welcome, Welcome__Output as _baton_v1_Welcome__Output } from '../../baton/v1/Welcome.js';
import type { Command as _baton_v1_Command, Command__Output as _baton_v1_Command__Output } from '../../baton/v1/Command.js';
import type { SessionEnd as _baton_v1_SessionEnd, SessionEnd__Output as _baton_v1_SessionEnd__Output } from '../../baton/v1/SessionEnd.js';

export interface CoordinatorMessage {
  'welcome'?: (_baton_v1_Welcome | null);
  'command'?: (_baton_v1_Command | null);
  'session_end'?: (_baton_v1_SessionEnd | null);
  'body'?: "welcome"|"command"|"session_end";
}

export interface CoordinatorMessage__Output {
  'welcome'?: (_baton_v1_Welcome__Output | null);
  'command'?: (_baton_v1_Command__Output | null);
  'session_end'?: (_baton_v1_SessionEnd__Output | null);
  'body'?: "welcome"|"command"|"session_end";
}
