// Improves a batch plan beyond first-fit-decreasing: fewer nodes in use, every filter respected.
//
// The method is consistent neighbourhood search (Buljubašić & Vasquez, "Consistent neighborhood
// search for one-dimensional bin packing and two-dimensional vector packing", C&OR 2016), adapted to
// nodes that differ in capacity, eligibility, ports and per-service limits:
//
//   repeat while nodes in use > lower bound:
//     take the emptiest node T that only this batch uses, plus two other lightly filled nodes V;
//     unplace their batch replicas into a pool S (every other node keeps a feasible placement);
//     search until S fits into V alone (then T is empty: one node fewer) or the attempt gives up:
//       - a "pack" descent first and every few iterations: refill each node with the heaviest
//         subset of its own replicas plus S that fits (a small subset-sum search); this is what
//         finds exactly-full nodes, e.g. the triplets of Falkenauer's t instances;
//       - tabu moves: swap up to 2 replicas of a node with up to 2 of S so S gets lighter (and, on a
//         tie, holds more replicas: small ones are easier to place later); moving a replica shape
//         out of the node it just entered is tabu for a few iterations;
//       - when S fits V, take the most lopsided split, so the next emptiest node is lighter still;
//     on give-up, restore the plan from before the attempt and try another choice of V.
//
// "Lighter" weighs CPU and memory by how binding each is for the batch (see the constructor).
// Every move only considers nodes a replica is eligible for (status, constraints) and that pass the
// capacity, host-port and max-per-node filters, so any intermediate state is a valid partial plan.
// Replicas with host ports or a per-node limit are moved by swaps only (full filter check), never by
// the arithmetic-only pack search.
// Work is counted in deterministic units (move evaluations, search nodes, nodes scanned); the work
// cap makes the result reproducible, the clock deadline is only a safety net.
import { fitsNow } from './filters.js';
import { countUsedNodes, usedNodesLowerBound } from './lower-bound.js';
import type { PlanState } from './plan-state.js';
import { seededRng, type Rng } from './rng.js';
import type { PlanStats, ReplicaRequest } from './types.js';

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

export interface ImproveResult {
  readonly work: number;
  readonly stop: PlanStats['improveStop'];
  readonly lowerBound: number;
}

const EPS = 1e-9;
/** Tabu iterations per attempt before restoring and trying another set of removed nodes. */
const ATTEMPT_ITERATIONS = 500;
/** Run the pack descent first and then every this many tabu iterations. */
const PACK_EVERY = 5;
/** Minimum tabu tenure; it grows with how often the same (node, shape) entered. */
const TENURE = 3;
/** Limits on one iteration's neighbourhood so huge batches still make steady progress. */
const MAX_EVALS_PER_ITERATION = 20_000;
const MAX_POOL_FOR_PAIRS = 40;
const MAX_ITEMS_FOR_PAIR_REMOVAL = 16;
/** Search-node limits for the subset searches. */
const PACK_SEARCH_LIMIT = 2_000;
const FIT_SEARCH_LIMIT = 5_000;
const MAX_ATTEMPTS_PER_STEP = 2_000;

/** Thrown (and caught in run) to unwind the search when the work cap or the deadline is reached. */
class OutOfBudget extends Error {
  constructor(readonly stop: 'work-cap' | 'time-cap') {
    super(stop);
  }
}

interface Group {
  /** Combined normalised weight, CPU and memory of one or two pool replicas. */
  readonly w: number;
  readonly cpu: number;
  readonly mem: number;
  readonly a: number;
  readonly b: number;
}

export function improvePlan(ctx: ImproveContext): ImproveResult {
  return new Improver(ctx).run();
}

