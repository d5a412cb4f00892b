// How an applied rebalance moves on, round by round (the control loop calls these; pure). Its
// pending moves go to the reconciler, which treats each old copy like a drained one whose
// replacement is pinned to the move's target: start-first, within update_config.parallelism. A
// move is done once its old copy is stopped for it and its container gone; dropped when its target no longer takes work,
// the replacement is refused (unplaced or rejected at commit), or the copy stopped for another
// reason. The record completes when no move is pending.
import type { SnapshotNode } from '../scheduler/index.js';
import type { AllocationRecord, DeepReadonly, RebalanceRecord } from '../store/schema.js';
import { REBALANCED } from '../reconciler.js';
import { takesWork } from './plan.js';


/** Why a move's target cannot take its replica now; undefined when it can. */
function targetRefuses(node: SnapshotNode | undefined): string | undefined {
  if (!node) return 'its target node is gone';
  if (takesWork(node)) return undefined;
  const why = node.status !== 'ready' ? node.status : node.schedule ? node.schedule.state : node.unhealthy ? 'unhealthy' : 'held after flapping';
  return `its target ${node.name} is ${why}`;
}

/**
 * The moves the reconciler carries out this round: old allocation id -> target node id. Only
 * pending moves of a running rebalance whose copy should still run and whose target takes work.
 */
export function pendingMoves(
  record: DeepReadonly<RebalanceRecord> | undefined,
  allocations: DeepReadonly<Record<string, AllocationRecord>>,
  nodes: ReadonlyMap<string, SnapshotNode>,
): Map<string, string> {
  const out = new Map<string, string>();
  if (record?.state !== 'running') return out;
  for (const m of record.moves) {
    if (m.state !== 'pending' || allocations[m.allocationId]?.desired !== 'run') continue;
    if (targetRefuses(nodes.get(m.to)) === undefined) out.set(m.allocationId, m.to);
  }
  return out;
}

export interface RebalanceStepInput {
  /** The allocations after this round's decisions. */
  readonly allocations: DeepReadonly<Record<string, AllocationRecord>>;
  readonly nodes: ReadonlyMap<string, SnapshotNode>;
  /** Old allocation id -> why this round's replacement for it was not placed. */
  readonly refused: ReadonlyMap<string, string>;
  /** Allocations whose container a node still reports (a stopped copy's move is done once it is gone). */
  readonly reported: { has(allocationId: string): boolean };
  readonly nowMs: number;
}

/** The record after a round, or undefined when nothing about it changed. */
export function stepRebalance(record: DeepReadonly<RebalanceRecord> | undefined, input: RebalanceStepInput): RebalanceRecord | undefined {
  if (record?.state !== 'running') return undefined;
  const next = structuredClone(record) as RebalanceRecord;
  let changed = false;
  for (const m of next.moves) {
    const a = input.allocations[m.allocationId];
    // Stopped for the move: done once its container is gone, as a drain waits for its containers.
    if (m.state === 'stopping') {
      if (!a || !input.reported.has(a.id)) {
        m.state = 'done';
        changed = true;
      }
      continue;
    }
    if (m.state !== 'pending') continue;
    let drop: string | undefined;
    if (!a) drop = 'its replica is gone';
    else if (a.desired === 'stop') {
      if (a.stopReason?.startsWith(REBALANCED)) {
        m.state = input.reported.has(a.id) ? 'stopping' : 'done';
        changed = true;
        continue;
      }
      drop = `its replica stopped: ${a.stopReason ?? 'stopped'}`;
    } else drop = targetRefuses(input.nodes.get(m.to)) ?? (input.refused.has(m.allocationId) ? `its replacement was not placed: ${input.refused.get(m.allocationId)}` : undefined);
    if (drop !== undefined) {
      m.state = 'dropped';
      m.reason = drop;
      changed = true;
    }
  }
  if (next.moves.every((m) => m.state === 'done' || m.state === 'dropped')) {
    next.state = 'completed';
    next.finishedAtMs = input.nowMs;
    changed = true;
  }
  return changed ? next : undefined;
}
