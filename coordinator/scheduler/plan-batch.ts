// Plans a batch of replicas (a Compose file, a dead node's replicas, an offline plan) against a
// node snapshot, in three steps:
//   1. greedy: largest replica first (FFD order), each through the filter -> score -> pick pipeline
//      (so bin-pack replicas go to the fullest node that fits: best-fit decreasing);
//   2. improvement (improve/): bounded search for a plan with fewer nodes in use, moving only this
//      batch's bin-pack replicas and only to nodes every filter allows; it optimises node count, so
//      it may undo the greedy step's availability tie-break. Spread replicas are never moved;
//   3. replicas still unplaced are retried, then repaired by moving one batch replica aside
//      (repair.ts), then explained against the final state.
// Pure: no I/O, time only via the injected `now`.
import { NodeIndex } from './capacity-index.js';
import { constraintSignature } from './constraints.js';
import { explainIn } from './explain.js';
import { acceptsWork, firstRejection, fitsNow, readyMask, STATIC_FILTERS, staticEligibility, type Eligibility } from './filters.js';
import { improvePlan } from './improve/index.js';
import { countUsedNodes, usedNodesLowerBound } from './lower-bound.js';
import { pickNode } from './pick.js';
import { PlanState } from './plan-state.js';
import { repairUnplaced } from './repair.js';
import type { Placement, Plan, PlanOptions, PlanStats, ReplicaRequest, SchedNode, Unplaced } from './types.js';

/**
 * Work units per millisecond of `improveBudgetMs`. One core did 10,000 (100,000 replicas on 5,000
 * nodes, the slowest case measured) to 60,000 (Falkenauer instances) units per ms, so the work cap
 * normally ends improvement at well under the time budget and plans stay reproducible.
 */
export const IMPROVE_WORK_PER_MS = 5000;

interface CompiledOptions {
  readonly seed: number;
  readonly improveBudgetMs: number;
  readonly improveWorkCap: number;
  readonly now: () => number;
}

function compileOptions(opts: PlanOptions = {}): CompiledOptions {
  const improveBudgetMs = opts.improveBudgetMs ?? 200;
  return {
    seed: opts.seed ?? 1,
    improveBudgetMs,
    improveWorkCap: opts.improveWorkCap ?? Math.round(improveBudgetMs * IMPROVE_WORK_PER_MS),
    now: opts.now ?? (() => performance.now()),
  };
}

/** Places requests in `order` one by one through the pipeline; what does not fit stays at -1. */
function placeGreedily(
  s: PlanState,
  requests: readonly ReplicaRequest[],
  order: readonly number[],
  eligibilityOf: readonly Eligibility[],
  assigned: Int32Array,
): void {
  const indexes = new Map<Eligibility, NodeIndex>();
  // Spread preferences: an index per group of nodes (by eligibility, then the group's label values).
  const groupIndexes = new Map<Eligibility, Map<string, NodeIndex>>();
  // Every index re-sorts a node whose fill changed, so lookups always see current capacity.
  s.onChange((j) => {
    for (const ix of indexes.values()) ix.update(j);
    for (const m of groupIndexes.values()) for (const ix of m.values()) ix.update(j);
  });
  for (const r of order) {
    const e = eligibilityOf[r]!;
    if (requests[r]!.nodeId !== undefined) {
      // Pinned (a global replica): its one node, if it is eligible and fits; no index to keep.
      const j = e.members[0];
      if (j !== undefined && fitsNow(s, j, requests[r]!)) {
        s.place(j, requests[r]!);
        assigned[r] = j;
      }
      continue;
    }
    if (requests[r]!.spread !== undefined) {
      let byGroup = groupIndexes.get(e);
      if (!byGroup) groupIndexes.set(e, (byGroup = new Map()));
      const cache = byGroup;
      const indexOf = (path: string, members: readonly number[]) => {
        let gx = cache.get(path);
        if (!gx) cache.set(path, (gx = new NodeIndex(s, members)));
        return gx;
      };
      const j = pickSpread(s, requests[r]!, e.members, 0, '', indexOf);
      if (j >= 0) {
        s.place(j, requests[r]!);
        assigned[r] = j;
      }
      continue;
    }
    let ix = indexes.get(e);
    if (!ix) indexes.set(e, (ix = new NodeIndex(s, e.members)));
    const j = pickNode(s, ix, requests[r]!);
    if (j >= 0) {
      s.place(j, requests[r]!);
      assigned[r] = j;
    }
  }
  s.clearListeners();
}

