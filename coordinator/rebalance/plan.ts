// `baton rebalance` (issue 13): a placement for what runs now that uses fewer nodes (binpack) or
// spreads the load better (spread), and the fewest moves that get there. Pure: the chosen services'
// replicas are re-packed with the scheduler's batch packing as if they were all pending on the same
// nodes (everything else stays where it is), the result is matched to the current allocations so a
// node that keeps a replica of a service keeps the one it has, and only the difference moves. It is
// proposed only when it strictly improves the strategy's metric. Never run automatically.
import { isSticky } from '../sticky.js';
import { runsCurrentSpec } from '../allocation-spec.js';
import { heldBack, planBatch, snapshotOf, type ReplicaRequest, type SchedNode, type SnapshotNode } from '../scheduler/index.js';
import { replicaRequestsFor } from '../scheduler/requests.js';
import { serviceKey } from '../slot-key.js';
import type { RolloutRecord } from '../rollout/record.js';
import type { AllocationRecord, DeepReadonly, StackRecord } from '../store/schema.js';
import type { PlacementStrategy } from '../../shared/compose/types.js';

export const REBALANCE_STRATEGIES: readonly PlacementStrategy[] = ['binpack', 'spread'];

export interface RebalanceInput {
  readonly stacks: DeepReadonly<Record<string, StackRecord>>;
  readonly allocations: readonly DeepReadonly<AllocationRecord>[];
  /** Every node the coordinator knows; only ready, schedulable ones take part. */
  readonly nodes: readonly SnapshotNode[];
  readonly rollouts: DeepReadonly<Record<string, Pick<RolloutRecord, 'state'>>>;
  /** Allocations whose container runs now (only settled services move). */
  readonly running: ReadonlySet<string>;
  /** Only this stack's services. @default every stack */
  readonly stack?: string;
  /** Re-pack with this strategy. @default binpack */
  readonly strategy?: string;
  /** Allocation ids already on the move (a running rebalance): their services are not settled. */
  readonly moving?: ReadonlySet<string>;
  /** @default 1 */
  readonly seed?: number;
  /** The scheduler's clock for its improvement budget. @default performance.now */
  readonly now?: () => number;
}

export interface RebalanceMove {
  readonly allocationId: string;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  /** Node ids. */
  readonly from: string;
  readonly to: string;
}

/** The load of the nodes that take part. */
export interface LoadMetrics {
  /** Nodes running at least one replica (of anything). */
  readonly nodesUsed: number;
  /** Highest reserved/capacity over the nodes, 0..1. */
  readonly maxCpu: number;
  readonly maxMemory: number;
  /** Most replicas (of anything) on one node. */
  readonly maxReplicas: number;
}

export interface RebalancePlan {
  readonly strategy: PlacementStrategy;
  readonly moves: readonly RebalanceMove[];
  readonly before: LoadMetrics;
  /** As `before` when there is nothing to move. */
  readonly after: LoadMetrics;
  /** Ids of nodes that run nothing after the moves and something before. */
  readonly freed: readonly string[];
  /** Why nothing moves (`already balanced`, ...); '' when there are moves. */
  readonly reason: string;
  /** Services in scope that do not move, and why (global, sticky, in a rollout, not settled). */
  readonly skipped: readonly { readonly stack: string; readonly service: string; readonly reason: string }[];
}

export type RebalanceResult =
  | { readonly ok: true; readonly value: RebalancePlan }
  | { readonly ok: false; readonly kind: 'input' | 'not-found'; readonly error: string };

/** Takes new work: ready and not cordoned, draining, unhealthy or held. */
export function takesWork(n: SnapshotNode): boolean {
  return n.status === 'ready' && !heldBack(n);
}

function metricsOf(nodes: readonly SchedNode[]): LoadMetrics {
  let nodesUsed = 0, maxCpu = 0, maxMemory = 0, maxReplicas = 0;
  for (const n of nodes) {
    const replicas = Object.values(n.replicasByService).reduce((a, b) => a + b, 0);
    if (replicas > 0) nodesUsed++;
    maxReplicas = Math.max(maxReplicas, replicas);
    maxCpu = Math.max(maxCpu, n.cpuMillis > 0 ? n.reservedCpuMillis / n.cpuMillis : 0);
    maxMemory = Math.max(maxMemory, n.memoryBytes > 0 ? n.reservedMemoryBytes / n.memoryBytes : 0);
  }
  return { nodesUsed, maxCpu, maxMemory, maxReplicas };
}

const EPS = 1e-9;

/** `after` strictly better than `before` by the strategy's metric: fewer nodes (binpack), or a lower peak load, then fewer replicas on the fullest node (spread). */
export function improves(strategy: PlacementStrategy, before: LoadMetrics, after: LoadMetrics): boolean {
  if (strategy === 'binpack') return after.nodesUsed < before.nodesUsed;
  const peak = (m: LoadMetrics) => Math.max(m.maxCpu, m.maxMemory);
  if (peak(after) < peak(before) - EPS) return true;
  return Math.abs(peak(after) - peak(before)) <= EPS && after.maxReplicas < before.maxReplicas;
}

