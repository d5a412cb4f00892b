// The executor's domain types: what a StartReplica asks for, and what the agent reports back.
// The wire form (proto StartReplica / ContainerEvent) is converted to and from these at the agent's
// stream boundary, so nothing here depends on generated gRPC code.
import type { HealthcheckSpec, RestartPolicySpec } from '../../shared/compose/types.js';

export interface ReplicaPort {
  /** Container port. */
  readonly target: number;
  /** Host port; undefined lets Docker choose one. */
  readonly published?: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIp?: string;
}

/** One replica as the coordinator assigned it (proto StartReplica, in domain form). */
export interface ReplicaSpec {
  readonly allocationId: string;
  readonly generation: number;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  readonly image: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly ReplicaPort[];
  /** User labels; Baton's own `io.baton.*` labels are added on top and win. */
  readonly labels: Readonly<Record<string, string>>;
  readonly cpuLimitMillis?: number;
  readonly memoryLimitBytes?: number;
  readonly restartPolicy: RestartPolicySpec;
  readonly healthcheck?: HealthcheckSpec;
  readonly stopGraceMs: number;
}

/** The states a ContainerEvent carries. Restarts happen in place, so exited -> starting is allowed. */
export type ReplicaState = 'pending' | 'starting' | 'running' | 'exited' | 'failed' | 'stopped' | 'removed';

/** Observed status of one replica, as the agent reports it (proto ContainerEvent). */
export interface ReplicaStatus {
  readonly allocationId: string;
  readonly state: ReplicaState;
  readonly containerId?: string;
  readonly exitCode?: number;
  readonly error?: string;
  /** In-place restarts done by this agent's restart supervisor. */
  readonly restarts: number;
  readonly atMs: number;
}

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
  /** none | starting | healthy | unhealthy */
  readonly health: string;
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
  stop(allocationId: string, graceMs: number): Promise<StopResult>;
  remove(allocationId: string): Promise<RemoveResult>;
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
 * What an exit watch reports: `container`, this allocation's container stopped running; `unwatched`,
 * the watch (re)started, and exits before it are not reported, so every replica needs a look.
 */
export type PossibleExit = { readonly kind: 'container'; readonly allocationId: string } | { readonly kind: 'unwatched' };

export interface ExitWatch {
  /** Resolves once exits are being watched: an exit after this is reported. */
  readonly connected: Promise<void>;
  close(): Promise<void>;
}
