// Coordinator -> agent: domain commands to their wire messages, the one place generated types for
// this direction are built (the StartReplica half lives in shared/wire/replica.ts with its inverse;
// agent -> coordinator is coordinator/wire.ts).
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { endpointSetToWire } from '../shared/wire/ingress.js';
import { toStartReplica } from '../shared/wire/replica.js';
import type { AgentCommand } from './agent-command.js';
import { replicaPorts } from './ingress/replica-ports.js';

export function commandToWire(cmd: AgentCommand): CoordinatorMessage {
  switch (cmd.kind) {
    case 'start':
      return { command: { command_id: cmd.commandId, start: toStartReplica(cmd.allocation, { ...cmd.spec, ports: replicaPorts(cmd.spec), extraHosts: cmd.extraHosts }) } };
    case 'stop':
      return {
        command: { command_id: cmd.commandId, stop: { allocation_id: cmd.allocationId, remove: cmd.remove, stop_grace_ms: cmd.stopGraceMs, reason: cmd.reason } },
      };
    case 'reconcile':
      return { command: { command_id: cmd.commandId, reconcile: { allocation_ids: [...cmd.allocationIds] } } };
    case 'endpoints':
      return { command: { command_id: cmd.commandId, endpoints: endpointSetToWire(cmd.set) } };
    case 'logs':
      return {
        command: {
          command_id: cmd.commandId,
          logs: cmd.cancel
            ? { allocation_id: cmd.allocationId, stream_id: cmd.streamId, cancel: true }
            : { allocation_id: cmd.allocationId, follow: cmd.follow ?? false, tail: cmd.tail ?? 0, stream_id: cmd.streamId },
        },
      };
  }
}
