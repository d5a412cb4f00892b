// The normalised service model that a Compose file is parsed into. Everything downstream
// (scheduler, reconciler, agent) reads these types, never raw YAML.

/** A placement constraint from `deploy.placement.constraints`, e.g. `node.labels.zone==edge`. */
export interface Constraint {
  /** The attribute: `node.hostname`, `node.id`, `node.role`, `node.platform.os`, `node.platform.arch` or `node.labels.<key>`. */
  readonly attribute: string;
  readonly op: '==' | '!=';
  readonly value: string;
  /** The constraint as the user wrote it, for messages. */
  readonly text: string;
}

export interface PortSpec {
  /** Container port. */
  readonly target: number;
  /**
   * The published port. `mode: host`: the host port the container binds (undefined: Docker chooses).
   * `mode: ingress`: the port every node's ingress serves (undefined: Baton assigns one from
   * 30000-32767, kept in ServiceRecord.assignedPorts).
   */
  readonly published?: number;
  /** `udp` only with `mode: host` (UDP ingress is a parse error). */
  readonly protocol: 'tcp' | 'udp';
  /** `ingress` (Swarm's default: served on every node, forwarded to healthy replicas) or `host` (the container binds the host port, one replica per node). */
  readonly mode: 'ingress' | 'host';
  readonly hostIp?: string;
}

export interface HealthcheckSpec {
  /**
   * CMD/CMD-SHELL form as Docker takes it, e.g. ['CMD-SHELL', 'wget -q -O- localhost']. Empty when disabled,
   * and also when the file sets only timings: then, as in Docker, the image's own HEALTHCHECK test runs.
   */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  /** How often checks run during `start_period` (Docker API 1.44+). Undefined: Docker's default, 5 s. */
  readonly startIntervalMs?: number;
  readonly disable: boolean;
  /**
   * Baton's own check (`x-baton.healthcheck`), run by the agent against the container's address for
   * images without a shell. When set, `test` is empty and Docker's own check is turned off.
   */
  readonly probe?: HealthProbeSpec;
}

/** A check Baton runs itself: an HTTP request whose status must fall in a range, or a TCP connect. */
export type HealthProbeSpec =
  | {
      readonly kind: 'http';
      readonly port: number;
      /** Starts with '/'. */
      readonly path: string;
      /** Inclusive range of statuses that count as healthy. @default 200-399 */
      readonly statusMin: number;
      readonly statusMax: number;
      /** Host header; undefined: the container's address. */
      readonly host?: string;
    }
  | { readonly kind: 'tcp'; readonly port: number };

export interface RestartPolicySpec {
  /** @default 'any' (Swarm's default) */
  readonly condition: 'none' | 'on-failure' | 'any';
  /** @default 5000 */
  readonly delayMs: number;
  /** 0 = unlimited. @default 0 */
  readonly maxAttempts: number;
  /** 0 = attempts are counted forever. @default 0 */
  readonly windowMs: number;
}

export interface UpdateConfigSpec {
  /** @default 1 */
  readonly parallelism: number;
  readonly delayMs: number;
  /** @default 'rollback' for updates, 'pause' for rollbacks (Swarm: 'pause') */
  readonly failureAction: 'continue' | 'rollback' | 'pause';
  readonly monitorMs: number;
  readonly maxFailureRatio: number;
  /** @default 'start-first' (Swarm: 'stop-first') */
  readonly order: 'stop-first' | 'start-first';
}

export interface DependsOnSpec {
  readonly service: string;
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
  readonly required: boolean;
  /** Restart this service after the dependency was updated (set only when true, so older spec hashes stay). */
  readonly restart?: true;
}

export type PlacementStrategy = 'binpack' | 'spread';

/** `x-baton.ingress`: which nodes serve the service's `mode: ingress` ports, and whether they prefer their own replicas. */
export interface IngressSpec {
  /** `any` (default, as Swarm's routing mesh): spread over every serving endpoint; `local`: a node's own endpoints when it has any. */
  readonly prefer: 'any' | 'local';
  /** Nodes that serve the published ports (empty: every ready node). The service address works on every node. */
  readonly constraints: readonly Constraint[];
}

/** Where a reserved amount came from: `deploy.resources.reservations`, else `limits`, else Baton's default. */
export type ReservationSource = 'reservations' | 'limits' | 'default';

/**
 * Settings `docker stack deploy` passes to Docker as written (Compose key in brackets). Each is set
 * only when the file sets it. The agent maps them in agent/executor/docker/create-options.ts.
 */
