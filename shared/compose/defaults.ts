// The values a service gets for everything its Compose file leaves out (Swarm's defaults unless noted).

import type { AutoscaleSpec, HealthcheckSpec, RestartPolicySpec, UpdateConfigSpec } from './types.js';

/** What a replica reserves when neither `reservations` nor `limits` says (Baton's choice, not Swarm's: Swarm reserves nothing). */
export const DEFAULT_RESERVATION = { cpuMillis: 100, memoryBytes: 64 * 1024 * 1024 } as const;
export const DEFAULT_RESERVATION_CPU_MILLIS = DEFAULT_RESERVATION.cpuMillis;
export const DEFAULT_RESERVATION_MEMORY_BYTES = DEFAULT_RESERVATION.memoryBytes;

export const DEFAULT_REPLICAS = 1;
export const DEFAULT_STOP_GRACE_MS = 10_000;

export const DEFAULT_RESTART_POLICY: RestartPolicySpec = { condition: 'any', delayMs: 5_000, maxAttempts: 0, windowMs: 0 };

/**
 * Safer than Swarm's (issue 8): start-first (Swarm: stop-first), so a slot keeps serving until its
 * new replica counts as updated (the rollout falls back to stop-first for a slot whose new copy
 * cannot be placed beside the old one), and rollback on failure (Swarm: pause). Parallelism 1,
 * monitor 5 s and ratio 0 are Swarm's.
 */
export const DEFAULT_UPDATE_CONFIG: UpdateConfigSpec = {
  parallelism: 1,
  delayMs: 0,
  failureAction: 'rollback',
  monitorMs: 5_000,
  maxFailureRatio: 0,
  order: 'start-first',
};

/** As the update's, but a failing rollback pauses: a rollback is never rolled back (as in SwarmKit). */
export const DEFAULT_ROLLBACK_CONFIG: UpdateConfigSpec = { ...DEFAULT_UPDATE_CONFIG, failureAction: 'pause' };

/** Docker's healthcheck defaults, used for fields a `healthcheck:` block leaves out. */
export const DEFAULT_HEALTHCHECK: Omit<HealthcheckSpec, 'test' | 'disable' | 'probe' | 'startIntervalMs'> = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
};

/** Docker's `start_interval` when a check leaves it out (also what Baton's own checks use). */
export const DEFAULT_HEALTH_START_INTERVAL_MS = 5_000;

/** Docker refuses smaller memory limits. */
export const MIN_MEMORY_LIMIT_BYTES = 6 * 1024 * 1024;

/**
 * `x-baton.autoscale` fields a file leaves out, close to the Kubernetes HPA's: 10% tolerance, scale-up
 * at once (window 0), scale-down on the highest recommendation of the last 5 minutes. The averaging
 * window is 30 s (metrics-server's samples cover 15-30 s) and there is no extra cool-down (each change
 * already waits for a fresh window of samples).
 */
export const DEFAULT_AUTOSCALE: Pick<AutoscaleSpec, 'windowMs' | 'scaleUpWindowMs' | 'scaleDownWindowMs' | 'cooldownMs' | 'tolerance'> = {
  windowMs: 30_000,
  scaleUpWindowMs: 0,
  scaleDownWindowMs: 300_000,
  cooldownMs: 0,
  tolerance: 0.1,
};
