// Where a rollout stands, slot by slot: the one classification the step acts on and the status
// query reports, so the two cannot disagree.
import type { DeepReadonly } from '../store/schema.js';
import type { RolloutAllocation } from './input.js';
import type { FailureKind, RolloutRecord } from './record.js';

export interface RolloutProgress {
  /** Slots this rollout moves: touched ones plus those still on an old spec (SwarmKit's dirty slots). */
  readonly total: number;
  readonly updated: number;
  readonly failed: number;
  /** Admitted, not yet updated or failed. */
  readonly inFlight: number;
  /** Still on an old spec, not admitted yet. */
  readonly pending: readonly number[];
}

/** Whether a slot is one the service should run: 1..replicas, or the given slots (a global service's). */
export function slotFilter(desired: number | readonly number[]): (slot: number) => boolean {
  if (typeof desired === 'number') return (slot) => slot <= desired;
  const set = new Set(desired);
  return (slot) => set.has(slot);
}

/** Pending: slots within `desired` (1..replicas, or the slots listed) the record has not touched that still run an old spec, ascending. */
export function progressOf(record: DeepReadonly<RolloutRecord>, desired: number | readonly number[], allocations: readonly RolloutAllocation[]): RolloutProgress {
  const inService = slotFilter(desired);
  let updated = 0;
  let failed = 0;
  let inFlight = 0;
  const touched = new Set<number>();
  for (const [key, s] of Object.entries(record.slots)) {
    const slot = Number(key);
    if (!inService(slot)) continue;
    touched.add(slot);
    if (s.outcome === 'updated') updated++;
    else if (s.outcome === 'failed') failed++;
    else inFlight++;
  }
  const pendingSet = new Set<number>();
  for (const a of allocations) {
    if (a.desired === 'run' && inService(a.slot) && a.specHash !== record.targetSpecHash && !touched.has(a.slot)) pendingSet.add(a.slot);
  }
  const pending = [...pendingSet].sort((a, b) => a - b);
  return { total: touched.size + pending.length, updated, failed, inFlight, pending };
}

const WORDS: Record<FailureKind, string> = { unhealthy: 'unhealthy', exited: 'exited', failed: 'failed to run', deadline: 'not healthy in time' };

/** `2 of 3 new replicas unhealthy`, or `2 of 3 new replicas failed (1 unhealthy, 1 exited)` when the kinds differ. */
export function failureSummary(kinds: readonly FailureKind[], total: number): string {
  const counts = new Map<FailureKind, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  const head = `${kinds.length} of ${total} new replica${total === 1 ? '' : 's'}`;
  if (counts.size === 1) return `${head} ${WORDS[kinds[0]!]}`;
  return `${head} failed (${[...counts].map(([k, n]) => `${n} ${WORDS[k]}`).join(', ')})`;
}