export interface ContainerSettings {
  /** [user] `uid[:gid]` or a name. */
  readonly user?: string;
  /** [working_dir] */
  readonly workingDir?: string;
  /** [stop_signal] */
  readonly stopSignal?: string;
  /** [ulimits] name -> soft/hard. */
  readonly ulimits?: Readonly<Record<string, { readonly soft: number; readonly hard: number }>>;
  /** [sysctls] */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** [cap_add] / [cap_drop] */
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  /** [dns] / [dns_search] / [dns_opt] */
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  readonly dnsOptions?: readonly string[];
  /** [extra_hosts] as Docker takes them, `name:address`; written before Baton's service names. */
  readonly extraHosts?: readonly string[];
  /** [read_only] */
  readonly readOnly?: true;
  /** [init] */
  readonly init?: true;
  /** [tmpfs] container path -> mount options (`size=64m`, may be empty). */
  readonly tmpfs?: Readonly<Record<string, string>>;
  /** [hostname] / [domainname] */
  readonly hostname?: string;
  readonly domainname?: string;
  /** [shm_size] */
  readonly shmSizeBytes?: number;
  /** [logging] driver ('' : the engine's default) and its options. */
  readonly logging?: { readonly driver: string; readonly options: Readonly<Record<string, string>> };
  /** [network_mode: host] the container shares its host's network. */
  readonly networkMode?: 'host';
}

/** A network a service is on: the names it resolves, and is resolved by, are those of the services on the same network. */
export interface NetworkAttachment {
  /** The network's identity across the cluster: `<stack>_<key>`, its `name:`, or '' for Baton's default network. */
  readonly network: string;
  /** Extra names the service is resolved by on this network (Compose `aliases`). */
  readonly aliases?: readonly string[];
}

/** One entry of a service's `volumes`: a named or anonymous volume, a bind mount or a tmpfs. */
export interface MountSpec {
  readonly type: 'volume' | 'bind' | 'tmpfs';
  /** Volume: the Docker volume name on the node (`<stack>_<name>`, or the `name:`/external name); undefined: anonymous. Bind: the absolute host path. */
  readonly source?: string;
  /** Absolute path in the container. */
  readonly target: string;
  readonly readOnly?: true;
  /** Named volume: how the node creates it when it lacks it (top-level `volumes`). */
  readonly volume?: {
    /** The key under top-level `volumes`. */
    readonly name: string;
    /** '' : local. */
    readonly driver: string;
    readonly driverOptions: Readonly<Record<string, string>>;
    /** Must already exist on the node (`external: true`); Baton neither creates nor removes it. */
    readonly external?: true;
    /** `x-baton.volumes.<name>.sticky`: the replica stays on the node that holds its data. */
    readonly sticky?: true;
  };
  readonly noCopy?: true;
  readonly subpath?: string;
  /** Bind propagation; undefined: Docker's default. */
  readonly propagation?: string;
  readonly tmpfsSizeBytes?: number;
  readonly tmpfsMode?: number;
}

/**
 * `x-baton.autoscale`: the replica count follows the replicas' CPU and/or memory use against their
 * reservation (the Kubernetes HPA's proportional rule; see coordinator/autoscale/decide.ts).
 */
export interface AutoscaleSpec {
  readonly min: number;
  readonly max: number;
  /** Target average CPU use as a percentage of the replica's CPU reservation (100 = all of it). */
  readonly cpuPercent?: number;
  /** Target average memory use as a percentage of the replica's memory reservation. */
  readonly memoryPercent?: number;
  /** How far back the per-tick averages are averaged for a decision (`window`). */
  readonly windowMs: number;
  /** Stabilisation: a scale-up takes the lowest recommendation over this window (HPA: 0). */
  readonly scaleUpWindowMs: number;
  /** Stabilisation: a scale-down takes the highest recommendation over this window (HPA: 5 min). */
  readonly scaleDownWindowMs: number;
  /** Least time between two changes, beyond the fresh window each change waits for. */
  readonly cooldownMs: number;
  /** Most replicas added or removed by one change; undefined: the HPA's defaults (up: max(4, current), down: any). */
  readonly maxStep?: number;
  /** No change while observed/target is within 1 ± tolerance (HPA: 0.1). */
  readonly tolerance: number;
}

