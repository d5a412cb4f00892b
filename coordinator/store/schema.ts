// The coordinator's durable state: what survives a restart. Heartbeats and usage are not here.
import { z } from 'zod';
import type { ServiceSpec } from '../../shared/compose/types.js';
import { NODE_STATUSES, type NodeStatus } from '../../shared/model/node-status.js';
import type { HealthStatus } from '../../shared/model/health.js';
import type { NodeRole } from '../../shared/model/node-role.js';
import type { ReplicaState } from '../../shared/model/replica-state.js';
import type { RevisionRecord } from '../rollout/history.js';
import type { RolloutRecord } from '../rollout/record.js';

export type { NodeStatus };

/** `T` read only at every depth: the type of the store's state outside a transaction. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

export interface NodeRecord {
  id: string;
  name: string;
  address: string;
  labels: Record<string, string>;
  /** As the agent said in its hello (`baton agent --role`); undefined in state from before roles: a worker. */
  role?: NodeRole;
  capacity: { cpuMillis: number; memoryBytes: number; diskBytes: number };
  status: NodeStatus;
  statusSinceMs: number;
  joinedAtMs: number;
  /** Last time the node was heard from, as of the last status change (not per heartbeat). */
  lastSeenMs: number;
  agentVersion: string;
  dockerVersion: string;
  /**
   * `baton node cordon|drain` (coordinator/node-schedule.ts): no new work while set; `draining`
   * moves its replicas off within each service's disruption budget, then it is `drained` (still
   * no new work) until `baton node uncordon`. Undefined: schedulable.
   */
  schedule?: NodeSchedule;
  /**
   * `baton node label` (node-schedule.ts): labels an operator set (a value) or removed (null) over
   * the ones the agent says in its hello; `labels` is the result. Undefined: none.
   */
  operatorLabels?: Record<string, string | null>;
  /** The labels of the agent's last hello, before operatorLabels (undefined: the same as labels). */
  agentLabels?: Record<string, string>;
  /**
   * It reports but cannot run work (node-health.ts): no new work, its replicas move off as in a
   * drain, until it has been healthy for the hold time. Undefined: healthy.
   */
  unhealthy?: { reason: string; sinceMs: number; healthySinceMs?: number };
  /** Its recent downs and, after a flap, when it takes new work again (node-flaps.ts). Undefined: none. */
  flaps?: NodeFlaps;
}

export interface NodeFlaps {
  downsAtMs: readonly number[];
  heldUntilMs?: number;
}

export interface NodeSchedule {
  state: 'cordoned' | 'draining' | 'drained';
  sinceMs: number;
  /** Draining: when replicas still there are stopped even with nowhere to go. Undefined: no deadline. */
  deadlineAtMs?: number;
  /** Draining, once the deadline passed: replicas stopped with nowhere to go (`stack/service.N`). */
  lost?: readonly string[];
}

export interface EventRecord {
  seq: number;
  atMs: number;
  type: string;
  nodeId: string;
  nodeName: string;
  from: string;
  to: string;
  reason: string;
  message: string;
}

/** What the agent last said about an allocation's container. */
export interface ObservedReplica {
  state: ReplicaState;
  containerId: string;
  exitCode: number;
  error: string;
  restarts: number;
  atMs: number;
  /** Undefined in state written before health checks: `none`. */
  health?: HealthStatus;
  /** The last check's output, at most 1 KiB. */
  healthOutput?: string;
}

/** One replica slot of a service placed on a node. Desired state is written by the coordinator only. */
export interface AllocationRecord {
  id: string;
  stack: string;
  service: string;
  replica: number;
  nodeId: string;
  generation: number;
  /** The spec it runs (ServiceRecord.specHash when placed). Absent in records from before rollouts: see allocation-spec.ts. */
  specHash?: string;
  cpuMillis: number;
  memoryBytes: number;
  hostPorts: { port: number; protocol: 'tcp' | 'udp' }[];
  desired: 'run' | 'stop';
  createdAtMs: number;
  /** Why desired became 'stop' (scaled down, replaced, node down, removed). */
  stopReason?: string;
  observed?: ObservedReplica;
}

