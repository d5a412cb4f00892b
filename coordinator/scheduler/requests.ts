// Turns a Compose service into the replica requests the scheduler places.
import type { ServiceSpec } from '../../shared/compose/types.js';
import { serviceKey } from '../slot-key.js';
import type { HostPort, ReplicaRequest } from './types.js';

/**
 * One request per replica slot in `replicas` (1-based slots, e.g. [1, 2, 3] for a new service or
 * [2] to replace a lost replica). Host ports are the published ones of `mode: host` ports: an
 * ingress port is published by the ingress on every node, never by the container (which gets an
 * ephemeral host port, see ingress/replica-ports.ts), so several replicas of it share a host.
 * A port Docker chooses cannot conflict. `host_ip` is ignored: two bindings of one port on
 * different addresses are treated as a conflict, which is conservative.
 */
export function replicaRequestsFor(stackName: string, svc: ServiceSpec, replicas: readonly number[]): ReplicaRequest[] {
  const hostPorts: HostPort[] = [];
  for (const p of svc.ports) {
    if (p.mode !== 'host' || p.published === undefined) continue;
    if (!hostPorts.some((h) => h.port === p.published && h.protocol === p.protocol)) {
      hostPorts.push({ port: p.published, protocol: p.protocol });
    }
  }
  const service = serviceKey(stackName, svc.name);
  return replicas.map((replica) => ({
    service,
    replica,
    cpuMillis: svc.reserved.cpuMillis,
    memoryBytes: svc.reserved.memoryBytes,
    hostPorts,
    constraints: svc.constraints,
    maxReplicasPerNode: svc.maxReplicasPerNode,
    strategy: svc.placementStrategy,
    ...(svc.spread?.length ? { spread: svc.spread } : {}),
  }));
}
