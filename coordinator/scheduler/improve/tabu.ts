// Tabu swaps: the best exchange of up to two replicas of one node against up to two of the pool,
// so the pool gets lighter; a replica shape that just entered a node may not leave it for a while.
import { fitsNow } from '../filters.js';
import { put, take } from './journal.js';
import { EPS, spend, type ImproveState } from './state.js';

/** Minimum tabu tenure; it grows with how often the same (node, shape) entered. */
const TENURE = 3;
/** Limits on one iteration's neighbourhood so huge batches still make steady progress. */
const MAX_EVALS_PER_ITERATION = 20_000;
const MAX_POOL_FOR_PAIRS = 40;
const MAX_ITEMS_FOR_PAIR_REMOVAL = 16;

/** Per attempt: key (node * shapes + shape) -> iteration until which that shape may not leave the node. */
export interface TabuList {
  readonly until: Map<number, number>;
  /** How often each key entered, which lengthens its tenure. */
  readonly entered: Map<number, number>;
}

export function newTabuList(): TabuList {
  return { until: new Map(), entered: new Map() };
}

export interface Move {
  readonly node: number;
  readonly out: readonly number[];
  readonly in: readonly number[];
  /** Where the next scan of the bins starts, so successive iterations spread over all nodes. */
  readonly nextOffset: number;
}

interface Group {
  /** Combined normalised weight, CPU and memory of one or two pool replicas. */
  readonly w: number;
  readonly cpu: number;
  readonly mem: number;
  readonly a: number;
  readonly b: number;
}

/** The best swap found so far by one bestMove scan. */
interface MoveScan {
  bestD: number;
  bestDn: number;
  ties: number;
  node: number;
  a1: number;
  a2: number;
  group: number;
  evals: number;
}

/** Pool replicas and pairs of the heaviest ones, heaviest group first. */
function groups(st: ImproveState, pool: readonly number[]): Group[] {
  const g: Group[] = [];
  const byW = [...pool].sort((a, b) => st.w[b]! - st.w[a]! || a - b);
  const pairable = byW.slice(0, MAX_POOL_FOR_PAIRS);
  for (const a of byW) g.push({ w: st.w[a]!, cpu: st.req[a]!.cpuMillis, mem: st.req[a]!.memoryBytes, a, b: -1 });
  for (let x = 0; x < pairable.length; x++) {
    for (let y = x + 1; y < pairable.length; y++) {
      const a = pairable[x]!, b = pairable[y]!;
      const qa = st.req[a]!, qb = st.req[b]!;
      g.push({ w: st.w[a]! + st.w[b]!, cpu: qa.cpuMillis + qb.cpuMillis, mem: qa.memoryBytes + qb.memoryBytes, a, b });
    }
  }
  g.sort((u, v) => v.w - u.w);
  spend(st, g.length);
  return g;
}

/**
 * The best non-tabu swap of up to two replicas of one node against up to two of the pool:
 * lowest resulting pool weight, then most replicas left in the pool; ties drawn at random.
 */
export function bestMove(
  st: ImproveState,
  bins: readonly number[],
  pool: readonly number[],
  tabu: TabuList,
  it: number,
  offset: number,
): Move | undefined {
  if (bins.length === 0 || pool.length === 0) return undefined;
  const g = groups(st, pool);
  const mv: MoveScan = { bestD: Infinity, bestDn: -Infinity, ties: 0, node: -1, a1: -1, a2: -1, group: -1, evals: 0 };
  let visited = 0;
  const start = offset % bins.length;
  for (; visited < bins.length && mv.evals < MAX_EVALS_PER_ITERATION; visited++) {
    const j = bins[(start + visited) % bins.length]!;
    const items = st.onNode[j]!;
    const m = items.length;
    const pairs = m <= MAX_ITEMS_FOR_PAIR_REMOVAL;
    considerSwap(st, mv, j, -1, -1, g, tabu, it);
    for (let x = 0; x < m; x++) {
      considerSwap(st, mv, j, items[x]!, -1, g, tabu, it);
      if (pairs) for (let y = x + 1; y < m; y++) considerSwap(st, mv, j, items[x]!, items[y]!, g, tabu, it);
    }
  }
  spend(st, mv.evals);
  if (mv.node < 0) return undefined;
  const c = g[mv.group]!;
  const out = mv.a1 >= 0 ? (mv.a2 >= 0 ? [mv.a1, mv.a2] : [mv.a1]) : [];
  return { node: mv.node, out, in: c.b >= 0 ? [c.a, c.b] : [c.a], nextOffset: start + visited };
}

