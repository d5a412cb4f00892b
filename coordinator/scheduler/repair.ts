// Makes room for replicas the greedy and improvement passes left unplaced, by moving one replica
// of this batch aside: placing every replica beats packing tightly. Example: db (2 CPU, zone
// north) and two workers fill the north node, and the second `web` cannot go south because the
// first holds host port 8080 there; moving one worker south frees room for web on the north node.
// Every move goes only where all filters allow; work is bounded, so the result stays
// deterministic and quick.
import { fitsNow } from './filters.js';
import type { PlanState } from './plan-state.js';
import type { ReplicaRequest } from './types.js';

/** Upper bound on fit checks per call (about 10-50 ms of work). */
export const REPAIR_WORK_CAP = 500_000;

/**
 * Tries to place each unplaced replica (in the given order) on an eligible node by moving one
 * batch replica from that node to another eligible node. Mutates `s` and `assigned`.
 * Returns how many replicas it placed.
 */
export function repairUnplaced(
  s: PlanState,
  requests: readonly ReplicaRequest[],
  assigned: Int32Array,
  unplacedOrder: readonly number[],
  eligible: (r: number) => Uint8Array,
  workCap = REPAIR_WORK_CAP,
  /** Replicas placed by a rule repair would break (placement preferences): never moved, never repaired. */
  keep: (r: number) => boolean = () => false,
): number {
  const onNode = new Map<number, number[]>();
  for (let r = 0; r < assigned.length; r++) {
    const j = assigned[r]!;
    if (j >= 0 && !keep(r)) onNode.set(j, [...(onNode.get(j) ?? []), r]);
  }
  let work = 0;
  let placed = 0;
  for (const r of unplacedOrder) {
    if (assigned[r]! >= 0 || keep(r)) continue;
    const req = requests[r]!;
    const mask = eligible(r);
    let done = false;
    for (let j = 0; j < s.size && !done; j++) {
      if (!mask[j]) continue;
      for (const q of onNode.get(j) ?? []) {
        if (++work > workCap) return placed;
        const qReq = requests[q]!;
        s.unplace(j, qReq);
        if (fitsNow(s, j, req)) {
          s.place(j, req);
          const k = findHome(s, qReq, eligible(q), j, () => ++work <= workCap);
          if (k >= 0) {
            s.place(k, qReq);
            assigned[r] = j;
            assigned[q] = k;
            onNode.set(j, [...(onNode.get(j) ?? []).filter((x) => x !== q), r]);
            onNode.set(k, [...(onNode.get(k) ?? []), q]);
            placed++;
            done = true;
            break;
          }
          s.unplace(j, req);
        }
        s.place(j, qReq);
      }
    }
  }
  return placed;
}

function findHome(s: PlanState, r: ReplicaRequest, mask: Uint8Array, not: number, more: () => boolean): number {
  for (let k = 0; k < s.size; k++) {
    if (k === not || !mask[k]) continue;
    if (!more()) return -1;
    if (fitsNow(s, k, r)) return k;
  }
  return -1;
}