class Improver {
  private readonly s: PlanState;
  private readonly req: readonly ReplicaRequest[];
  private readonly rng: Rng;
  private readonly w: Float64Array;
  private readonly shape: Int32Array;
  private readonly shapes: number;
  /** Replica has host ports or a per-node limit: needs the full filter check, not just arithmetic. */
  private readonly complex: Uint8Array;
  /** Movable replicas on each node. */
  private readonly onNode: number[][];
  /** Replica weight = cpu * scaleCpu + memory * scaleMem (1 / the largest ready node's capacity). */
  private readonly scaleCpu: number;
  private readonly scaleMem: number;
  /** The best swap found so far by the current bestMove scan. */
  private readonly mv = { bestD: 0, bestDn: 0, ties: 0, node: -1, a1: -1, a2: -1, group: -1, evals: 0 };
  /** State of the current pack search. */
  private readonly pk = {
    cand: [] as number[],
    suffix: new Float64Array(0),
    capCpu: 0,
    capMem: 0,
    best: 0,
    bestSet: undefined as number[] | undefined,
    chosen: [] as number[],
    nodes: 0,
  };
  /** State of the current "does the pool fit the virtual nodes" search. */
  private readonly fit = {
    items: [] as number[],
    where: new Int32Array(0),
    virtual: [] as readonly number[],
    /** The two virtual nodes are empty and interchangeable: try only the first for the first replica. */
    twins: false,
    nodes: 0,
    /** Fill of the fullest virtual node in the best complete assignment so far (-1: none yet). */
    best: -1,
    bestWhere: new Int32Array(0),
  };
  private deadline = Infinity;
  private work = 0;
  private nextClockCheck = 0;
  private touched: number[] = [];
  private readonly touchedFlag: Uint8Array;
  private readonly before: Int32Array;

  constructor(private readonly ctx: ImproveContext) {
    this.s = ctx.s;
    this.req = ctx.requests;
    this.rng = seededRng(ctx.seed);
    const n = ctx.requests.length;
    const s = this.s;
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
    this.scaleCpu = refCpu > 0 && dMax > 0 ? (dCpu / dMax) ** 3 / refCpu : 0;
    this.scaleMem = refMem > 0 && dMax > 0 ? (dMem / dMax) ** 3 / refMem : 0;
    this.w = new Float64Array(n);
    this.shape = new Int32Array(n);
    this.complex = new Uint8Array(n);
    this.touchedFlag = new Uint8Array(n);
    this.before = new Int32Array(n);
    const shapeIds = new Map<number, Map<number, number>>();
    let shapes = 0;
    for (let r = 0; r < n; r++) {
      const q = ctx.requests[r]!;
      this.w[r] = q.cpuMillis * this.scaleCpu + q.memoryBytes * this.scaleMem;
      let byMem = shapeIds.get(q.cpuMillis);
      if (!byMem) shapeIds.set(q.cpuMillis, (byMem = new Map()));
      let id = byMem.get(q.memoryBytes);
      if (id === undefined) byMem.set(q.memoryBytes, (id = shapes++));
      this.shape[r] = id;
      this.complex[r] = q.hostPorts.length > 0 || q.maxReplicasPerNode > 0 ? 1 : 0;
    }
    this.shapes = Math.max(1, shapes);
    this.onNode = Array.from({ length: s.size }, () => []);
    for (let r = 0; r < n; r++) if (ctx.movable[r] && ctx.assigned[r]! >= 0) this.onNode[ctx.assigned[r]!]!.push(r);
  }

  run(): ImproveResult {
    const lowerBound = usedNodesLowerBound(this.s, this.ctx.ready, this.req, this.ctx.assigned, this.ctx.movable);
    this.deadline = this.ctx.now() + this.ctx.budgetMs;
    let stop: PlanStats['improveStop'] = 'no-progress';
    try {
      while (true) {
        this.spend(this.s.size >> 2);
        if (countUsedNodes(this.s) <= lowerBound) {
          stop = 'lower-bound';
          break;
        }
        if (!this.reduceByOne()) break;
      }
    } catch (err) {
      if (!(err instanceof OutOfBudget)) throw err;
      stop = err.stop;
    }
    return { work: this.work, stop, lowerBound };
  }