/** Scores giving up a1 (and a2) of node j for the heaviest pool group that then fits. */
function considerSwap(
  st: ImproveState,
  mv: MoveScan,
  j: number,
  a1: number,
  a2: number,
  g: readonly Group[],
  tabu: TabuList,
  it: number,
): void {
  const s = st.s;
  mv.evals++;
  if (a1 >= 0 && (tabu.until.get(j * st.shapes + st.shape[a1]!) ?? -1) > it) return;
  if (a2 >= 0 && (tabu.until.get(j * st.shapes + st.shape[a2]!) ?? -1) > it) return;
  let wA = 0, nA = 0;
  let roomCpu = s.freeCpuMillis[j]!, roomMem = s.freeMemoryBytes[j]!;
  if (a1 >= 0) {
    wA += st.w[a1]!;
    nA++;
    roomCpu += st.req[a1]!.cpuMillis;
    roomMem += st.req[a1]!.memoryBytes;
  }
  if (a2 >= 0) {
    wA += st.w[a2]!;
    nA++;
    roomCpu += st.req[a2]!.cpuMillis;
    roomMem += st.req[a2]!.memoryBytes;
  }
  // A group can only fit if its weight is at most the room's weight: start the scan there.
  const roomW = roomCpu * st.scaleCpu + roomMem * st.scaleMem;
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
    if (Math.abs(d) <= EPS && dn === 0 && sameShapes(st, a1, a2, c.a, c.b)) continue;
    if (!groupFits(st, j, a1, a2, c.a, c.b)) continue;
    if (!tie || dn > mv.bestDn) {
      mv.bestD = d;
      mv.bestDn = dn;
      mv.ties = 1;
    } else if (st.rng() * ++mv.ties >= 1) {
      continue;
    }
    mv.node = j;
    mv.a1 = a1;
    mv.a2 = a2;
    mv.group = k;
  }
}

function sameShapes(st: ImproveState, a1: number, a2: number, f1: number, f2: number): boolean {
  const x1 = a1 >= 0 ? st.shape[a1]! : -1;
  const x2 = a2 >= 0 ? st.shape[a2]! : -1;
  const y1 = f1 >= 0 ? st.shape[f1]! : -1;
  const y2 = f2 >= 0 ? st.shape[f2]! : -1;
  return (x1 === y1 && x2 === y2) || (x1 === y2 && x2 === y1);
}

/** Whether node j can take pool replicas f1 (and f2) after giving up a1 (and a2). */
function groupFits(st: ImproveState, j: number, a1: number, a2: number, f1: number, f2: number): boolean {
  if (!st.eligible(f1)[j]) return false;
  if (f2 >= 0 && !st.eligible(f2)[j]) return false;
  const anyComplex = st.complex[f1] || (f2 >= 0 && st.complex[f2]) || (a1 >= 0 && st.complex[a1]) || (a2 >= 0 && st.complex[a2]);
  if (!anyComplex) return true; // capacity was checked by the caller
  const s = st.s;
  const q = st.req;
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

/** Makes the swap: `out` leaves the node for the pool, `in` leaves the pool for the node; then marks `in` tabu there. */
export function applyMove(st: ImproveState, move: Move, pool: number[], tabu: TabuList, it: number): void {
  const j = move.node;
  for (const r of move.out) {
    take(st, j, r);
    pool.push(r);
  }
  for (const r of move.in) {
    pool.splice(pool.indexOf(r), 1);
    put(st, j, r);
  }
  for (const r of move.in) {
    const key = j * st.shapes + st.shape[r]!;
    const f = (tabu.entered.get(key) ?? 0) + 1;
    tabu.entered.set(key, f);
    tabu.until.set(key, it + TENURE + (f >> 1));
  }
}
