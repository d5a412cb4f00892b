// The supervisor's lifecycle of one replica, and the only moves it may make between phases. A move
// not in the table is a bug in the supervisor, so it is refused loudly instead of being written.

/**
 * - `starting`/`running`: a start or restart in progress / done.
 * - `backoff`: exited (or stopped for failing its health check), restart timer pending. `retry`: a restart hit an engine fault; resync retries it.
 * - `done`: the policy says no more restarts (terminal until run() after a stop).
 * - `stopped`: stop()/remove() by Baton; never restarted.
 */
export type Phase = 'starting' | 'running' | 'backoff' | 'retry' | 'done' | 'stopped';

/** Where each phase may go. Restarts are in place, so running -> backoff -> starting loops. */
export const PHASE_TRANSITIONS: { readonly [from in Phase]: readonly Phase[] } = {
  // Started (running), refused or engine unreachable on the first start (done), engine unreachable
  // on a restart (retry), or stopped by Baton meanwhile.
  starting: ['running', 'done', 'retry', 'stopped'],
  // Exited or turned unhealthy (a failure, as in Swarm): restart pending (backoff; an unhealthy
  // container is stopped first) or the policy gave up (done; an unhealthy one is stopped); or Baton stopped it.
  running: ['backoff', 'done', 'stopped'],
  backoff: ['starting', 'stopped'],
  retry: ['starting', 'stopped'],
  // Given up: only Baton's stop moves it on (the coordinator replaces the replica).
  done: ['stopped'],
  // stop() then remove(), or a repeated stop, stays stopped; run() after a stop starts again.
  stopped: ['starting', 'stopped'],
};

export function canTransition(from: Phase, to: Phase): boolean {
  return PHASE_TRANSITIONS[from].includes(to);
}

/** Thrown for a phase move the table does not list: a supervisor bug, never an expected outcome. */
export class PhaseTransitionError extends Error {
  constructor(
    readonly allocationId: string,
    readonly from: Phase,
    readonly to: Phase,
  ) {
    super(`restart supervisor: ${allocationId} cannot go from ${from} to ${to}`);
    this.name = 'PhaseTransitionError';
  }
}
