// The scheduler's snapshot: node views plus the allocations placed on them, as `SchedNode`s.
// Pure, so the control loop can build it from the one pool listing it already made in a round.
import type { AllocationRecord, DeepReadonly, NodeRecord } from '../store/schema.js';
import type { HostPort, SchedNode } from './types.js';

/** What the snapshot reads of a node: identity, status, labels and capacity. */
export type SnapshotNode = Pick<NodeRecord, 'id' | 'name' | 'status' | 'labels' | 'role'> & {
  /** `baton node cordon|drain`; a drained node stays cordoned. */
  readonly schedule?: { readonly state: 'cordoned' | 'draining' | 'drained' } | undefined;
  /** Unhealthy (node-health.ts): as draining. */
  readonly unhealthy?: object | undefined;
  /** Held after flapping (node-flaps.ts, until the control loop expires it): as cordoned. */
  readonly flaps?: { readonly heldUntilMs?: number | undefined } | undefined;
  readonly capacity: Pick<NodeRecord['capacity'], 'cpuMillis' | 'memoryBytes'>;
};
/** What the snapshot reads of an allocation: where it runs and what it reserves. */
export type SnapshotAllocation = DeepReadonly<
  Pick<AllocationRecord, 'nodeId' | 'stack' | 'service' | 'cpuMillis' | 'memoryBytes' | 'hostPorts' | 'desired'>
>;

interface Placed {
  cpuMillis: number;
  memoryBytes: number;
  ports: HostPort[];
  byService: Record<string, number>;
}

/** Held back from new work by an operator or by Baton: cordoned, draining or drained, unhealthy, or held after flapping. */
export function heldBack(n: Pick<SnapshotNode, 'schedule' | 'unhealthy' | 'flaps'>): boolean {
  return Boolean(n.unhealthy || n.schedule || n.flaps?.heldUntilMs !== undefined);
}

/** Nodes in the given order with what their allocations reserve; only `desired: 'run'` ones count. */
export function snapshotOf(nodes: readonly SnapshotNode[], allocations: Iterable<SnapshotAllocation>): SchedNode[] {
  const placed = new Map<string, Placed>();
  for (const a of allocations) {
    if (a.desired !== 'run') continue;
    let p = placed.get(a.nodeId);
    if (!p) placed.set(a.nodeId, (p = { cpuMillis: 0, memoryBytes: 0, ports: [], byService: {} }));
    p.cpuMillis += a.cpuMillis;
    p.memoryBytes += a.memoryBytes;
    for (const port of a.hostPorts) p.ports.push(port);
    const key = `${a.stack}/${a.service}`;
    p.byService[key] = (p.byService[key] ?? 0) + 1;
  }
  return nodes.map((n) => {
    const p = placed.get(n.id);
    return {
      id: n.id,
      name: n.name,
      status: n.status,
      labels: n.labels,
      ...(n.role ? { role: n.role } : {}),
      ...(heldBack(n)
        ? { availability: n.unhealthy || n.schedule?.state === 'draining' ? ('draining' as const) : ('cordoned' as const) }
        : {}),
      cpuMillis: n.capacity.cpuMillis,
      memoryBytes: n.capacity.memoryBytes,
      reservedCpuMillis: p?.cpuMillis ?? 0,
      reservedMemoryBytes: p?.memoryBytes ?? 0,
      usedPorts: p?.ports ?? [],
      replicasByService: p?.byService ?? {},
    };
  });
}
