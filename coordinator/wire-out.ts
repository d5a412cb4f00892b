// Coordinator -> agent: domain commands to their wire messages. The one place generated types for
// this direction are built (agent -> coordinator is coordinator/wire.ts).
import type { ServiceSpec } from '../shared/compose/types.js';
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { StartReplica } from '../shared/grpc/gen/baton/v1/StartReplica.js';
import type { AgentCommand } from './agent-command.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';

export function commandToWire(cmd: AgentCommand): CoordinatorMessage {
  switch (cmd.kind) {
    case 'start':
      return { command: { command_id: cmd.commandId, start: startMessage(cmd.allocation, cmd.spec) } };
    case 'stop':
      return {
        command: { command_id: cmd.commandId, stop: { allocation_id: cmd.allocationId, remove: cmd.remove, stop_grace_ms: cmd.stopGraceMs, reason: cmd.reason } },
      };
    case 'reconcile':
      return { command: { command_id: cmd.commandId, reconcile: { allocation_ids: [...cmd.allocationIds] } } };
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

function startMessage(a: DeepReadonly<AllocationRecord>, spec: DeepReadonly<ServiceSpec>): StartReplica {
  return {
    allocation_id: a.id,
    generation: a.generation,
    stack: a.stack,
    service: a.service,
    replica: a.replica,
    image: spec.image,
    command: spec.command ? [...spec.command] : [],
    entrypoint: spec.entrypoint ? [...spec.entrypoint] : [],
    environment: { ...spec.environment },
    ports: spec.ports.map((p) => ({ target: p.target, published: p.published ?? 0, protocol: p.protocol, host_ip: p.hostIp ?? '' })),
    labels: { ...spec.labels },
    cpu_limit_millis: spec.limits.cpuMillis ?? 0,
    memory_limit_bytes: spec.limits.memoryBytes ?? 0,
    restart_policy_json: JSON.stringify(spec.restartPolicy),
    healthcheck_json: spec.healthcheck ? JSON.stringify(spec.healthcheck) : '',
    stop_grace_ms: spec.stopGraceMs,
  };
}
