// Improves a batch plan beyond first-fit-decreasing: fewer nodes in use, every filter respected.
// This file is the search loop; each mechanism it drives has a file of its own in this folder.
//
// The method is consistent neighbourhood search (Buljubašić & Vasquez, "Consistent neighborhood
// search for one-dimensional bin packing and two-dimensional vector packing", C&OR 2016), adapted to
// nodes that differ in capacity, eligibility, ports and per-service limits:
//
//   repeat while nodes in use > lower bound (../lower-bound.ts):
//     take the emptiest node T that only this batch uses, plus two other lightly filled nodes V
//     (chooseRemoved);
//     unplace their batch replicas into a pool S (every other node keeps a feasible placement);
//     search until S fits into V alone (then T is empty: one node fewer) or the attempt gives up:
//       - a "pack" descent first and every few iterations (pack-descent.ts): refill each node with
//         the heaviest subset of its own replicas plus S that fits (a small subset-sum search); this
//         is what finds exactly-full nodes, e.g. the triplets of Falkenauer's t instances;
//       - tabu moves (tabu.ts): swap up to 2 replicas of a node with up to 2 of S so S gets lighter
//         (and, on a tie, holds more replicas: small ones are easier to place later); moving a
//         replica shape out of the node it just entered is tabu for a few iterations;
//       - when S fits V (fit-search.ts), take the most lopsided split, so the next emptiest node is
//         lighter still;
//     on give-up, restore the plan from before the attempt (journal.ts) and try another choice of V.
//
// "Lighter" weighs CPU and memory by how binding each is for the batch (see createImproveState).
// Every move only considers nodes a replica is eligible for (status, constraints) and that pass the
// capacity, host-port and max-per-node filters, so any intermediate state is a valid partial plan.
// Replicas with host ports or a per-node limit are moved by swaps only (full filter check), never by
// the arithmetic-only pack search.
// Work is counted in deterministic units (move evaluations, search nodes, nodes scanned); the work
// cap makes the result reproducible, the clock deadline is only a safety net.
import { countUsedNodes, usedNodesLowerBound } from '../lower-bound.js';
import type { PlanStats } from '../types.js';
import { fitsInto } from './fit-search.js';
import { restore, touch } from './journal.js';
import { packDescent } from './pack-descent.js';
import { createImproveState, OutOfBudget, spend, type ImproveContext, type ImproveState } from './state.js';
import { applyMove, bestMove, newTabuList } from './tabu.js';

export interface ImproveResult {
  readonly work: number;
  readonly stop: PlanStats['improveStop'];
  readonly lowerBound: number;
}

/** Tabu iterations per attempt before restoring and trying another set of removed nodes. */
const ATTEMPT_ITERATIONS = 500;
/** Run the pack descent first and then every this many tabu iterations. */
const PACK_EVERY = 5;
const MAX_ATTEMPTS_PER_STEP = 2_000;

/** Moves the batch's movable replicas (in `ctx.assigned` and `ctx.s`) so fewer nodes are used. */
export function improvePlan(ctx: ImproveContext): ImproveResult {
  const st = createImproveState(ctx);
  const lowerBound = usedNodesLowerBound(st.s, st.ready, st.req, st.assigned, ctx.movable);
  st.budget.deadline = ctx.now() + ctx.budgetMs;
  let stop: PlanStats['improveStop'] = 'no-progress';
  try {
    while (true) {
      spend(st, st.s.size >> 2);
      if (countUsedNodes(st.s) <= lowerBound) {
        stop = 'lower-bound';
        break;
      }
      if (!reduceByOne(st)) break;
    }
  } catch (err) {
    if (!(err instanceof OutOfBudget)) throw err;
    stop = err.stop;
  }
  return { work: st.budget.work, stop, lowerBound };
}

/** A node this batch can empty: nothing was on it before, and everything on it may move. */
function removable(st: ImproveState, j: number): boolean {
  const s = st.s;
  return s.preUsed[j] === 0 && s.planned[j]! > 0 && st.onNode[j]!.length === s.planned[j];
}

/** Tries choices of removed nodes until one attempt frees a node; false when none does. */
function reduceByOne(st: ImproveState): boolean {
  for (let attempt = 0; attempt < MAX_ATTEMPTS_PER_STEP; attempt++) {
    const choice = chooseRemoved(st, attempt);
    if (!choice) return false;
    if (attemptRemoval(st, choice.removed)) return true;
    if (!choice.varies && attempt >= 2) return false;
  }
  return false;
}

/** T = the emptiest removable node; V = the emptiest other node plus one drawn from the next few. */
function chooseRemoved(st: ImproveState, attempt: number): { removed: number[]; varies: boolean } | undefined {
  const s = st.s;
  const fill = s.fill;
  const byFill = (a: number, b: number): number => fill[a]! - fill[b]! || a - b;
  const removableNodes: number[] = [];
  const others: number[] = [];
  for (let j = 0; j < s.size; j++) {
    if (st.onNode[j]!.length === 0 || !st.ready[j]) continue;
    if (removable(st, j)) removableNodes.push(j);
    else others.push(j);
  }
  if (removableNodes.length === 0) return undefined;
  spend(st, s.size + 4 * (removableNodes.length + others.length));
  removableNodes.sort(byFill);
  const t = removableNodes[0]!;
  const rest = [...removableNodes.slice(1), ...others].sort(byFill);
  const removed = [t];
  if (rest.length > 0) removed.push(rest[0]!);
  if (rest.length > 1) removed.push(rest[1 + Math.floor(st.rng() * Math.min(rest.length - 1, attempt + 1))]!);
  return { removed, varies: rest.length > 2 };
}

/** One attempt: empty the removed nodes into a pool and search; restores the plan unless it frees removed[0]. */
function attemptRemoval(st: ImproveState, removed: readonly number[]): boolean {
  const s = st.s;
  const virtual = removed.slice(1);
  const removedSet = new Set(removed);
  const pool: number[] = [];
  for (const j of removed) {
    for (const r of st.onNode[j]!) {
      touch(st, r);
      s.unplace(j, st.req[r]!);
      st.assigned[r] = -1;
      pool.push(r);
    }
    st.onNode[j] = [];
  }
  // Nodes that may take part: in use (opening an empty node would defeat the purpose), ready.
  const bins: number[] = [];
  for (let j = 0; j < s.size; j++) {
    if (!st.ready[j] || removedSet.has(j) || !s.isUsed(j)) continue;
    if (st.onNode[j]!.length > 0 || (s.freeCpuMillis[j]! > 0 && s.freeMemoryBytes[j]! > 0)) bins.push(j);
  }
  try {
    spend(st, s.size);
    if (search(st, bins, pool, virtual)) return true;
  } catch (err) {
    restore(st, pool);
    throw err;
  }
  restore(st, pool);
  return false;
}

/** The tabu search of one attempt; true when the pool ended up on the virtual nodes. */
function search(st: ImproveState, bins: readonly number[], pool: number[], virtual: readonly number[]): boolean {
  const tabu = newTabuList();
  let offset = 0;
  for (let it = 0; it < ATTEMPT_ITERATIONS; it++) {
    if (fitsInto(st, pool, virtual)) return true;
    if (it % PACK_EVERY === 0) {
      packDescent(st, bins, pool);
      if (fitsInto(st, pool, virtual)) return true;
    }
    const move = bestMove(st, bins, pool, tabu, it, offset);
    if (!move) break;
    offset = move.nextOffset;
    applyMove(st, move, pool, tabu, it);
  }
  return false;
}
