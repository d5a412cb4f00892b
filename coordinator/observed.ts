// What the nodes' latest reports say about Baton's containers, by allocation id: the live half of
// "actual state" (the durable half is each allocation's `observed` record, written from events).
import { toHealthStatus, type HealthStatus } from '../shared/model/health.js';
import type { PortMapping } from '../shared/model/ingress.js';
import { LABEL_ALLOCATION } from '../shared/model/labels.js';
import type { NodeView } from './node-pool.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';

export interface ObservedNow {
  /** Docker's state of the container (running, exited, ...). */
  readonly state: string;
  readonly containerId: string;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  /** The health check's verdict as the node last reported it; `none` without a check. */
  readonly health: HealthStatus;
  readonly healthOutput: string;
  readonly exitCode: number;
  /** The container's bridge address ('' when the node does not say). */
  readonly ipAddress: string;
  /** Container ports Docker published on the host (what other nodes' ingress forwards to). */
  readonly ports: readonly PortMapping[];
}

/**
 * Containers reported by nodes that are not down or left, keyed by their allocation label. A
 * container reported by a node its allocation was never placed on is ignored.
 */
export function observedReplicas(views: readonly NodeView[], allocations: DeepReadonly<Record<string, AllocationRecord>>): Map<string, ObservedNow> {
  const out = new Map<string, ObservedNow>();
  for (const n of views) {
    if (n.status === 'down' || n.status === 'left') continue;
    for (const c of n.containers) {
      const id = c.labels[LABEL_ALLOCATION];
      if (!id) continue;
      const a = allocations[id];
      if (a && a.nodeId !== n.id) continue;
      out.set(id, {
        state: c.state,
        containerId: c.containerId,
        cpuPercent: c.cpuPercent,
        memoryBytes: c.memoryBytes,
        health: toHealthStatus(c.health) ?? 'none',
        healthOutput: c.healthOutput,
        exitCode: c.exitCode,
        ipAddress: c.ipAddress ?? '',
        ports: c.ports ?? [],
      });
    }
  }
  return out;
}

/**
 * Allocations whose container runs and is healthy (or has no check): what a drain or a rebalance
 * waits for before it stops the copy it replaces.
 */
export function servingReplicas(observed: ReadonlyMap<string, ObservedNow>): Set<string> {
  const out = new Set<string>();
  for (const [id, o] of observed) if (o.state === 'running' && o.health !== 'starting' && o.health !== 'unhealthy') out.add(id);
  return out;
}
