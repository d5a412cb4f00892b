// How many nodes a plan uses, and a lower bound on how few it could use: plan stats report both,
// and improvement stops when the count reaches the bound.
import type { PlanState } from './plan-state.js';
import type { ReplicaRequest } from './types.js';

const EPS = 1e-9;

/** Nodes with any work: there before the plan, or placed by it. */
export function countUsedNodes(s: PlanState): number {
  let used = 0;
  for (let j = 0; j < s.size; j++) if (s.isUsed(j)) used++;
  return used;
}

/**
 * Nodes that stay used whatever improvement does, plus the nodes needed for the movable demand
 * that does not fit into their free capacity, at the largest node capacity. Valid for any cluster;
 * the classic L1 bound for identical empty nodes. `ready` (the status filter's mask) says which
 * nodes count as capacity.
 */
export function usedNodesLowerBound(
  s: PlanState,
  ready: Uint8Array,
  requests: readonly ReplicaRequest[],
  assigned: Int32Array,
  movable: Uint8Array,
): number {
  const movCpu = new Float64Array(s.size);
  const movMem = new Float64Array(s.size);
  const movCount = new Int32Array(s.size);
  for (let r = 0; r < requests.length; r++) {
    const j = assigned[r]!;
    if (j < 0 || !movable[r]) continue;
    movCpu[j]! += requests[r]!.cpuMillis;
    movMem[j]! += requests[r]!.memoryBytes;
    movCount[j]!++;
  }
  let fixed = 0, demandCpu = 0, demandMem = 0, maxCpu = 0, maxMem = 0;
  for (let j = 0; j < s.size; j++) {
    demandCpu += movCpu[j]!;
    demandMem += movMem[j]!;
    if (ready[j]) {
      maxCpu = Math.max(maxCpu, s.nodes[j]!.cpuMillis);
      maxMem = Math.max(maxMem, s.nodes[j]!.memoryBytes);
    }
    if (s.preUsed[j] === 0 && s.planned[j]! === movCount[j]!) continue;
    fixed++;
    if (ready[j]) {
      demandCpu -= Math.max(0, s.freeCpuMillis[j]! + movCpu[j]!);
      demandMem -= Math.max(0, s.freeMemoryBytes[j]! + movMem[j]!);
    }
  }
  const extra = Math.max(
    0,
    maxCpu > 0 ? Math.ceil(demandCpu / maxCpu - EPS) : 0,
    maxMem > 0 ? Math.ceil(demandMem / maxMem - EPS) : 0,
  );
  return fixed + extra;
}
