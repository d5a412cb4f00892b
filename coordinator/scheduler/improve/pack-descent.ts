// Pack descent: refill each node with the heaviest subset of its own movable replicas plus the
// pool that fits (a small subset-sum search). This finds exactly-full nodes, e.g. Falkenauer triplets.
import { take, put } from './journal.js';
import { EPS, spend, type ImproveState } from './state.js';

/** Search-node limit for one node's subset search. */
const PACK_SEARCH_LIMIT = 2_000;

/** One node's subset search: candidates heaviest first, the room, and the best subset so far. */
interface PackSearch {
  cand: number[];
  /** suffix[i] = total weight of cand[i..]: the most the rest can add. */
  suffix: Float64Array;
  capCpu: number;
  capMem: number;
  best: number;
  bestSet: number[] | undefined;
  readonly chosen: number[];
  nodes: number;
}

/**
 * For each node, replaces its movable simple replicas by the heaviest subset of them plus the
 * pool that fits; keeps the change only if the node ends up fuller. Replicas with host ports or
 * a per-node limit are left to the tabu swaps: this search checks capacity arithmetic only.
 */
export function packDescent(st: ImproveState, bins: readonly number[], pool: number[]): void {
  const s = st.s;
  if (pool.length === 0) return;
  let minCpu = Infinity, minMem = Infinity;
  for (const r of pool) {
    if (st.complex[r]) continue;
    minCpu = Math.min(minCpu, st.req[r]!.cpuMillis);
    minMem = Math.min(minMem, st.req[r]!.memoryBytes);
  }
  if (minCpu === Infinity) return;
  const pk: PackSearch = { cand: [], suffix: new Float64Array(0), capCpu: 0, capMem: 0, best: 0, bestSet: undefined, chosen: [], nodes: 0 };
  for (const j of bins) {
    const items = st.onNode[j]!;
    spend(st, 1 + items.length);
    let ownCpu = 0, ownMem = 0, ownW = 0;
    const own: number[] = [];
    for (const r of items) {
      if (st.complex[r]) continue;
      own.push(r);
      ownCpu += st.req[r]!.cpuMillis;
      ownMem += st.req[r]!.memoryBytes;
      ownW += st.w[r]!;
    }
    const capCpu = s.freeCpuMillis[j]! + ownCpu;
    const capMem = s.freeMemoryBytes[j]! + ownMem;
    // Skip nodes no pool replica fits even emptied of their movable ones, and full nodes.
    if (minCpu > capCpu || minMem > capMem) continue;
    if (s.freeCpuMillis[j]! < EPS && s.freeMemoryBytes[j]! < EPS) continue;
    const cand: number[] = own.slice();
    for (const r of pool) if (!st.complex[r] && st.eligible(r)[j] === 1) cand.push(r);
    if (cand.length === own.length) continue;
    cand.sort((a, b) => st.w[b]! - st.w[a]! || a - b);
    const k = cand.length;
    if (pk.suffix.length < k + 1) pk.suffix = new Float64Array(2 * k + 2);
    pk.suffix[k] = 0;
    for (let i = k - 1; i >= 0; i--) pk.suffix[i] = pk.suffix[i + 1]! + st.w[cand[i]!]!;
    pk.cand = cand;
    pk.capCpu = capCpu;
    pk.capMem = capMem;
    pk.best = ownW + EPS;
    pk.bestSet = undefined;
    pk.chosen.length = 0;
    pk.nodes = 0;
    packSearch(st, pk, 0, 0, 0, 0);
    spend(st, pk.nodes + k);
    const bestSet = pk.bestSet as number[] | undefined;
    if (!bestSet) continue;
    const keep = new Set<number>(bestSet);
    for (const r of own) {
      if (!keep.has(r)) {
        take(st, j, r);
        pool.push(r);
      }
    }
    const ownSet = new Set(own);
    for (const r of bestSet) {
      if (ownSet.has(r)) continue;
      pool.splice(pool.indexOf(r), 1);
      put(st, j, r);
    }
  }
}

/** Heaviest subset of pk.cand within (capCpu, capMem): depth-first, bounded by remaining weight. */
function packSearch(st: ImproveState, pk: PackSearch, i: number, cpu: number, mem: number, wsum: number): void {
  if (wsum > pk.best) {
    pk.best = wsum;
    pk.bestSet = pk.chosen.slice();
  }
  if (++pk.nodes > PACK_SEARCH_LIMIT || i >= pk.cand.length || wsum + pk.suffix[i]! <= pk.best) return;
  const r = pk.cand[i]!;
  const q = st.req[r]!;
  if (cpu + q.cpuMillis <= pk.capCpu && mem + q.memoryBytes <= pk.capMem) {
    pk.chosen.push(r);
    packSearch(st, pk, i + 1, cpu + q.cpuMillis, mem + q.memoryBytes, wsum + st.w[r]!);
    pk.chosen.pop();
  }
  packSearch(st, pk, i + 1, cpu, mem, wsum);
}
