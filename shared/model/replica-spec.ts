// What a start asks an agent for: one replica of a service as the coordinator assigned it (proto
// StartReplica, in domain form). The agent's executor runs exactly this; nothing here depends on
// generated gRPC code or on the Compose parser (types only).
import type { ContainerSettings, HealthcheckSpec, MountSpec, RestartPolicySpec } from '../compose/types.js';

export interface ReplicaPort {
  /** Container port. */
  readonly target: number;
  /** Host port; undefined lets Docker choose one. */
  readonly published?: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIp?: string;
}

export interface ReplicaSpec {
  readonly allocationId: string;
  readonly generation: number;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  readonly image: string;
  /** Undefined: the image's own. */
  readonly command?: readonly string[];
  /** Undefined: the image's own; an empty list clears it (Docker tells the two apart). */
  readonly entrypoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly ReplicaPort[];
  /** User labels; Baton's own `io.baton.*` labels are added on top and win. */
  readonly labels: Readonly<Record<string, string>>;
  /** Undefined: no limit. */
  readonly cpuLimitMillis?: number;
  readonly memoryLimitBytes?: number;
  readonly restartPolicy: RestartPolicySpec;
  /** Undefined: the image's own HEALTHCHECK, if any. */
  readonly healthcheck?: HealthcheckSpec;
  readonly stopGraceMs: number;
  /** Name -> address lines for the container's /etc/hosts (service discovery); undefined: none. */
  readonly extraHosts?: Readonly<Record<string, string>>;
  /** Passed through to Docker; undefined: none. */
  readonly container?: ContainerSettings;
  /** Volumes, binds and tmpfs mounts; undefined: none. */
  readonly mounts?: readonly MountSpec[];
  /** Secrets and configs mounted as files (the agent keeps them in a tmpfs); undefined: none. */
  readonly files?: readonly ReplicaFile[];
  /**
   * `x-baton.on_disconnect.stop_after`: cut off from the coordinator this long, the agent stops the
   * replica itself (agent/disconnect-guard.ts). Carried on the container as LABEL_STOP_AFTER so an
   * agent restarted while cut off still knows it. Undefined: never.
   */
  readonly stopAfterDisconnectMs?: number;
}

/** A secret's or config's content and where the container sees it. Never logged. */
export interface ReplicaFile {
  readonly kind: 'secret' | 'config';
  /** The store name. */
  readonly name: string;
  /** Absolute path in the container. */
  readonly target: string;
  readonly uid: string;
  readonly gid: string;
  readonly mode: number;
  readonly data: Uint8Array;
}
