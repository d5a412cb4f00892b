// Builds the rollout step's input for one service from the store's records and the nodes' latest
// reports (pure: the control loop passes both in, with now).
import type { ObservedNow } from '../observed.js';
import { specHashOf } from '../allocation-spec.js';
import type { AllocationRecord, DeepReadonly, ServiceRecord } from '../store/schema.js';
import { healthDeadlineMs, specExpectsHealth } from './deadline.js';
import type { RolloutAllocation, RolloutInput } from './input.js';
import type { RolloutRecord } from './record.js';

const REPORTED_HEALTH = new Set(['starting', 'healthy', 'unhealthy']);

export interface RolloutStateView {
  readonly service: string;
  readonly svc: DeepReadonly<ServiceRecord>;
  readonly record: DeepReadonly<RolloutRecord>;
  /** The service's allocations. */
  readonly allocations: readonly DeepReadonly<AllocationRecord>[];
  readonly observed: ReadonlyMap<string, ObservedNow>;
  /** Nodes with a live session. */
  readonly connected: ReadonlySet<string>;
  /** The slots that should run when they are not 1..replicas (a global service's: desired-slots.ts). */
  readonly slots?: readonly number[];
  /** Slots of this service the last round could not place, with why. */
  readonly unplaced: ReadonlyMap<number, string>;
  readonly nowMs: number;
}

export function rolloutInputOf(v: RolloutStateView): RolloutInput {
  const allocations: RolloutAllocation[] = v.allocations.map((a) => {
    const o = v.observed.get(a.id);
    const rec = a.observed;
    return {
      id: a.id,
      slot: a.replica,
      specHash: specHashOf(a, v.svc),
      desired: a.desired,
      createdAtMs: a.createdAtMs,
      // The agent's exit event counts while no report says the container runs again.
      live: o?.state ?? (rec?.state === 'exited' ? 'exited' : undefined),
      health: o?.health ?? '',
      reported: v.connected.has(a.nodeId),
      ...(rec?.state === 'failed' && o?.state !== 'running' ? { failed: rec.error || `exit code ${rec.exitCode}` } : {}),
      restarts: rec?.restarts ?? 0,
      exitCode: o?.exitCode ?? rec?.exitCode ?? 0,
    };
  });
  // No check in the spec, but the image's own HEALTHCHECK shows in the reports: wait for it, on Docker's timings.
  const imageCheck = allocations.some((a) => a.specHash === v.record.targetSpecHash && REPORTED_HEALTH.has(a.health));
  return {
    service: v.service,
    record: v.record,
    replicas: v.svc.replicas,
    ...(v.slots ? { slots: v.slots } : {}),
    expectsHealth: specExpectsHealth(v.svc.spec.healthcheck as Parameters<typeof specExpectsHealth>[0]),
    deadlineMs: healthDeadlineMs(v.svc.spec.healthcheck as Parameters<typeof healthDeadlineMs>[0], v.record.config.monitorMs, imageCheck),
    allocations,
    unplaced: v.unplaced,
    nowMs: v.nowMs,
  };
}
