// What the rollout step reads: one service's rollout record, its replicas as the store and the
// nodes' latest reports show them, and now. Plain values, so the step stays a pure function.
import type { DeepReadonly } from '../store/schema.js';
import type { RolloutRecord } from './record.js';

export interface RolloutAllocation {
  readonly id: string;
  readonly slot: number;
  /** The spec it runs; '' when unknown (counted as an old spec). */
  readonly specHash: string;
  readonly desired: 'run' | 'stop';
  readonly createdAtMs: number;
  /** Docker's state as a connected node reports it now; undefined when none does. */
  readonly live?: string;
  /** Docker's health as reported: none | starting | healthy | unhealthy, or '' before any report. */
  readonly health: string;
  /** Its node is connected and reporting, so the deadline applies (not while the node, or we, were away). */
  readonly reported: boolean;
  /** The agent's last word was `failed` (start refused, restart policy gave up): why. */
  readonly failed?: string;
  /** The agent restarted it in place this many times. */
  readonly restarts: number;
  readonly exitCode: number;
}

export interface RolloutInput {
  /** The service's name, for messages. */
  readonly service: string;
  readonly record: DeepReadonly<RolloutRecord>;
  /** Desired replicas now (scale during a rollout changes it). */
  readonly replicas: number;
  /** The slots that should run when they are not 1..replicas: a global service's, one per eligible node (desired-slots.ts). */
  readonly slots?: readonly number[];
  /** The target spec names a health check of its own: its replicas must report healthy. */
  readonly expectsHealth: boolean;
  /** See healthDeadlineMs (deadline.ts). */
  readonly deadlineMs: number;
  /** Every allocation of the service. */
  readonly allocations: readonly RolloutAllocation[];
  /** Slots the last round could not place, with the scheduler's reason. */
  readonly unplaced: ReadonlyMap<number, string>;
  readonly nowMs: number;
}
