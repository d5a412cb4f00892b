// One tick's sample of an autoscaled service from the nodes' latest reports: which replicas count
// (as the HPA ignores unready pods) and their mean use against the reservation. Pure.
import type { ServiceSpec } from '../../shared/compose/types.js';
import type { HealthStatus } from '../../shared/model/health.js';
import type { AutoscaleSample } from './decide.js';

/** A replica of the service desired to run, with what its node last reported (undefined: nothing). */
export interface ReplicaReading {
  readonly state?: string;
  readonly health?: HealthStatus;
  readonly cpuPercent?: number;
  readonly memoryBytes?: number;
  /** When the controller first saw it running (coordinator time). */
  readonly runningSinceMs?: number;
}

/**
 * A replica running for less than this is left out: its first second's figures are the container's
 * start, not its load (the HPA's initial-readiness delay is 30 s; Baton's replicas report each second).
 */
export const AUTOSCALE_WARMUP_MS = 5_000;

export function sampleOf(spec: Pick<ServiceSpec, 'reserved' | 'healthcheck'>, replicas: readonly ReplicaReading[], nowMs: number): Omit<AutoscaleSample, 'atMs'> & { atMs: number } {
  const checked = spec.healthcheck !== undefined && !spec.healthcheck.disable && (spec.healthcheck.test.length > 0 || spec.healthcheck.probe !== undefined);
  const warmupMs = Math.max(AUTOSCALE_WARMUP_MS, checked ? spec.healthcheck!.startPeriodMs : 0);
  let cpu = 0;
  let memory = 0;
  let counted = 0;
  for (const r of replicas) {
    if (r.state !== 'running' || r.runningSinceMs === undefined || nowMs - r.runningSinceMs < warmupMs) continue;
    // With a check, only a healthy replica counts (a replica reporting health from its image's own check too).
    if ((checked || (r.health !== undefined && r.health !== 'none')) && r.health !== 'healthy') continue;
    counted++;
    cpu += r.cpuPercent ?? 0;
    memory += r.memoryBytes ?? 0;
  }
  const excluded = replicas.length - counted;
  if (counted === 0) return { atMs: nowMs, counted, excluded };
  // cpu_percent is 100 per core; the reservation is in millicores: % of reservation = cpu% × 1000 / millis.
  const cpuPercent = spec.reserved.cpuMillis > 0 ? ((cpu / counted) * 1000) / spec.reserved.cpuMillis : undefined;
  const memoryPercent = spec.reserved.memoryBytes > 0 ? ((memory / counted) * 100) / spec.reserved.memoryBytes : undefined;
  return { atMs: nowMs, counted, excluded, ...(cpuPercent !== undefined ? { cpuPercent } : {}), ...(memoryPercent !== undefined ? { memoryPercent } : {}) };
}
