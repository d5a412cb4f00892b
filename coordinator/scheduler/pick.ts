// The placement pipeline for one replica: walk the capacity indexes from the most promising end,
// filter, score, and pick. Status and constraints are already satisfied by index membership (the
// index holds staticEligibility's members); fitsNow checks the rest.
//
// Pick rule (what "best" means, precisely):
//   1. The highest score wins. Exact ties go to the node met first: size classes are scanned
//      largest first, and within a class equally full nodes in snapshot order (bin-pack) or
//      reverse snapshot order (spread).
//   2. Availability tie-break: if that node already runs a replica of the same service, prefer a
//      node running fewer of them when it scores within SPREAD_TOLERANCE points and, under bin-pack,
//      is already in use (so spreading never opens an empty node). Among those: fewest replicas of
//      the service, then highest score, then the one met first.
import { BLOCK_SHIFT, BLOCK_SIZE, type CapacityIndex, type NodeIndex } from './capacity-index.js';
import { fitsNow } from './filters.js';
import type { PlanState } from './plan-state.js';
import { SPREAD_TOLERANCE, score } from './score.js';
import type { ReplicaRequest } from './types.js';

interface Candidate {
  node: number;
  score: number;
  siblings: number;
}

/** Returns the chosen node index, or -1 when no eligible node can take the replica now. */
export function pickNode(s: PlanState, index: NodeIndex, r: ReplicaRequest): number {
  const acc: Accumulator = { best: undefined, near: [] };
  for (const ix of index.classes) scanClass(s, ix, r, acc);
  const best = acc.best;
  if (!best) return -1;
  if (best.siblings === 0) return best.node;
  const spread = r.strategy === 'spread';
  let alt: Candidate | undefined;
  for (const c of acc.near) {
    if (c.siblings >= best.siblings || c.score < best.score - SPREAD_TOLERANCE) continue;
    if (!spread && !s.isUsed(c.node)) continue;
    if (!alt || c.siblings < alt.siblings || (c.siblings === alt.siblings && c.score > alt.score)) alt = c;
  }
  return (alt ?? best).node;
}

interface Accumulator {
  best: Candidate | undefined;
  /** Every feasible candidate seen, for the availability tie-break. */
  near: Candidate[];
}

/** Scans one size class from its most promising end until no remaining node can matter. */
function scanClass(s: PlanState, ix: CapacityIndex, r: ReplicaRequest, acc: Accumulator): void {
  const spread = r.strategy === 'spread';
  // Sum over dimensions of request/capacity, at the class's largest and smallest capacities:
  // bounds on the scores reachable from a given fill without looking at the node.
  const reqAtMax =
    (ix.maxCpuMillis > 0 ? r.cpuMillis / ix.maxCpuMillis : 0) + (ix.maxMemoryBytes > 0 ? r.memoryBytes / ix.maxMemoryBytes : 0);
  const reqAtMin =
    (ix.minCpuMillis < Infinity ? r.cpuMillis / ix.minCpuMillis : 0) +
    (ix.minMemoryBytes < Infinity ? r.memoryBytes / ix.minMemoryBytes : 0);
  // Any node that fits has fill <= 2 - sum(request/capacity) <= 2 - reqAtMax.
  const fitting = ix.countFillAtMost(2 - reqAtMax);
  let block = -1;
  for (let k = 0; k < fitting; k++) {
    const p = spread ? k : fitting - 1 - k;
    if (p >> BLOCK_SHIFT !== block) {
      block = p >> BLOCK_SHIFT;
      if (!ix.blockMayFit(p, r.cpuMillis, r.memoryBytes)) {
        // Jump to the last position of this block in scan direction; the loop steps past it.
        k += spread ? BLOCK_SIZE - 1 - (p & (BLOCK_SIZE - 1)) : p & (BLOCK_SIZE - 1);
        continue;
      }
    }
    const j = ix.at(p);
    const f = s.fill[j]!;
    const upper = spread ? 100 - 50 * (f + reqAtMax) : 50 * (f + reqAtMin);
    const best = acc.best;
    if (best && (best.siblings === 0 ? upper <= best.score : upper < best.score - SPREAD_TOLERANCE)) break;
    if (!fitsNow(s, j, r)) continue;
    const node = s.nodes[j]!;
    const sc = score(r.strategy, node.cpuMillis, node.memoryBytes, s.freeCpuMillis[j]!, s.freeMemoryBytes[j]!, r.cpuMillis, r.memoryBytes);
    const c: Candidate = { node: j, score: sc, siblings: s.replicasOf(j, r.service) };
    if (!best || sc > best.score) acc.best = c;
    acc.near.push(c);
  }
}