export function planRebalance(input: RebalanceInput): RebalanceResult {
  const strategy = input.strategy || 'binpack';
  if (!(REBALANCE_STRATEGIES as readonly string[]).includes(strategy)) return { ok: false, kind: 'input', error: `strategy: expected binpack or spread, got ${JSON.stringify(input.strategy)}` };
  if (input.stack !== undefined && input.stack !== '' && !input.stacks[input.stack]) return { ok: false, kind: 'not-found', error: `stack: no stack named ${JSON.stringify(input.stack)}` };
  const strat = strategy as PlacementStrategy;
  const universe = input.nodes.filter(takesWork);
  const inUniverse = new Set(universe.map((n) => n.id));
  const live = input.allocations.filter((a) => a.desired === 'run');

  const byService = new Map<string, DeepReadonly<AllocationRecord>[]>();
  for (const a of live) {
    const key = serviceKey(a.stack, a.service);
    const list = byService.get(key);
    if (list) list.push(a);
    else byService.set(key, [a]);
  }

  // Which services re-pack: replicated, not sticky, not in a rollout, one running current copy per slot, all on nodes that take work.
  const skipped: { stack: string; service: string; reason: string }[] = [];
  const chosen = new Map<string, DeepReadonly<AllocationRecord>[]>();
  const requests: ReplicaRequest[] = [];
  const stackNames = Object.keys(input.stacks).filter((s) => !input.stack || s === input.stack).sort();
  for (const stackName of stackNames) {
    const stack = input.stacks[stackName]!;
    for (const name of Object.keys(stack.services).sort()) {
      const svc = stack.services[name]!;
      const key = serviceKey(stackName, name);
      const allocs = byService.get(key) ?? [];
      const skip = (reason: string) => skipped.push({ stack: stackName, service: name, reason });
      if (svc.spec.mode === 'global') { skip('global: a replica belongs to its node'); continue; }
      if (isSticky(svc.spec)) { skip('sticky: its replicas stay with their volume data'); continue; }
      const rollout = input.rollouts[key];
      if (rollout && rollout.state !== 'completed') { skip(`its rollout is ${rollout.state}`); continue; }
      if (svc.replicas === 0) continue;
      const slots = new Set(allocs.map((a) => a.replica));
      const settled = allocs.length === svc.replicas && slots.size === svc.replicas && allocs.every((a) => a.replica <= svc.replicas && runsCurrentSpec(a, svc) && input.running.has(a.id) && !input.moving?.has(a.id));
      if (!settled) { skip('not settled: a replica is starting, stopping, missing or moving'); continue; }
      const off = allocs.find((a) => !inUniverse.has(a.nodeId));
      if (off) { skip(`a replica is on ${input.nodes.find((n) => n.id === off.nodeId)?.name ?? off.nodeId}, which takes no new work`); continue; }
      chosen.set(key, allocs);
      const sorted = [...allocs].sort((a, b) => a.replica - b.replica);
      for (const r of replicaRequestsFor(stackName, svc.spec, sorted.map((a) => a.replica))) requests.push({ ...r, strategy: strat });
    }
  }

  const current = snapshotOf(universe, live);
  const before = metricsOf(current);
  const none = (reason: string): RebalanceResult => ({ ok: true, value: { strategy: strat, moves: [], before, after: before, freed: [], reason, skipped } });
  if (requests.length === 0) return none(chosen.size === 0 && skipped.length ? 'nothing can move' : 'nothing to rebalance');

  // Re-pack the chosen services from scratch on the same nodes, everything else fixed.
  const fixed = live.filter((a) => !chosen.has(serviceKey(a.stack, a.service)));
  const plan = planBatch(snapshotOf(universe, fixed), requests, { seed: input.seed ?? 1, improveBudgetMs: 200, ...(input.now ? { now: input.now } : {}) });
  if (plan.unplaced.length > 0) return none(`a re-pack does not place every replica (${plan.unplaced[0]!.service}.${plan.unplaced[0]!.replica}: ${plan.unplaced[0]!.reason})`);

  // Fewest moves: the planned contents go to the interchangeable nodes that already hold most of
  // them; then per service, a node keeps min(now, planned) of its replicas and the surplus moves
  // to the nodes short of theirs.
  const order = new Map(universe.map((n, i) => [n.id, i]));
  const bins = new Map<string, Map<string, number>>();
  for (const p of plan.placements) {
    let m = bins.get(p.nodeId);
    if (!m) bins.set(p.nodeId, (m = new Map()));
    m.set(p.service, (m.get(p.service) ?? 0) + 1);
  }
  // A constraint on a node's name or id tells nodes apart: then none is interchangeable.
  const byIdentity = requests.some((q) => q.constraints.some((c) => c.attribute === 'node.hostname' || c.attribute === 'node.id'));
  const relabel = byIdentity ? new Map<string, string>() : interchange(snapshotOf(universe, fixed), bins, chosen);
  const planned = new Map<string, Map<string, number>>();
  for (const [nodeId, m] of bins) {
    for (const [service, n] of m) {
      let byNode = planned.get(service);
      if (!byNode) planned.set(service, (byNode = new Map()));
      byNode.set(relabel.get(nodeId) ?? nodeId, n);
    }
  }
  const moves: RebalanceMove[] = [];
  for (const [key, allocs] of chosen) {
    const want = planned.get(key) ?? new Map<string, number>();
    const have = new Map<string, DeepReadonly<AllocationRecord>[]>();
    for (const a of allocs) {
      const l = have.get(a.nodeId);
      if (l) l.push(a);
      else have.set(a.nodeId, [a]);
    }
    const movers: DeepReadonly<AllocationRecord>[] = [];
    for (const [nodeId, l] of [...have].sort(([a], [b]) => order.get(a)! - order.get(b)!)) {
      const keep = want.get(nodeId) ?? 0;
      // The lowest slots stay: the highest ones move.
      movers.push(...[...l].sort((a, b) => a.replica - b.replica).slice(keep));
    }
    const targets: string[] = [];
    for (const [nodeId, n] of [...want].sort(([a], [b]) => order.get(a)! - order.get(b)!)) {
      for (let i = have.get(nodeId)?.length ?? 0; i < n; i++) targets.push(nodeId);
    }
    movers.forEach((a, i) => moves.push({ allocationId: a.id, stack: a.stack, service: a.service, replica: a.replica, from: a.nodeId, to: targets[i]! }));
  }
  if (moves.length === 0) return none('already balanced');

  // The load after the moves: the allocations with their new nodes.
  const dest = new Map(moves.map((m) => [m.allocationId, m.to]));
  const afterNodes = snapshotOf(universe, live.map((a) => (dest.has(a.id) ? { ...a, nodeId: dest.get(a.id)! } : a)));
  const after = metricsOf(afterNodes);
  if (!improves(strat, before, after)) return none(strat === 'binpack' ? `already balanced: the replicas use no fewer nodes than the ${before.nodesUsed} they use` : 'already balanced: no placement lowers the fullest node');
  const usedAfter = new Set(afterNodes.filter((n) => Object.keys(n.replicasByService).length > 0).map((n) => n.id));
  const freed = current.filter((n) => Object.keys(n.replicasByService).length > 0 && !usedAfter.has(n.id)).map((n) => n.id);
  moves.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : a.replica - b.replica));
  return { ok: true, value: { strategy: strat, moves, before, after, freed, reason: '', skipped } };
}

