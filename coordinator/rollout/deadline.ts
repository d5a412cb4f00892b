// How long a new replica of a rollout has, from its placement, to count as updated before it is a
// failure (Nomad's healthy_deadline; SwarmKit has none, see the TODO in its updater).
import type { HealthcheckSpec } from '../../shared/compose/types.js';
import { DEFAULT_HEALTHCHECK } from '../../shared/compose/defaults.js';

/** Time allowed for the image pull and the container start, before any health check runs. */
export const START_ALLOWANCE_MS = 60_000;

/**
 * START_ALLOWANCE_MS, plus, with a health check, its start period and retries + 1 rounds of
 * interval + timeout (the latest Docker can turn a starting container healthy or unhealthy, with
 * one round of slack), or, without one, the monitor period it must run through. With Docker's
 * default timings (30 s, 30 s, 3 retries) that is 60 + 4 x 60 = 300 s: Nomad's default
 * healthy_deadline of 5 minutes. Docker's own verdict normally comes first; this catches a
 * replica stuck in pulling, created or `starting`.
 *
 * `imageCheck`: the spec sets no check but the container reports health (the image's HEALTHCHECK,
 * timings unknown): Docker's default timings are assumed.
 */
export function healthDeadlineMs(healthcheck: HealthcheckSpec | undefined, monitorMs: number, imageCheck = false): number {
  const h = healthcheck && !healthcheck.disable ? healthcheck : imageCheck ? { ...DEFAULT_HEALTHCHECK, test: [], disable: false } : undefined;
  if (!h) return START_ALLOWANCE_MS + monitorMs;
  return START_ALLOWANCE_MS + h.startPeriodMs + (h.retries + 1) * (h.intervalMs + h.timeoutMs);
}

/**
 * The spec names a check of its own (a Docker test or Baton's x-baton.healthcheck probe): a replica
 * must report healthy (a timings-only block uses the image's test, which may not exist).
 */
export function specExpectsHealth(healthcheck: HealthcheckSpec | undefined): boolean {
  return !!healthcheck && !healthcheck.disable && (healthcheck.test.length > 0 || healthcheck.probe !== undefined);
}