export interface ServiceSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly ports: readonly PortSpec[];
  /** Compose `expose`: container ports reachable at the service address (with the `ports` targets). Undefined: none. */
  readonly expose?: readonly number[];
  /** `x-baton.ingress`; undefined: the defaults (prefer any, every node). */
  readonly ingress?: IngressSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly healthcheck?: HealthcheckSpec;
  readonly dependsOn: readonly DependsOnSpec[];
  /**
   * `deploy.mode: global`: one replica on every node that meets the constraints, tied to that node
   * (see coordinator/desired-slots.ts). Undefined: replicated (set only for global, so the spec
   * hashes of replicated services stay what they were).
   */
  readonly mode?: 'global';
  /** `x-baton.autoscale`; undefined: the count is the operator's (set only when written, so spec hashes stay). */
  readonly autoscale?: AutoscaleSpec;
  /** Desired replicas of a replicated service; 0 for a global one (its count follows the nodes). */
  readonly replicas: number;
  /** What each replica reserves for placement (see README: reservations, else limits, else the default). */
  readonly reserved: { readonly cpuMillis: number; readonly memoryBytes: number };
  /**
   * Where `reserved` came from, for explanations. When CPU and memory came from different places, this
   * is the less explicit of the two (`default` over `limits` over `reservations`); see `reservedSources`.
   */
  readonly reservedFrom: ReservationSource;
  /** Where each reserved amount came from. Always set by the parser; optional so hand-built specs may omit it. */
  readonly reservedSources?: { readonly cpuMillis: ReservationSource; readonly memoryBytes: ReservationSource };
  /** Docker limits; undefined fields mean unlimited. */
  readonly limits: { readonly cpuMillis?: number; readonly memoryBytes?: number };
  readonly constraints: readonly Constraint[];
  /**
   * `placement.preferences` spread, as node label keys in order (`[zone, rack]`: even over zones,
   * then over racks within each zone). Undefined when there is none, so older spec hashes stay.
   */
  readonly spread?: readonly string[];
  /** 0 = no limit. */
  readonly maxReplicasPerNode: number;
  readonly restartPolicy: RestartPolicySpec;
  readonly updateConfig: UpdateConfigSpec;
  readonly rollbackConfig: UpdateConfigSpec;
  readonly placementStrategy: PlacementStrategy;
  readonly stopGraceMs: number;
  /** Settings passed through to Docker (user, ulimits, logging, ...); undefined: none written. */
  readonly container?: ContainerSettings;
  /**
   * `x-baton.on_disconnect`. `replaceAfterMs`: how long a replica on a node that went down waits
   * before it is replaced elsewhere ('never': until the node is back or removed); undefined:
   * replaced once the node is down (the eviction bound), as before. `stopAfterMs`: how long the
   * cut-off agent keeps running its copy before it stops it itself; undefined: as long as it is cut off.
   */
  readonly onDisconnect?: { readonly replaceAfterMs?: number | 'never'; readonly stopAfterMs?: number };
  /** Compose service `volumes`, in file order; undefined: none. */
  readonly mounts?: readonly MountSpec[];
  /** Compose service `networks` (name scopes, see shared/compose/networks.ts); undefined: the default network only. */
  readonly networks?: readonly NetworkAttachment[];
  /** Service `secrets`, as files in the container (default target /run/secrets/<name>). Undefined: none. */
  readonly secrets?: readonly FileMountSpec[];
  /** Service `configs` (default target /<name>). Undefined: none. */
  readonly configs?: readonly FileMountSpec[];
}

/** A secret or config a service mounts as a file. */
export interface FileMountSpec {
  /** The stack-scoped store name (`<stack>_<key>`, or the top-level `name:`, or the external name). */
  readonly source: string;
  /** Absolute path in the container. */
  readonly target: string;
  readonly uid: string;
  readonly gid: string;
  /** File mode, e.g. 0o444. */
  readonly mode: number;
}

/** A top-level `secrets:`/`configs:` entry of a stack file. */
export interface StackFileObject {
  /** The key in the file (what services name). */
  readonly key: string;
  /** The store name it stands for. */
  readonly name: string;
  /** `external: true`: must exist in the store at deploy; else `content` is what `file:` held. */
  readonly external: boolean;
  readonly content?: Uint8Array;
  /** The `file:` as written, for messages. */
  readonly file?: string;
}

export interface StackSpec {
  readonly name: string;
  /** Who the stack's usage is accounted to (top-level `x-baton.tenant`, or `baton deploy --tenant`); undefined: `default`. */
  readonly tenant?: string;
  /** In file order. */
  readonly services: readonly ServiceSpec[];
  /** Top-level `secrets` the services use. Undefined: none. */
  readonly secrets?: readonly StackFileObject[];
  readonly configs?: readonly StackFileObject[];
}

/** A problem found in a Compose (or nodes) file. `path` is the dotted path in the document. */
export interface SpecIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}
