// Coordinator -> agent: domain commands to their wire messages, the one place generated types for
// this direction are built (the StartReplica half lives in shared/wire/replica.ts with its inverse;
// agent -> coordinator is coordinator/wire.ts).
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { EndpointSet as EndpointSetWire } from '../shared/grpc/gen/baton/v1/EndpointSet.js';
import type { IngressService } from '../shared/model/ingress.js';
import { endpointSetToWire } from '../shared/wire/ingress.js';
import { toStartReplica } from '../shared/wire/replica.js';
import type { AgentCommand } from './agent-command.js';
import { replicaPorts } from './ingress/replica-ports.js';

/**
 * Endpoint sets' services in wire form, by the identity of the domain list: every node without
 * constraint exclusions is sent the one shared list, converted once instead of once per node.
 */
const servicesWire = new WeakMap<readonly IngressService[], EndpointSetWire['services']>();

function endpointServicesToWire(services: readonly IngressService[]): EndpointSetWire['services'] {
  let wire = servicesWire.get(services);
  if (!wire) servicesWire.set(services, (wire = endpointSetToWire({ version: 0, services }).services));
  return wire;
}

export function commandToWire(cmd: AgentCommand): CoordinatorMessage {
  switch (cmd.kind) {
    case 'start':
      return { command: { command_id: cmd.commandId, start: toStartReplica(cmd.allocation, { ...cmd.spec, ports: replicaPorts(cmd.spec), extraHosts: cmd.extraHosts, files: cmd.files }) } };
    case 'stop':
      return {
        command: { command_id: cmd.commandId, stop: { allocation_id: cmd.allocationId, remove: cmd.remove, stop_grace_ms: cmd.stopGraceMs, reason: cmd.reason } },
      };
    case 'reconcile':
      return { command: { command_id: cmd.commandId, reconcile: { allocation_ids: [...cmd.allocationIds] } } };
    case 'endpoints':
      return { command: { command_id: cmd.commandId, endpoints: { version: cmd.set.version, services: endpointServicesToWire(cmd.set.services) } } };
    case 'remove-volumes':
      return { command: { command_id: cmd.commandId, remove_volumes: { stack: cmd.stack } } };
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