/**
 * The batch packer does not know where replicas run now, so its plan may empty the node holding
 * the most of them. Nodes that look the same to it (capacity, labels, role, and the same fixed
 * work: reservations, ports, replicas by service) are interchangeable: any one may take another's
 * planned contents. Within each such class the planned contents go, greedily, to the node that
 * already runs most of them. Returns planned node id -> node id (only for changed ones).
 */
function interchange(
  fixedNodes: readonly SchedNode[],
  bins: ReadonlyMap<string, ReadonlyMap<string, number>>,
  chosen: ReadonlyMap<string, readonly DeepReadonly<AllocationRecord>[]>,
): Map<string, string> {
  const current = new Map<string, Map<string, number>>();
  for (const [key, allocs] of chosen) {
    for (const a of allocs) {
      let m = current.get(a.nodeId);
      if (!m) current.set(a.nodeId, (m = new Map()));
      m.set(key, (m.get(key) ?? 0) + 1);
    }
  }
  const classes = new Map<string, string[]>();
  for (const n of fixedNodes) {
    const sig = JSON.stringify([n.cpuMillis, n.memoryBytes, n.reservedCpuMillis, n.reservedMemoryBytes, n.role ?? '', n.os ?? '', n.arch ?? '', n.availability ?? '', n.status,
      Object.entries(n.labels).sort(), [...n.usedPorts].map((p) => `${p.port}/${p.protocol}`).sort(), Object.entries(n.replicasByService).sort()]);
    const c = classes.get(sig);
    if (c) c.push(n.id);
    else classes.set(sig, [n.id]);
  }
  const overlap = (bin: ReadonlyMap<string, number> | undefined, nodeId: string) => {
    let k = 0;
    for (const [service, n] of bin ?? []) k += Math.min(n, current.get(nodeId)?.get(service) ?? 0);
    return k;
  };
  const out = new Map<string, string>();
  for (const members of classes.values()) {
    if (members.length < 2) continue;
    const pairs: { from: string; to: string; k: number }[] = [];
    for (const from of members) for (const to of members) pairs.push({ from, to, k: overlap(bins.get(from), to) });
    // Largest overlap first; ties keep the plan's own node, then node order (deterministic).
    pairs.sort((a, b) => b.k - a.k || Number(b.from === b.to) - Number(a.from === a.to) || members.indexOf(a.from) - members.indexOf(b.from) || members.indexOf(a.to) - members.indexOf(b.to));
    const usedFrom = new Set<string>();
    const usedTo = new Set<string>();
    for (const p of pairs) {
      if (usedFrom.has(p.from) || usedTo.has(p.to)) continue;
      usedFrom.add(p.from);
      usedTo.add(p.to);
      if (p.from !== p.to) out.set(p.from, p.to);
    }
  }
  return out;
}
