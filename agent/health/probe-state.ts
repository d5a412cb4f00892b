// The health state machine of Baton's own checks, pure (time passed in), with Docker's semantics
// (moby daemon/health.go): failures during start_period do not count, a success ends it, `retries`
// failures in a row make a replica unhealthy and one success makes it healthy again.
import { DEFAULT_HEALTH_START_INTERVAL_MS, DEFAULT_HEALTHCHECK } from '../../shared/compose/defaults.js';
import type { HealthcheckSpec } from '../../shared/compose/types.js';

/** The timings a check runs by, with Docker's reading of 0 as "the default" applied. */
export interface ProbeTimings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  readonly startIntervalMs: number;
}

export interface ProbeState {
  /** `starting` until the first success (or until `retries` failures after the start period). */
  readonly status: 'starting' | 'healthy' | 'unhealthy';
  /** Failures in a row that counted. */
  readonly failingStreak: number;
  /** The last check's output. */
  readonly output: string;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly output: string;
  /** When the check began (Docker compares this, not its end, against the start period). */
  readonly startedAtMs: number;
}

export const INITIAL_PROBE_STATE: ProbeState = { status: 'starting', failingStreak: 0, output: '' };

export function probeTimings(h: HealthcheckSpec): ProbeTimings {
  return {
    intervalMs: h.intervalMs || DEFAULT_HEALTHCHECK.intervalMs,
    timeoutMs: h.timeoutMs || DEFAULT_HEALTHCHECK.timeoutMs,
    retries: h.retries || DEFAULT_HEALTHCHECK.retries,
    startPeriodMs: h.startPeriodMs,
    startIntervalMs: h.startIntervalMs || DEFAULT_HEALTH_START_INTERVAL_MS,
  };
}

/** The state after one check of a container that started at `containerStartedAtMs`. */
export function afterCheck(state: ProbeState, t: ProbeTimings, check: CheckResult, containerStartedAtMs: number): ProbeState {
  if (check.ok) return { status: 'healthy', failingStreak: 0, output: check.output };
  // Never healthy yet and still within the start period: the failure does not count.
  if (state.status === 'starting' && check.startedAtMs - containerStartedAtMs < t.startPeriodMs) return { ...state, output: check.output };
  const failingStreak = state.failingStreak + 1;
  return { status: failingStreak >= t.retries ? 'unhealthy' : state.status, failingStreak, output: check.output };
}

/** How long after a check (or the start) the next one runs: start_interval while starting within the start period. */
export function nextCheckDelayMs(state: ProbeState, t: ProbeTimings, nowMs: number, containerStartedAtMs: number): number {
  if (nowMs - containerStartedAtMs >= t.startPeriodMs) return t.intervalMs;
  return state.status === 'starting' ? t.startIntervalMs : t.intervalMs;
}