export function planBatch(nodes: readonly SchedNode[], requests: readonly ReplicaRequest[], opts?: PlanOptions): Plan {
  const o = compileOptions(opts);
  const s = new PlanState(nodes);
  const n = requests.length;
  const assigned = new Int32Array(n).fill(-1);

  // The static filters give the same answer for every request with the same constraints.
  const bySignature = new Map<string, Eligibility>();
  const eligibilityOf = new Array<Eligibility>(n);
  let nodeIndex: Map<string, number> | undefined;
  for (let r = 0; r < n; r++) {
    const q = requests[r]!;
    const sig = constraintSignature(q.constraints, q.nodeId, q.pinReason);
    let e = bySignature.get(sig);
    if (!e) {
      nodeIndex ??= q.nodeId === undefined ? undefined : new Map(nodes.map((node, j) => [node.id, j]));
      e = q.nodeId === undefined ? staticEligibility(s, q) : pinnedEligibility(s, q, nodeIndex!.get(q.nodeId));
      bySignature.set(sig, e);
    }
    eligibilityOf[r] = e;
  }

  const ready = readyMask(s);
  placeGreedily(s, requests, ffdOrder(nodes, requests), eligibilityOf, assigned);
  const greedyNodesUsed = countUsedNodes(s);

  const movable = new Uint8Array(n);
  let anyMovable = false;
  for (let r = 0; r < n; r++) {
    // Spread replicas asked to be apart: packing them tighter would undo that, so they stay put;
    // a pinned replica (global service) has nowhere else to go; one placed by a spread preference
    // would lose its group's balance.
    if (assigned[r]! >= 0 && requests[r]!.strategy === 'binpack' && requests[r]!.nodeId === undefined && requests[r]!.spread === undefined) {
      movable[r] = 1;
      anyMovable = true;
    }
  }
  let improveStop: PlanStats['improveStop'] = 'skipped';
  let improveWork = 0;
  let lowerBound: number | undefined;
  if (anyMovable && o.improveWorkCap > 0 && o.improveBudgetMs > 0) {
    const result = improvePlan({
      s,
      requests,
      assigned,
      movable,
      eligible: (r) => eligibilityOf[r]!.mask,
      ready,
      seed: o.seed,
      workCap: o.improveWorkCap,
      budgetMs: o.improveBudgetMs,
      now: o.now,
    });
    improveStop = result.stop;
    improveWork = result.work;
    lowerBound = result.lowerBound;
  }

  // Improvement may have made room: retry what did not fit, then explain what still does not.
  const unplacedIdx: number[] = [];
  for (let r = 0; r < n; r++) if (assigned[r]! < 0) unplacedIdx.push(r);
  if (unplacedIdx.length > 0 && improveStop !== 'skipped') placeGreedily(s, requests, unplacedIdx, eligibilityOf, assigned);
  if (unplacedIdx.some((r) => assigned[r]! < 0) && repairUnplaced(s, requests, assigned, unplacedIdx, (r) => eligibilityOf[r]!.mask, undefined, (r) => requests[r]!.spread !== undefined) > 0) {
    // A repair that swapped a large replica for a smaller one can free room an earlier one fits.
    const left = unplacedIdx.filter((r) => assigned[r]! < 0);
    if (left.length > 0) placeGreedily(s, requests, left, eligibilityOf, assigned);
  }

  const placements: Placement[] = [];
  const unplaced: Unplaced[] = [];
  for (let r = 0; r < n; r++) {
    const q = requests[r]!;
    const j = assigned[r]!;
    if (j >= 0) placements.push({ service: q.service, replica: q.replica, nodeId: nodes[j]!.id, nodeName: nodes[j]!.name });
    else unplaced.push(explainIn(s, q));
  }
  const stats: PlanStats = {
    greedyNodesUsed,
    nodesUsed: countUsedNodes(s),
    lowerBound: lowerBound ?? usedNodesLowerBound(s, ready, requests, assigned, movable),
    improveWork,
    improveWorkCap: o.improveWorkCap,
    improveStop,
  };
  return { placements, unplaced, stats };
}