export interface ServiceRecord {
  spec: ServiceSpec;
  /** Hash of everything in the spec but the replica count: a change means new containers. */
  specHash: string;
  /** Bumped when specHash changes; allocations of older generations are replaced. */
  generation: number;
  /** Desired replicas (scale changes this without a new generation). */
  replicas: number;
  /**
   * The service address (a VIP from the coordinator's service CIDR) its name resolves to inside
   * containers; given on first deploy and kept across updates. Undefined in state written before it.
   */
  vip?: string;
  /** Published ports Baton chose for `mode: ingress` ports written without one (Swarm's 30000-32767), by target `port/protocol`. */
  assignedPorts?: Record<string, number>;
  /**
   * A sticky service's (coordinator/sticky.ts) replica slot -> the node it was first placed on,
   * where its volume data is: it is placed there only. Kept on scale-down (as a StatefulSet keeps
   * its volume claims), released by `baton node rm` of the node, gone with the service. Undefined:
   * none (every service in state written before sticky volumes).
   */
  homes?: Record<string, string>;
}

export interface StackRecord {
  name: string;
  /** Who its usage is accounted to (StackSpec.tenant); undefined: `default`. */
  tenant?: string;
  /** Bumped by every deploy or scale that changes anything. */
  generation: number;
  file: string;
  services: Record<string, ServiceRecord>;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A certificate the coordinator accepts: one is listed per identity, two while a renewal overlaps. */
export interface IssuedSerial {
  serial: string;
  notAfterMs: number;
}

/**
 * Who may connect (written by security/authority.ts only): key `node/<id>` or `operator/<name>`.
 * A certificate is accepted only while its serial is listed here, so deleting the record revokes
 * every certificate of that identity, across restarts.
 */
export interface IdentityRecord {
  kind: 'node' | 'operator';
  name: string;
  role: 'node' | 'admin' | 'viewer';
  /** sha256 of the node's public key: a later join for the same id must prove the same key (or the node be removed first). */
  keyHash?: string;
  serials: IssuedSerial[];
  createdAtMs: number;
}

/** A secret (written by secrets/secret-store.ts only): its content sealed with the secrets key (secrets/sealing.ts). */
export interface SecretRecord {
  name: string;
  /** `v1:<key id>:<nonce>:<tag>:<ciphertext>`: never the plain text. */
  sealed: string;
  sizeBytes: number;
  /** The stack whose `file:` created it (removed with the stack); absent: `baton secret create`. */
  stack?: string;
  createdAtMs: number;
}

/** A config (written by secrets/secret-store.ts only): plain, as Swarm stores configs. */
export interface ConfigRecord {
  name: string;
  /** Base64 of the content. */
  data: string;
  sizeBytes: number;
  stack?: string;
  createdAtMs: number;
}

/**
 * `baton rm --stack NAME --volumes` until every node has done its part (written by volumes.ts only):
 * the nodes still to remove the stack's Baton volumes, each once it is connected and the stack's
 * containers are gone from it. Durable, so a node that is down at the time does it when it is back.
 * A new deploy of the stack cancels it.
 */
export interface VolumeRemovalRecord {
  stack: string;
  requestedAtMs: number;
  /** Node ids. */
  nodes: string[];
}

/** One replica a rebalance moves (rebalance/progress.ts): start-first, as a drain moves it. */
export interface RebalanceMoveRecord {
  allocationId: string;
  stack: string;
  service: string;
  replica: number;
  /** Node ids. */
  from: string;
  to: string;
  /** pending: on its way (or waiting for the budget); stopping: the replacement serves, the old copy stops; done: its container is gone; dropped: given up (reason). */
  state: 'pending' | 'stopping' | 'done' | 'dropped';
  reason?: string;
}

/** The nodes' load as a rebalance measured it (rebalance/plan.ts LoadMetrics). */
export interface RebalanceLoadRecord {
  nodesUsed: number;
  maxCpu: number;
  maxMemory: number;
  maxReplicas: number;
}

/**
 * `baton rebalance` (written by rebalance/rebalancer.ts when started, then by the control loop as
 * its moves finish): the latest one, kept once completed so its outcome can be asked for.
 */
export interface RebalanceRecord {
  id: string;
  strategy: 'binpack' | 'spread';
  /** Undefined: every stack. */
  stack?: string;
  state: 'running' | 'completed';
  by: string;
  startedAtMs: number;
  finishedAtMs?: number;
  moves: RebalanceMoveRecord[];
  before: RebalanceLoadRecord;
  after: RebalanceLoadRecord;
  /** Node ids the plan frees. */
  freed: string[];
}

export interface State {
  schema: 1;
  nodes: Record<string, NodeRecord>;
  events: EventRecord[];
  eventSeq: number;
  allocations: Record<string, AllocationRecord>;
  stacks: Record<string, StackRecord>;
  /** `stack/service` -> its latest rollout (see rollout/record.ts for who writes it). */
  rollouts: Record<string, RolloutRecord>;
  /** `stack/service` -> its past specs, oldest first, bounded (written by stacks.ts only; see rollout/history.ts). */
  history: Record<string, RevisionRecord[]>;
  /** Certificates the coordinator accepts, by identity. */
  identities: Record<string, IdentityRecord>;
  /** By name. */
  secrets: Record<string, SecretRecord>;
  /** By name. */
  configs: Record<string, ConfigRecord>;
  /** By stack name. */
  volumeRemovals: Record<string, VolumeRemovalRecord>;
  /** The latest `baton rebalance` that was applied; undefined: none. */
  rebalance?: RebalanceRecord;
}

export function emptyState(): State {
  return { schema: 1, nodes: {}, events: [], eventSeq: 0, allocations: {}, stacks: {}, rollouts: {}, history: {}, identities: {}, secrets: {}, configs: {}, volumeRemovals: {} };
}

// Loose on purpose: it guards against a file that is not Baton state at all (or truncated into
// something else), and names what is wrong; field-level detail stays with the writers.
const stateShape = z.object({
  schema: z.literal(1),
  nodes: z.record(
    z.string(),
    z.object({ id: z.string(), name: z.string(), status: z.enum(NODE_STATUSES) }).passthrough(),
  ),
  events: z.array(z.object({ seq: z.number() }).passthrough()),
  eventSeq: z.number(),
  allocations: z.record(z.string(), z.object({ id: z.string(), nodeId: z.string(), desired: z.enum(['run', 'stop']) }).passthrough()),
  stacks: z.record(z.string(), z.object({ name: z.string(), services: z.record(z.string(), z.object({ spec: z.object({}).passthrough(), homes: z.record(z.string(), z.string()).optional() }).passthrough()) }).passthrough()).default({}),
  rollouts: z.record(z.string(), z.object({ state: z.enum(['running', 'paused', 'completed']), targetSpecHash: z.string(), slots: z.record(z.string(), z.object({}).passthrough()) }).passthrough()).optional(),
  history: z.record(z.string(), z.array(z.object({ generation: z.number(), specHash: z.string(), spec: z.object({}).passthrough() }).passthrough())).optional(),
  identities: z.record(z.string(), z.object({ kind: z.enum(['node', 'operator']), serials: z.array(z.object({ serial: z.string(), notAfterMs: z.number() })) }).passthrough()).optional(),
  secrets: z.record(z.string(), z.object({ name: z.string(), sealed: z.string() }).passthrough()).optional(),
  configs: z.record(z.string(), z.object({ name: z.string(), data: z.string() }).passthrough()).optional(),
  volumeRemovals: z.record(z.string(), z.object({ stack: z.string(), nodes: z.array(z.string()) }).passthrough()).optional(),
  rebalance: z.object({ id: z.string(), state: z.enum(['running', 'completed']), moves: z.array(z.object({ allocationId: z.string(), to: z.string(), state: z.enum(['pending', 'stopping', 'done', 'dropped']) }).passthrough()) }).passthrough().optional(),
});

/** Returns a description of what is wrong with `data`, or undefined when it looks like Baton state. */
export function checkState(data: unknown): string | undefined {
  const r = stateShape.safeParse(data);
  if (r.success) {
    // State files from before stacks, rollouts or history existed get empty sets.
    (data as State).stacks ??= {};
    (data as State).rollouts ??= {};
    (data as State).history ??= {};
    (data as State).identities ??= {};
    (data as State).secrets ??= {};
    (data as State).configs ??= {};
    (data as State).volumeRemovals ??= {};
    return undefined;
  }
  const first = r.error.issues[0];
  return `${first?.path.join('.') || '(top level)'}: ${first?.message ?? 'invalid'}`;
}
