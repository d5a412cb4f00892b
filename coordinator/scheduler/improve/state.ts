// The one record every improvement mechanism works on: the plan being improved, replica weights
// and shapes, the movable replicas on each node, the undo journal and the work budget.
import type { PlanState } from '../plan-state.js';
import { seededRng, type Rng } from '../rng.js';
import type { ReplicaRequest } from '../types.js';

export interface ImproveContext {
  readonly s: PlanState;
  readonly requests: readonly ReplicaRequest[];
  /** Request index -> node index, or -1 when unplaced. Updated in place. */
  readonly assigned: Int32Array;
  /** Request index -> 1 when improvement may move it (bin-pack replicas of this batch). */
  readonly movable: Uint8Array;
  /** Static eligibility (status + constraints) of request r: node index -> 1 when eligible. */
  readonly eligible: (r: number) => Uint8Array;
  /** Node index -> 1 when the status filter lets work in: which nodes count as capacity and bins. */
  readonly ready: Uint8Array;
  readonly seed: number;
  readonly workCap: number;
  /** Wall-clock safety net, counted from when the search starts (after setup). */
  readonly budgetMs: number;
  readonly now: () => number;
}

/** Tolerance for comparing weights and fills, which are sums of fractions. */
export const EPS = 1e-9;

/** Replicas moved since the current attempt began, and the node each was on before (journal.ts). */
export interface Journal {
  touched: number[];
  /** Request index -> 1 while in `touched`. */
  readonly touchedFlag: Uint8Array;
  /** Request index -> node before the attempt; valid while touched. */
  readonly before: Int32Array;
}

/** Deterministic work units spent against the cap, and the wall-clock safety net (`spend`). */
export interface Budget {
  work: number;
  readonly workCap: number;
  /** Set when the search starts; Infinity before. */
  deadline: number;
  /** The clock is read only every few thousand units. */
  nextClockCheck: number;
  readonly now: () => number;
}

export interface ImproveState {
  readonly s: PlanState;
  readonly req: readonly ReplicaRequest[];
  /** The plan's request index -> node index; -1 while a replica is in an attempt's pool. */
  readonly assigned: Int32Array;
  readonly eligible: (r: number) => Uint8Array;
  readonly ready: Uint8Array;
  readonly rng: Rng;
  /** Replica weight = cpu * scaleCpu + memory * scaleMem: what "lighter" and "heavier" compare. */
  readonly w: Float64Array;
  readonly scaleCpu: number;
  readonly scaleMem: number;
  /** Shape id (one per distinct CPU and memory pair) of each replica; `shapes` ids in all. */
  readonly shape: Int32Array;
  readonly shapes: number;
  /** Replica has host ports or a per-node limit: needs the full filter check, not just arithmetic. */
  readonly complex: Uint8Array;
  /** Movable replicas on each node. */
  readonly onNode: number[][];
  readonly journal: Journal;
  readonly budget: Budget;
}

export function createImproveState(ctx: ImproveContext): ImproveState {
  const s = ctx.s;
  const n = ctx.requests.length;
  let refCpu = 0, refMem = 0;
  for (let j = 0; j < s.size; j++) {
    if (!ctx.ready[j]) continue;
    const node = s.nodes[j]!;
    refCpu = Math.max(refCpu, node.cpuMillis);
    refMem = Math.max(refMem, node.memoryBytes);
  }
  // Weigh each dimension by how binding it is for this batch: its demand in node capacities,
  // relative to the most demanded dimension, cubed. A dimension with slack to spare then barely
  // steers the search, while two equally tight dimensions count equally.
  let demandCpu = 0, demandMem = 0;
  for (let r = 0; r < n; r++) {
    if (!ctx.movable[r] || ctx.assigned[r]! < 0) continue;
    demandCpu += ctx.requests[r]!.cpuMillis;
    demandMem += ctx.requests[r]!.memoryBytes;
  }
  const dCpu = refCpu > 0 ? demandCpu / refCpu : 0;
  const dMem = refMem > 0 ? demandMem / refMem : 0;
  const dMax = Math.max(dCpu, dMem);
  const scaleCpu = refCpu > 0 && dMax > 0 ? (dCpu / dMax) ** 3 / refCpu : 0;
  const scaleMem = refMem > 0 && dMax > 0 ? (dMem / dMax) ** 3 / refMem : 0;
  const w = new Float64Array(n);
  const shape = new Int32Array(n);
  const complex = new Uint8Array(n);
  const shapeIds = new Map<number, Map<number, number>>();
  let shapes = 0;
  for (let r = 0; r < n; r++) {
    const q = ctx.requests[r]!;
    w[r] = q.cpuMillis * scaleCpu + q.memoryBytes * scaleMem;
    let byMem = shapeIds.get(q.cpuMillis);
    if (!byMem) shapeIds.set(q.cpuMillis, (byMem = new Map()));
    let id = byMem.get(q.memoryBytes);
    if (id === undefined) byMem.set(q.memoryBytes, (id = shapes++));
    shape[r] = id;
    complex[r] = q.hostPorts.length > 0 || q.maxReplicasPerNode > 0 ? 1 : 0;
  }
  const onNode: number[][] = Array.from({ length: s.size }, () => []);
  for (let r = 0; r < n; r++) if (ctx.movable[r] && ctx.assigned[r]! >= 0) onNode[ctx.assigned[r]!]!.push(r);
  return {
    s,
    req: ctx.requests,
    assigned: ctx.assigned,
    eligible: ctx.eligible,
    ready: ctx.ready,
    rng: seededRng(ctx.seed),
    w,
    scaleCpu,
    scaleMem,
    shape,
    shapes: Math.max(1, shapes),
    complex,
    onNode,
    journal: { touched: [], touchedFlag: new Uint8Array(n), before: new Int32Array(n) },
    budget: { work: 0, workCap: ctx.workCap, deadline: Infinity, nextClockCheck: 0, now: ctx.now },
  };
}

/**
 * An internal unwind, not an outcome: `spend` throws it from deep inside a search when the work
 * cap or the deadline is reached, and only the run loop (search.ts) catches it, turning it into
 * the plan's `improveStop`. Every attempt restores the plan on the way out, so the plan is valid
 * wherever it is thrown; it never leaves improvePlan.
 */
export class OutOfBudget extends Error {
  constructor(readonly stop: 'work-cap' | 'time-cap') {
    super(stop);
  }
}

/** Counts `units` of work; throws OutOfBudget when the cap or the deadline is reached. */
export function spend(st: ImproveState, units: number): void {
  const b = st.budget;
  b.work += units;
  if (b.work >= b.workCap) throw new OutOfBudget('work-cap');
  if (b.work >= b.nextClockCheck) {
    b.nextClockCheck = b.work + 4096;
    if (b.now() >= b.deadline) throw new OutOfBudget('time-cap');
  }
}