  private spend(units: number): void {
    this.work += units;
    if (this.work >= this.ctx.workCap) throw new OutOfBudget('work-cap');
    if (this.work >= this.nextClockCheck) {
      this.nextClockCheck = this.work + 4096;
      if (this.ctx.now() >= this.deadline) throw new OutOfBudget('time-cap');
    }
  }

  /** A node this batch can empty: nothing was on it before, and everything on it may move. */
  private removable(j: number): boolean {
    const s = this.s;
    return s.preUsed[j] === 0 && s.planned[j]! > 0 && this.onNode[j]!.length === s.planned[j];
  }

  private reduceByOne(): boolean {
    for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_STEP; attempt++) {
      const choice = this.chooseRemoved(attempt);
      if (!choice) return false;
      if (this.attempt(choice.removed)) return true;
      if (!choice.varies && attempt >= 2) return false;
    }
    return false;
  }

  /** T = the emptiest removable node; V = the emptiest other node plus one drawn from the next few. */
  private chooseRemoved(attempt: number): { removed: number[]; varies: boolean } | undefined {
    const s = this.s;
    const fill = s.fill;
    const byFill = (a: number, b: number): number => fill[a]! - fill[b]! || a - b;
    const removable: number[] = [];
    const others: number[] = [];
    for (let j = 0; j < s.size; j++) {
      if (this.onNode[j]!.length === 0 || !this.ctx.ready[j]) continue;
      if (this.removable(j)) removable.push(j);
      else others.push(j);
    }
    if (removable.length === 0) return undefined;
    this.spend(s.size + 4 * (removable.length + others.length));
    removable.sort(byFill);
    const t = removable[0]!;
    const rest = [...removable.slice(1), ...others].sort(byFill);
    const removed = [t];
    if (rest.length > 0) removed.push(rest[0]!);
    if (rest.length > 1) removed.push(rest[1 + Math.floor(this.rng() * Math.min(rest.length - 1, attempt + 1))]!);
    return { removed, varies: rest.length > 2 };
  }

  // --- one attempt -------------------------------------------------------------------------------

  private attempt(removed: readonly number[]): boolean {
    const s = this.s;
    const virtual = removed.slice(1);
    const removedSet = new Set(removed);
    const pool: number[] = [];
    this.touched = [];
    for (const j of removed) {
      for (const r of this.onNode[j]!) {
        this.touch(r);
        s.unplace(j, this.req[r]!);
        this.ctx.assigned[r] = -1;
        pool.push(r);
      }
      this.onNode[j] = [];
    }
    // Nodes that may take part: in use (opening an empty node would defeat the purpose), ready.
    const bins: number[] = [];
    for (let j = 0; j < s.size; j++) {
      if (!this.ctx.ready[j] || removedSet.has(j) || !s.isUsed(j)) continue;
      if (this.onNode[j]!.length > 0 || (s.freeCpu[j]! > 0 && s.freeMem[j]! > 0)) bins.push(j);
    }
    try {
      this.spend(s.size);
      if (this.search(bins, pool, virtual)) return true;
    } catch (err) {
      this.restore(pool);
      throw err;
    }
    this.restore(pool);
    return false;
  }

  /** The tabu search of one attempt; true when the pool ended up on the virtual nodes. */
  private search(bins: readonly number[], pool: number[], virtual: readonly number[]): boolean {
    const tabu = new Map<number, number>();
    const freq = new Map<number, number>();
    let offset = 0;
    for (let it = 0; it < ATTEMPT_ITERATIONS; it++) {
      if (this.fitsInto(pool, virtual)) return true;
      if (it % PACK_EVERY === 0) {
        this.packDescent(bins, pool);
        if (this.fitsInto(pool, virtual)) return true;
      }
      const move = this.bestMove(bins, pool, tabu, it, offset);
      if (!move) break;
      offset = move.nextOffset;
      this.applyMove(move.node, move.out, move.in, pool);
      for (const r of move.in) {
        const key = move.node * this.shapes + this.shape[r]!;
        const f = (freq.get(key) ?? 0) + 1;
        freq.set(key, f);
        tabu.set(key, it + TENURE + (f >> 1));
      }
    }
    return false;
  }

  private touch(r: number): void {
    if (this.touchedFlag[r]) return;
    this.touchedFlag[r] = 1;
    this.before[r] = this.ctx.assigned[r]!;
    this.touched.push(r);
  }

  private put(j: number, r: number): void {
    this.touch(r);
    this.s.place(j, this.req[r]!);
    this.ctx.assigned[r] = j;
    this.onNode[j]!.push(r);
  }

  private take(j: number, r: number): void {
    this.touch(r);
    this.s.unplace(j, this.req[r]!);
    this.ctx.assigned[r] = -1;
    const list = this.onNode[j]!;
    const i = list.indexOf(r);
    list[i] = list[list.length - 1]!;
    list.pop();
  }

  /** Puts every replica the attempt moved back where it was before the attempt. */
  private restore(pool: number[]): void {
    for (const r of this.touched) {
      const now = this.ctx.assigned[r]!;
      if (now >= 0 && now !== this.before[r]) this.take(now, r);
    }
    pool.length = 0;
    for (const r of this.touched) {
      const was = this.before[r]!;
      if (this.ctx.assigned[r] !== was) this.put(was, r);
      this.touchedFlag[r] = 0;
    }
    this.touched = [];
  }

  private commit(): void {
    for (const r of this.touched) this.touchedFlag[r] = 0;
    this.touched = [];
  }

  /** Tries to place the whole pool on the `virtual` nodes (small exhaustive search); commits on success. */
  private fitsInto(pool: number[], virtual: readonly number[]): boolean {
    const s = this.s;
    if (pool.length === 0) {
      this.commit();
      return true;
    }
    if (virtual.length === 0) return false;
    let needCpu = 0, needMem = 0, haveCpu = 0, haveMem = 0;
    for (const r of pool) {
      needCpu += this.req[r]!.cpuMillis;
      needMem += this.req[r]!.memoryBytes;
    }
    for (const j of virtual) {
      haveCpu += s.freeCpu[j]!;
      haveMem += s.freeMem[j]!;
    }
    if (needCpu > haveCpu || needMem > haveMem) return false;
    const items = [...pool].sort((a, b) => this.w[b]! - this.w[a]! || a - b);
    const fit = this.fit;
    fit.items = items;
    fit.where = new Int32Array(items.length).fill(-1);
    fit.virtual = virtual;
    fit.nodes = 0;
    const [v0, v1] = virtual;
    fit.twins =
      v0 !== undefined &&
      v1 !== undefined &&
      !s.isUsed(v0) &&
      !s.isUsed(v1) &&
      s.nodes[v0]!.cpuMillis === s.nodes[v1]!.cpuMillis &&
      s.nodes[v0]!.memoryBytes === s.nodes[v1]!.memoryBytes &&
      items.every((r) => this.ctx.eligible(r)[v0] === this.ctx.eligible(r)[v1]);
    fit.best = -1;
    this.fitSearch(0);
    this.spend(fit.nodes);
    if (fit.best < 0) return false;
    for (let k = 0; k < items.length; k++) {
      const r = items[k]!;
      const j = fit.bestWhere[k]!;
      this.touch(r);
      s.place(j, this.req[r]!);
      this.ctx.assigned[r] = j;
      this.onNode[j]!.push(r);
    }
    pool.length = 0;
    this.commit();
    return true;
  }

  // --- tabu move ---------------------------------------------------------------------------------

  private groups(pool: readonly number[]): Group[] {
    const g: Group[] = [];
    const byW = [...pool].sort((a, b) => this.w[b]! - this.w[a]! || a - b);
    const pairable = byW.slice(0, MAX_POOL_FOR_PAIRS);
    for (const a of byW) g.push({ w: this.w[a]!, cpu: this.req[a]!.cpuMillis, mem: this.req[a]!.memoryBytes, a, b: -1 });
    for (let x = 0; x < pairable.length; x++) {
      for (let y = x + 1; y < pairable.length; y++) {
        const a = pairable[x]!, b = pairable[y]!;
        const qa = this.req[a]!, qb = this.req[b]!;
        g.push({ w: this.w[a]! + this.w[b]!, cpu: qa.cpuMillis + qb.cpuMillis, mem: qa.memoryBytes + qb.memoryBytes, a, b });
      }
    }
    g.sort((u, v) => v.w - u.w);
    this.spend(g.length);
    return g;
  }

  /**
   * The best non-tabu swap of up to two replicas of one node against up to two of the pool:
   * lowest resulting pool weight, then most replicas left in the pool; ties drawn at random.
   */
  private bestMove(
    bins: readonly number[],
    pool: readonly number[],
    tabu: Map<number, number>,
    it: number,
    offset: number,
  ): { node: number; out: number[]; in: number[]; nextOffset: number } | undefined {
    if (bins.length === 0 || pool.length === 0) return undefined;
    const g = this.groups(pool);
    const mv = this.mv;
    mv.bestD = Infinity;
    mv.bestDn = -Infinity;
    mv.ties = 0;
    mv.node = -1;
    mv.evals = 0;
    let visited = 0;
    const start = offset % bins.length;
    for (; visited < bins.length && mv.evals < MAX_EVALS_PER_ITERATION; visited++) {
      const j = bins[(start + visited) % bins.length]!;
      const items = this.onNode[j]!;
      const m = items.length;
      const pairs = m <= MAX_ITEMS_FOR_PAIR_REMOVAL;
      this.considerSwap(j, -1, -1, g, tabu, it);
      for (let x = 0; x < m; x++) {
        this.considerSwap(j, items[x]!, -1, g, tabu, it);
        if (pairs) for (let y = x + 1; y < m; y++) this.considerSwap(j, items[x]!, items[y]!, g, tabu, it);
      }
    }
    this.spend(mv.evals);
    if (mv.node < 0) return undefined;
    const c = g[mv.group]!;
    const out = mv.a1 >= 0 ? (mv.a2 >= 0 ? [mv.a1, mv.a2] : [mv.a1]) : [];
    return { node: mv.node, out, in: c.b >= 0 ? [c.a, c.b] : [c.a], nextOffset: start + visited };
  }

  /** Scores giving up a1 (and a2) of node j for the heaviest pool group that then fits. */
  private considerSwap(j: number, a1: number, a2: number, g: readonly Group[], tabu: Map<number, number>, it: number): void {
    const mv = this.mv;
    const s = this.s;
    mv.evals++;
    if (a1 >= 0 && (tabu.get(j * this.shapes + this.shape[a1]!) ?? -1) > it) return;
    if (a2 >= 0 && (tabu.get(j * this.shapes + this.shape[a2]!) ?? -1) > it) return;
    let wA = 0, nA = 0;
    let roomCpu = s.freeCpu[j]!, roomMem = s.freeMem[j]!;
    if (a1 >= 0) {
      wA += this.w[a1]!;
      nA++;
      roomCpu += this.req[a1]!.cpuMillis;
      roomMem += this.req[a1]!.memoryBytes;
    }
    if (a2 >= 0) {
      wA += this.w[a2]!;
      nA++;
      roomCpu += this.req[a2]!.cpuMillis;
      roomMem += this.req[a2]!.memoryBytes;
    }
    // A group can only fit if its weight is at most the room's weight: start the scan there.
    const roomW = roomCpu * this.scaleCpu + roomMem * this.scaleMem;
    let lo = 0, hi = g.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (g[mid]!.w <= roomW + EPS) hi = mid;
      else lo = mid + 1;
    }
    for (let k = lo; k < g.length; k++) {
      mv.evals++;
      const c = g[k]!;
      const d = wA - c.w;
      if (d > mv.bestD + EPS) break;
      if (c.cpu > roomCpu || c.mem > roomMem) continue;
      const dn = nA - (c.b >= 0 ? 2 : 1);
      const tie = Math.abs(d - mv.bestD) <= EPS;
      if (tie && dn < mv.bestDn) continue;
      if (Math.abs(d) <= EPS && dn === 0 && this.sameShapes(a1, a2, c.a, c.b)) continue;
      if (!this.groupFits(j, a1, a2, c.a, c.b)) continue;
      if (!tie || dn > mv.bestDn) {
        mv.bestD = d;
        mv.bestDn = dn;
        mv.ties = 1;
      } else if (this.rng() * ++mv.ties >= 1) {
        continue;
      }
      mv.node = j;
      mv.a1 = a1;
      mv.a2 = a2;
      mv.group = k;
    }
  }

  private sameShapes(a1: number, a2: number, f1: number, f2: number): boolean {
    const x1 = a1 >= 0 ? this.shape[a1]! : -1;
    const x2 = a2 >= 0 ? this.shape[a2]! : -1;
    const y1 = f1 >= 0 ? this.shape[f1]! : -1;
    const y2 = f2 >= 0 ? this.shape[f2]! : -1;
    return (x1 === y1 && x2 === y2) || (x1 === y2 && x2 === y1);
  }

  /** Whether node j can take pool replicas f1 (and f2) after giving up a1 (and a2). */
  private groupFits(j: number, a1: number, a2: number, f1: number, f2: number): boolean {
    if (!this.ctx.eligible(f1)[j]) return false;
    if (f2 >= 0 && !this.ctx.eligible(f2)[j]) return false;
    const anyComplex =
      this.complex[f1] || (f2 >= 0 && this.complex[f2]) || (a1 >= 0 && this.complex[a1]) || (a2 >= 0 && this.complex[a2]);
    if (!anyComplex) return true; // capacity was checked by the caller
    const s = this.s;
    const q = this.req;
    if (a1 >= 0) s.unplace(j, q[a1]!);
    if (a2 >= 0) s.unplace(j, q[a2]!);
    let ok = fitsNow(s, j, q[f1]!);
    if (ok && f2 >= 0) {
      s.place(j, q[f1]!);
      ok = fitsNow(s, j, q[f2]!);
      s.unplace(j, q[f1]!);
    }
    if (a2 >= 0) s.place(j, q[a2]!);
    if (a1 >= 0) s.place(j, q[a1]!);
    return ok;
  }

  private applyMove(j: number, out: readonly number[], into: readonly number[], pool: number[]): void {
    for (const r of out) {
      this.take(j, r);
      pool.push(r);
    }
    for (const r of into) {
      pool.splice(pool.indexOf(r), 1);
      this.put(j, r);
    }
  }

  // --- pack descent ------------------------------------------------------------------------------

  /**
   * For each node, replaces its movable simple replicas by the heaviest subset of them plus the
   * pool that fits (subset-sum search); keeps the change only if the node ends up fuller.
   */
  private packDescent(bins: readonly number[], pool: number[]): void {
    const s = this.s;
    if (pool.length === 0) return;
    let minCpu = Infinity, minMem = Infinity;
    for (const r of pool) {
      if (this.complex[r]) continue;
      minCpu = Math.min(minCpu, this.req[r]!.cpuMillis);
      minMem = Math.min(minMem, this.req[r]!.memoryBytes);
    }
    if (minCpu === Infinity) return;
    for (const j of bins) {
      const items = this.onNode[j]!;
      this.spend(1 + items.length);
      let ownCpu = 0, ownMem = 0, ownW = 0;
      const own: number[] = [];
      for (const r of items) {
        if (this.complex[r]) continue;
        own.push(r);
        ownCpu += this.req[r]!.cpuMillis;
        ownMem += this.req[r]!.memoryBytes;
        ownW += this.w[r]!;
      }
      const capCpu = s.freeCpu[j]! + ownCpu;
      const capMem = s.freeMem[j]! + ownMem;
      // Skip nodes no pool replica fits even emptied of their movable ones, and full nodes.
      if (minCpu > capCpu || minMem > capMem) continue;
      if (s.freeCpu[j]! < EPS && s.freeMem[j]! < EPS) continue;
      const cand: number[] = own.slice();
      for (const r of pool) if (!this.complex[r] && this.ctx.eligible(r)[j] === 1) cand.push(r);
      if (cand.length === own.length) continue;
      cand.sort((a, b) => this.w[b]! - this.w[a]! || a - b);
      const k = cand.length;
      const pk = this.pk;
      if (pk.suffix.length < k + 1) pk.suffix = new Float64Array(2 * k + 2);
      pk.suffix[k] = 0;
      for (let i = k - 1; i >= 0; i--) pk.suffix[i] = pk.suffix[i + 1]! + this.w[cand[i]!]!;
      pk.cand = cand;
      pk.capCpu = capCpu;
      pk.capMem = capMem;
      pk.best = ownW + EPS;
      pk.bestSet = undefined;
      pk.chosen.length = 0;
      pk.nodes = 0;
      this.packSearch(0, 0, 0, 0);
      this.spend(pk.nodes + k);
      const bestSet = pk.bestSet as number[] | undefined;
      if (!bestSet) continue;
      const keep = new Set<number>(bestSet);
      for (const r of own) {
        if (!keep.has(r)) {
          this.take(j, r);
          pool.push(r);
        }
      }
      const ownSet = new Set(own);
      for (const r of bestSet) {
        if (ownSet.has(r)) continue;
        pool.splice(pool.indexOf(r), 1);
        this.put(j, r);
      }
    }
  }

  /** Heaviest subset of pk.cand within (capCpu, capMem): depth-first, bounded by remaining weight. */
  private packSearch(i: number, cpu: number, mem: number, wsum: number): void {
    const pk = this.pk;
    if (wsum > pk.best) {
      pk.best = wsum;
      pk.bestSet = pk.chosen.slice();
    }
    if (++pk.nodes > PACK_SEARCH_LIMIT || i >= pk.cand.length || wsum + pk.suffix[i]! <= pk.best) return;
    const r = pk.cand[i]!;
    const q = this.req[r]!;
    if (cpu + q.cpuMillis <= pk.capCpu && mem + q.memoryBytes <= pk.capMem) {
      pk.chosen.push(r);
      this.packSearch(i + 1, cpu + q.cpuMillis, mem + q.memoryBytes, wsum + this.w[r]!);
      pk.chosen.pop();
    }
    this.packSearch(i + 1, cpu, mem, wsum);
  }

  /** Assigns fit.items[k..] to the virtual nodes, placing as it goes; leaves them placed on success. */
  private fitSearch(k: number): void {
    const fit = this.fit;
    const s = this.s;
    if (k === fit.items.length) {
      // Of all ways to split the pool, keep the most lopsided: the fuller one node ends up, the
      // emptier the other, and the emptiest node is the next one improvement tries to clear.
      let fullest = 0;
      for (const j of fit.virtual) fullest = Math.max(fullest, s.fill[j]!);
      if (fullest > fit.best + EPS) {
        fit.best = fullest;
        fit.bestWhere = fit.where.slice();
      }
      return;
    }
    if (++fit.nodes > FIT_SEARCH_LIMIT) return;
    const r = fit.items[k]!;
    const q = this.req[r]!;
    const el = this.ctx.eligible(r);
    for (let v = 0; v < fit.virtual.length; v++) {
      const j = fit.virtual[v]!;
      if (k === 0 && v > 0 && fit.twins) break;
      if (!el[j] || !fitsNow(s, j, q)) continue;
      s.place(j, q);
      fit.where[k] = j;
      this.fitSearch(k + 1);
      s.unplace(j, q);
      fit.where[k] = -1;
    }
  }

}
