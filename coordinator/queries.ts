// Read models for the CLI: services (desired against running) and replicas (where each runs, in
// which state). They join desired state, allocations, the pool's latest reports and the control
// loop's pending replicas; nothing here writes.
import type { ControlLoop } from './control-loop.js';
import type { NodePool } from './node-pool.js';
import { observedReplicas } from './observed.js';
import { serviceKey } from './slot-key.js';
import { resolveService, toUnplacedInfo, type UnplacedInfo } from './stacks.js';
import type { Store } from './store/store.js';

export interface ServiceRow {
  stack: string;
  name: string;
  image: string;
  desired: number;
  running: number;
  generation: number;
  ports: string[];
  pending: UnplacedInfo[];
}

export interface ReplicaRow {
  stack: string;
  service: string;
  replica: number;
  allocationId: string;
  node: string;
  containerId: string;
  /** Docker's state as the node reports it, or pending / stopped / unplaced. */
  state: string;
  desired: 'run' | 'stop';
  generation: number;
  restarts: number;
  cpuPercent: number;
  memoryBytes: number;
  sinceMs: number;
  error: string;
}

export class Queries {
  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly loop: Pick<ControlLoop, 'unplaced'>,
  ) {}

  services(): ServiceRow[] {
    const state = this.store.state;
    const observed = observedReplicas(this.pool.list(), state.allocations);
    const pending = this.loop.unplaced();
    // One pass over the allocations, grouped by service (not one scan of all of them per service).
    const running = new Map<string, number>();
    for (const a of Object.values(state.allocations)) {
      if (a.desired !== 'run' || observed.get(a.id)?.state !== 'running') continue;
      if (a.generation !== state.stacks[a.stack]?.services[a.service]?.generation) continue;
      const key = serviceKey(a.stack, a.service);
      running.set(key, (running.get(key) ?? 0) + 1);
    }
    return Object.values(state.stacks).flatMap((stack) =>
      Object.entries(stack.services).map(([name, svc]) => {
        return {
          stack: stack.name,
          name,
          image: svc.spec.image,
          desired: svc.replicas,
          running: running.get(serviceKey(stack.name, name)) ?? 0,
          generation: svc.generation,
          ports: svc.spec.ports.map((p) => `${p.published ?? ''}${p.published ? ':' : ''}${p.target}/${p.protocol}`),
          pending: pending.filter((u) => u.stack === stack.name && u.service === name).map(toUnplacedInfo),
        };
      }),
    );
  }

  /** Every replica (optionally of one service: `web` or `stack/web`), unplaced ones included. */
  replicas(serviceRef = ''): ReplicaRow[] {
    const state = this.store.state;
    const [stackFilter, serviceFilter] = serviceRef ? resolveService(state, serviceRef) : ['', ''];
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const names = new Map(views.map((n) => [n.id, n.name]));
    const rows: ReplicaRow[] = Object.values(state.allocations)
      .filter((a) => !serviceRef || (a.stack === stackFilter && a.service === serviceFilter))
      .map((a) => {
        const o = observed.get(a.id);
        return {
          stack: a.stack,
          service: a.service,
          replica: a.replica,
          allocationId: a.id,
          node: names.get(a.nodeId) ?? a.nodeId,
          containerId: o?.containerId || a.observed?.containerId || '',
          state: o?.state ?? (a.desired === 'run' ? 'pending' : 'stopped'),
          desired: a.desired,
          generation: a.generation,
          restarts: a.observed?.restarts ?? 0,
          cpuPercent: o?.cpuPercent ?? 0,
          memoryBytes: o?.memoryBytes ?? 0,
          sinceMs: a.observed?.state === 'running' ? a.observed.atMs : 0,
          error: a.observed?.error ?? '',
        };
      });
    for (const p of this.loop.unplaced()) {
      if (serviceRef && (p.stack !== stackFilter || p.service !== serviceFilter)) continue;
      rows.push({ stack: p.stack, service: p.service, replica: p.replica, allocationId: '', node: '', containerId: '', state: 'unplaced', desired: 'run', generation: 0, restarts: 0, cpuPercent: 0, memoryBytes: 0, sinceMs: 0, error: p.reason });
    }
    return rows.sort((a, b) => a.stack.localeCompare(b.stack) || a.service.localeCompare(b.service) || a.replica - b.replica || a.desired.localeCompare(b.desired));
  }
}
