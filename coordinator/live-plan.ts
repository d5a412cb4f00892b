// Plans Compose files against the live node pool for `baton plan` (changes nothing).
import { InputError } from '../shared/errors.js';
import type { NodePool } from './node-pool.js';
import { planCompose } from './plan-compose.js';
import type { SchedNode } from './scheduler/index.js';
import type { AllocationRecord, DeepReadonly, NodeRecord } from './store/schema.js';
import type { Store } from './store/store.js';

/** Plans a Compose document against the live pool for `baton plan`. */
export type PlanHandler = (req: { composeYaml: string; fileName: string; stack: string; env: Record<string, string> }) => {
  planJson: string;
  planText: string;
  complete: boolean;
  warnings: string[];
};

/** Nodes and the allocations placed on them, as the scheduler sees them. Pure. */
export function snapshotOf(
  nodes: readonly Pick<NodeRecord, 'id' | 'name' | 'status' | 'labels' | 'capacity'>[],
  allocations: Iterable<DeepReadonly<AllocationRecord>>,
): SchedNode[] {
  const placed = new Map<string, { cpu: number; mem: number; ports: { port: number; protocol: 'tcp' | 'udp' }[]; byService: Record<string, number> }>();
  for (const a of allocations) {
    if (a.desired !== 'run') continue;
    let p = placed.get(a.nodeId);
    if (!p) placed.set(a.nodeId, (p = { cpu: 0, mem: 0, ports: [], byService: {} }));
    p.cpu += a.cpuMillis;
    p.mem += a.memoryBytes;
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
      cpuMillis: n.capacity.cpuMillis,
      memoryBytes: n.capacity.memoryBytes,
      reservedCpuMillis: p?.cpu ?? 0,
      reservedMemoryBytes: p?.mem ?? 0,
      usedPorts: p?.ports ?? [],
      replicasByService: p?.byService ?? {},
    };
  });
}

/** The live pool as the scheduler sees it: capacity, status, labels and what is placed there. */
export function schedulerSnapshot(pool: NodePool, store: Store): SchedNode[] {
  return snapshotOf(pool.list(), Object.values(store.state.allocations));
}

export function livePlanner(pool: NodePool, store: Store): PlanHandler {
  return (req) => {
    const r = planCompose({
      text: req.composeYaml,
      file: req.fileName,
      env: req.env,
      stackName: req.stack || undefined,
      nodes: schedulerSnapshot(pool, store),
    });
    if (!r.ok) throw new InputError(r.errors.join('\n'));
    return { planJson: JSON.stringify(r.json), planText: r.text, complete: r.exitCode === 0, warnings: r.warnings };
  };
}
