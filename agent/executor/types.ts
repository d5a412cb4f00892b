// The executor's domain types: what it finds on the engine, what its calls return, and the Executor
// interface. Nothing here depends on generated gRPC code.
import type { HealthStatus } from '../../shared/model/health.js';
import type { ReplicaSpec } from '../../shared/model/replica-spec.js';

// What a start asks for and what the agent reports back are spoken by both processes: shared/model.
export type { ReplicaPort, ReplicaSpec } from '../../shared/model/replica-spec.js';
export type { ReplicaState, ReplicaStatus } from '../../shared/model/replica-state.js';

/** A Baton-managed container as `docker ps -a` shows it. */
export interface ReplicaContainer {
  readonly allocationId: string;
  readonly generation: number;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  readonly containerId: string;
  readonly name: string;
  /** Docker's state: created | running | paused | restarting | removing | exited | dead. */
  readonly dockerState: string;
  readonly running: boolean;
  /** Meaningful once the container has exited; 0 otherwise. */
  readonly exitCode: number;
  /** x-baton.on_disconnect.stop_after, from its label (agent/disconnect-guard.ts); undefined: none. */
  readonly stopAfterDisconnectMs?: number;
}

/** A Baton-managed container as `docker inspect` shows it: the list fields plus timings and health. */
export interface InspectedReplica extends ReplicaContainer {
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Docker's StartedAt / FinishedAt, verbatim: FinishedAt identifies one run's exit. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly oomKilled: boolean;
  /** Docker's own error for the last start (e.g. a port already in use), or ''. */
  readonly error: string;
  /** Docker's health: none | starting | healthy | unhealthy. */
  readonly health: HealthStatus;
  /** Output of Docker's last health check, truncated (shared/model/health.ts); '' without one. */
  readonly healthOutput: string;
  /** The container's address on its bridge network ('' when it has none): where Baton's checks go. */
  readonly ipAddress: string;
}

/** Why `ensureRunning` could not get a container running. */
export type EnsureFailureReason = 'image-unavailable' | 'create-rejected' | 'start-rejected' | 'container-unusable';

export type EnsureResult =
  | {
      readonly ok: true;
      readonly containerId: string;
      /** A new container was created (false: an existing one for this allocation was reused). */
      readonly created: boolean;
      /** It was not running and was started by this call. */
      readonly started: boolean;
    }
  | {
      readonly ok: false;
      readonly reason: EnsureFailureReason;
      readonly error: string;
      /** Set when a container exists but could not be started (it is left for stop/remove). */
      readonly containerId?: string;
    };

export type StopResult =
  | {
      readonly ok: true;
      /** Undefined when there was no container for the allocation (404 counts as stopped). */
      readonly containerId?: string;
      /** False when it was already stopped (Docker's 304) or absent. */
      readonly wasRunning: boolean;
      /** The grace period ran out and the container was killed. */
      readonly killed: boolean;
      readonly exitCode?: number;
    }
  | { readonly ok: false; readonly error: string };

export type RemoveResult =
  | { readonly ok: true; readonly containerId?: string; readonly existed: boolean }
  | { readonly ok: false; readonly error: string };

/**
 * What the agent needs from a container runtime (SwarmKit's executor, folded into one object keyed
 * by allocation id). Docker is one implementation; a fake is fine for coordinator tests.
 * Expected refusals are result values; promises reject only on I/O faults (engine unreachable).
 */
export interface Executor {
  ensureRunning(spec: ReplicaSpec): Promise<EnsureResult>;
  /** `restarting`: a stop on the way to a restart in place (an unhealthy replica), not Baton's stop: no intent is kept. */
  stop(allocationId: string, graceMs: number, options?: { readonly restarting?: boolean }): Promise<StopResult>;
  /** `restarting`: removed on the way to a fresh start (an unhealthy replica), not Baton's removal: no intent is kept. */
  remove(allocationId: string, options?: { readonly restarting?: boolean }): Promise<RemoveResult>;
  list(): Promise<ReplicaContainer[]>;
  inspect(allocationId: string): Promise<InspectedReplica | undefined>;
  /** True after stop()/remove() for this allocation and until the next ensureRunning(). */
  stopRequested(allocationId: string): boolean;
  /**
   * Tells `onExit` whenever a replica may have exited, until closed (SwarmKit's Controller.Wait,
   * for every replica at once). Notices may repeat or be spurious: the receiver inspects.
   */
  watchExits(onExit: (exit: PossibleExit) => void): ExitWatch;
}

/**
 * What an exit watch reports: `container`, this allocation's container stopped running; `health`,
 * Docker's health check of it changed status (inspect for the status and output); `unwatched`, the
 * watch (re)started, and exits before it are not reported, so every replica needs a look.
 */
export type PossibleExit =
  | { readonly kind: 'container'; readonly allocationId: string }
  | { readonly kind: 'health'; readonly allocationId: string }
  | { readonly kind: 'unwatched' };

export interface ExitWatch {
  /** Resolves once exits are being watched: an exit after this is reported. */
  readonly connected: Promise<void>;
  close(): Promise<void>;
}
