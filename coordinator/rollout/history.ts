// A service's past specs (Kubernetes' ReplicaSet revisions, Swarm's PreviousSpec made a list):
// what `baton history` lists and what a rollback returns to. Written by stacks.ts only. Bounded to
// HISTORY_LIMIT entries per service, Kubernetes' revisionHistoryLimit default.
import type { ServiceSpec } from '../../shared/compose/types.js';
import type { RolloutRecord } from './record.js';

/** Past specs kept per service (the current one included). */
export const HISTORY_LIMIT = 10;

/**
 * How the revision's rollout ended. deployed: the service was created with it (nothing to roll).
 * superseded: a newer deploy came while it rolled or was paused. rolled-back: its failures sent the
 * service back. Empty while it is the current revision: its rollout record says how it stands.
 */
export type RevisionOutcome = '' | 'deployed' | 'completed' | 'paused' | 'superseded' | 'rolled-back';

export interface RevisionRecord {
  generation: number;
  specHash: string;
  spec: ServiceSpec;
  atMs: number;
  /** What changed from the revision before: `created`, `image nginx:1.27 -> nginx:1.28, environment`, `rollback to generation 4`. */
  change: string;
  outcome: RevisionOutcome;
  /** Why it ended so (the pause or rollback reason). */
  outcomeReason: string;
}

/** Appends `rev`, dropping the oldest entries beyond HISTORY_LIMIT. */
export function pushRevision(list: RevisionRecord[], rev: RevisionRecord): void {
  list.push(rev);
  if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
}

/** The outcome a revision is left with when a newer one replaces it, from its rollout (if it had one). */
export function endedOutcome(rollout: Pick<RolloutRecord, 'state' | 'targetGeneration' | 'reason'> | undefined, generation: number): Pick<RevisionRecord, 'outcome' | 'outcomeReason'> {
  if (!rollout || rollout.targetGeneration !== generation) return { outcome: 'deployed', outcomeReason: '' };
  if (rollout.state === 'completed') return { outcome: 'completed', outcomeReason: rollout.reason };
  return { outcome: 'superseded', outcomeReason: rollout.state === 'paused' ? `was paused: ${rollout.reason}` : 'replaced while rolling out' };
}
