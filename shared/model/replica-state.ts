// A replica's lifecycle as both processes speak it: the agent reports it (proto ContainerEvent),
// the coordinator keeps and acts on it. The proto enum ReplicaState carries exactly these names.
import type { HealthStatus } from './health.js';

/** In lifecycle order. Restarts happen in place, so exited -> starting is allowed. */
export const REPLICA_STATES = ['pending', 'starting', 'running', 'exited', 'failed', 'stopped', 'removed'] as const;

export type ReplicaState = (typeof REPLICA_STATES)[number];

const KNOWN: ReadonlySet<unknown> = new Set(REPLICA_STATES);

/** For values off the wire: an enum number the proto does not know arrives as a number. */
export function isReplicaState(value: unknown): value is ReplicaState {
  return KNOWN.has(value);
}

/** Observed status of one replica, as the agent reports it (proto ContainerEvent, in domain form). */
export interface ReplicaStatus {
  readonly allocationId: string;
  readonly state: ReplicaState;
  readonly containerId?: string;
  readonly exitCode?: number;
  readonly error?: string;
  /** In-place restarts done by this agent's restart supervisor. */
  readonly restarts: number;
  readonly atMs: number;
  /** Undefined: `none` (no health check, or not running). */
  readonly health?: HealthStatus;
  /** The last check's output, at most MAX_HEALTH_OUTPUT_BYTES. */
  readonly healthOutput?: string;
}
