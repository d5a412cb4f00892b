// Fit search: can the whole pool go onto the attempt's virtual nodes? A small exhaustive search
// over assignments (pool replicas heaviest first); of the ways that fit, it keeps the most lopsided.
import { fitsNow } from '../filters.js';
import { commit, put } from './journal.js';
import { EPS, spend, type ImproveState } from './state.js';

/** Search-node limit for one fit search. */
const FIT_SEARCH_LIMIT = 5_000;

interface FitSearch {
  readonly items: readonly number[];
  readonly where: Int32Array;
  readonly virtual: readonly number[];
  /** The two virtual nodes are empty and interchangeable: try only the first for the first replica. */
  readonly twins: boolean;
  nodes: number;
  /** Fill of the fullest virtual node in the best complete assignment so far (-1: none yet). */
  best: number;
  bestWhere: Int32Array;
}

/** Tries to place the whole pool on the `virtual` nodes; on success places it, commits and empties the pool. */
export function fitsInto(st: ImproveState, pool: number[], virtual: readonly number[]): boolean {
  const s = st.s;
  if (pool.length === 0) {
    commit(st);
    return true;
  }
  if (virtual.length === 0) return false;
  let needCpu = 0, needMem = 0, haveCpu = 0, haveMem = 0;
  for (const r of pool) {
    needCpu += st.req[r]!.cpuMillis;
    needMem += st.req[r]!.memoryBytes;
  }
  for (const j of virtual) {
    haveCpu += s.freeCpuMillis[j]!;
    haveMem += s.freeMemoryBytes[j]!;
  }
  if (needCpu > haveCpu || needMem > haveMem) return false;
  const items = [...pool].sort((a, b) => st.w[b]! - st.w[a]! || a - b);
  const [v0, v1] = virtual;
  const fit: FitSearch = {
    items,
    where: new Int32Array(items.length).fill(-1),
    virtual,
    twins:
      v0 !== undefined &&
      v1 !== undefined &&
      !s.isUsed(v0) &&
      !s.isUsed(v1) &&
      s.nodes[v0]!.cpuMillis === s.nodes[v1]!.cpuMillis &&
      s.nodes[v0]!.memoryBytes === s.nodes[v1]!.memoryBytes &&
      items.every((r) => st.eligible(r)[v0] === st.eligible(r)[v1]),
    nodes: 0,
    best: -1,
    bestWhere: new Int32Array(0),
  };
  search(st, fit, 0);
  spend(st, fit.nodes);
  if (fit.best < 0) return false;
  for (let k = 0; k < items.length; k++) put(st, fit.bestWhere[k]!, items[k]!);
  pool.length = 0;
  commit(st);
  return true;
}

/** Assigns fit.items[k..] to the virtual nodes depth-first, placing as it goes and undoing on return. */
function search(st: ImproveState, fit: FitSearch, k: number): void {
  const s = st.s;
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
  const q = st.req[r]!;
  const el = st.eligible(r);
  for (let v = 0; v < fit.virtual.length; v++) {
    const j = fit.virtual[v]!;
    if (k === 0 && v > 0 && fit.twins) break;
    if (!el[j] || !fitsNow(s, j, q)) continue;
    s.place(j, q);
    fit.where[k] = j;
    search(st, fit, k + 1);
    s.unplace(j, q);
    fit.where[k] = -1;
  }
}