/**
 * Replicas pinned to a node first (a global service's replica can go nowhere else, so it is not
 * left to find its node full: SwarmKit places preassigned tasks first too), then largest first, by
 * the largest of CPU and memory normalised to the biggest ready node, so the dimension a replica
 * stresses most decides; ties keep request order.
 */
export function ffdOrder(nodes: readonly SchedNode[], requests: readonly ReplicaRequest[]): number[] {
  let maxCpu = 0, maxMem = 0;
  for (const node of nodes) {
    if (!acceptsWork(node)) continue;
    maxCpu = Math.max(maxCpu, node.cpuMillis);
    maxMem = Math.max(maxMem, node.memoryBytes);
  }
  const size = requests.map((q) =>
    Math.max(maxCpu > 0 ? q.cpuMillis / maxCpu : 0, maxMem > 0 ? q.memoryBytes / maxMem : 0),
  );
  const pinned = (r: number) => (requests[r]!.nodeId === undefined ? 0 : 1);
  return requests.map((_, r) => r).sort((a, b) => pinned(b) - pinned(a) || size[b]! - size[a]! || a - b);
}

/** The eligibility of a request pinned to node `j` (undefined: not in the snapshot): that node alone, if it passes the static filters. */
function pinnedEligibility(s: PlanState, r: ReplicaRequest, j: number | undefined): Eligibility {
  const mask = new Uint8Array(s.size);
  if (j === undefined || firstRejection(STATIC_FILTERS, s, j, r)) return { mask, members: [] };
  mask[j] = 1;
  return { mask, members: [j] };
}

/**
 * placement.preferences, SwarmKit's decision tree one replica at a time: at each level the nodes
 * are grouped by the label's value (nodes without the label are one more group, value ''), and the
 * replica goes down the group running the fewest replicas of its service (ties: the smaller value),
 * or the next one when nothing in that group fits; at the last level the usual pick (bin-pack or
 * spread) chooses the node within the group. Placing each replica in the least-loaded group that
 * can take it evens the groups out as SwarmKit's per-branch split does.
 */
function pickSpread(
  s: PlanState,
  r: ReplicaRequest,
  members: readonly number[],
  level: number,
  path: string,
  indexOf: (path: string, members: readonly number[]) => NodeIndex,
): number {
  const keys = r.spread!;
  if (level === keys.length) return members.length ? pickNode(s, indexOf(path, members), r) : -1;
  const key = keys[level]!;
  const groups = new Map<string, number[]>();
  for (const j of members) {
    const labels = s.nodes[j]!.labels;
    const value = Object.hasOwn(labels, key) ? labels[key]! : '';
    const g = groups.get(value);
    if (g) g.push(j);
    else groups.set(value, [j]);
  }
  const load = (g: readonly number[]) => g.reduce((n, j) => n + s.replicasOf(j, r.service), 0);
  const order = [...groups].map(([value, g]) => ({ value, g, n: load(g) })).sort((a, b) => a.n - b.n || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  for (const { value, g } of order) {
    const j = pickSpread(s, r, g, level + 1, `${path}\n${value}`, indexOf);
    if (j >= 0) return j;
  }
  return -1;
}
