// The in-place restart policy as a pure function of the service's `deploy.restart_policy`, the
// replica's restart history and the time: whether a replica that just exited is restarted, and when.
import type { RestartPolicySpec } from '../../shared/compose/types.js';

export interface RestartBackoffOptions {
  /**
   * A run at least this long resets the backoff: the replica was healthy, the next crash is news.
   * @default 10_000
   */
  stableRunMs?: number;
  /**
   * Cap for the backed-off delay. Never below the policy's own delay; 0 gives Swarm's fixed delay.
   * @default 300_000
   */
  maxDelayMs?: number;
}

export interface RestartHistory {
  /** When each in-place restart so far happened (ms). */
  readonly restartTimesMs: readonly number[];
  /** Consecutive runs, the one just ended included, that ended before `stableRunMs`. */
  readonly quickExits: number;
}

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; /** 1-based count of this restart within the window. */ readonly attempt: number }
  | { readonly restart: false; readonly reason: string };

/**
 * Whether and when to restart a replica that just exited.
 *
 * - condition `none` never restarts; `on-failure` restarts a non-zero exit (or a vanished container);
 *   `any` restarts every exit.
 * - `maxAttempts` (0 = unlimited) limits the restarts done within the last `windowMs` (0 = ever).
 * - The delay is the policy's `delayMs`, doubled for each further quick exit in a row (Docker's own
 *   restart backoff; Swarm keeps the delay fixed), capped at `maxDelayMs`. A zero delay backs off from
 *   100 ms so a crash loop with `delay: 0` still cannot spin.
 *
 * `exitCode` undefined means the container disappeared (removed outside Baton); that counts as a failure.
 */
export function decideRestart(
  policy: RestartPolicySpec,
  exitCode: number | undefined,
  history: RestartHistory,
  nowMs: number,
  options: RestartBackoffOptions = {},
): RestartDecision {
  if (policy.condition === 'none') return { restart: false, reason: 'restart policy condition is none' };
  if (policy.condition === 'on-failure' && exitCode === 0) {
    return { restart: false, reason: 'exited successfully and restart policy condition is on-failure' };
  }
  const counted = policy.windowMs > 0 ? history.restartTimesMs.filter((t) => t > nowMs - policy.windowMs) : history.restartTimesMs;
  if (policy.maxAttempts > 0 && counted.length >= policy.maxAttempts) {
    const within = policy.windowMs > 0 ? ` within ${policy.windowMs} ms` : '';
    return { restart: false, reason: `restart limit reached: ${counted.length} of ${policy.maxAttempts} restarts used${within}` };
  }
  const cap = Math.max(options.maxDelayMs ?? 300_000, policy.delayMs);
  const doublings = Math.max(0, history.quickExits - 1);
  const delayMs = doublings === 0 ? policy.delayMs : Math.min(cap, Math.max(policy.delayMs, 100) * 2 ** Math.min(doublings, 30));
  return { restart: true, delayMs, attempt: counted.length + 1 };
}

/**
 * Whether and when to restart a replica whose health check turned unhealthy. As in Swarm, an
 * unhealthy replica has failed: `on-failure` and `any` restart it (with the same attempt limit,
 * window and backoff as a crash), `none` leaves it failed. Plain Docker would do nothing.
 */
export function decideUnhealthyRestart(
  policy: RestartPolicySpec,
  history: RestartHistory,
  nowMs: number,
  options: RestartBackoffOptions = {},
): RestartDecision {
  if (policy.condition === 'none') return { restart: false, reason: 'restart policy condition is none' };
  // A failure for every condition that restarts: the same arithmetic as a non-zero exit.
  return decideRestart(policy, 1, history, nowMs, options);
}
