// Original file: proto/baton.proto

import type { Hello as _baton_v1_Hello, Hello__Output as _baton_v1_Hello__Output } from '../../baton/v1/Hello.js';
import type { Report as _baton_v1_Report, Report__Output as _baton_v1_Report__Output } from '../../baton/v1/Report.js';
import type { Goodbye as _baton_v1_Goodbye, Goodbye__Output as _baton_v1_Goodbye__Output } from '../../baton/v1/Goodbye.js';
import type { CommandAck as _baton_v1_CommandAck, CommandAck__Output as _baton_v1_CommandAck__Output } from '../../baton/v1/CommandAck.js';
import type { ContainerEvent as _baton_v1_ContainerEvent, ContainerEvent__Output as _baton_v1_ContainerEvent__Output } from '../../baton/v1/ContainerEvent.js';
import type { LogChunk as _baton_v1_LogChunk, LogChunk__Output as _baton_v1_LogChunk__Output } from '../../baton/v1/LogChunk.js';

export interface AgentMessage {
  'hello'?: (_baton_v1_Hello | null);
  'report'?: (_baton_v1_Report | null);
  'goodbye'?: (_baton_v1_Goodbye | null);
  'ack'?: (_baton_v1_CommandAck | null);
  'container_event'?: (_baton_v1_ContainerEvent | null);
  'log_chunk'?: (_baton_v1_LogChunk | null);
  'body'?: "hello"|"report"|"goodbye"|"ack"|"container_event"|"log_chunk";
}

export interface AgentMessage__Output {
  'hello'?: (_baton_v1_Hello__Output | null);
  'report'?: (_baton_v1_Report__Output | null);
  'goodbye'?: (_baton_v1_Goodbye__Output | null);
  'ack'?: (_baton_v1_CommandAck__Output | null);
  'container_event'?: (_baton_v1_ContainerEvent__Output | null);
  'log_chunk'?: (_baton_v1_LogChunk__Output | null);
  'body'?: "hello"|"report"|"goodbye"|"ack"|"container_event"|"log_chunk";
}
