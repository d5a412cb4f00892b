// Inputs and outputs of the placement scheduler. The scheduler is pure: it reads a snapshot of
// nodes and a list of replica requests and returns a plan; nothing here performs I/O.
import type { Constraint, PlacementStrategy } from '../../shared/compose/types.js';

export type NodeStatus = 'ready' | 'suspect' | 'down' | 'left';

export interface HostPort {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

/** A node as the scheduler sees it: capacity, attributes and what is already placed there. */
export interface SchedNode {
  readonly id: string;
  readonly name: string;
  readonly status: NodeStatus;
  readonly labels: Readonly<Record<string, string>>;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  /** Sum of reservations already placed on the node. */
  readonly reservedCpuMillis: number;
  readonly reservedMemoryBytes: number;
  /** Host ports already bound by placed work. */
  readonly usedPorts: readonly HostPort[];
  /** Replicas already on the node, per service key (`stack/service`), for max_replicas_per_node and spreading. */
  readonly replicasByService: Readonly<Record<string, number>>;
  /** Optional platform attributes for constraints. */
  readonly os?: string;
  readonly arch?: string;
}

/** One replica to place. */
export interface ReplicaRequest {
  /** `stack/service`. */
  readonly service: string;
  /** 1-based replica slot. */
  readonly replica: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly hostPorts: readonly HostPort[];
  readonly constraints: readonly Constraint[];
  /** 0 = unlimited. */
  readonly maxReplicasPerNode: number;
  readonly strategy: PlacementStrategy;
}

export interface Placement {
  readonly service: string;
  readonly replica: number;
  readonly nodeId: string;
  readonly nodeName: string;
}

/** Why a replica did not fit: the summary line and the per-filter counts behind it. */
export interface Unplaced {
  readonly service: string;
  readonly replica: number;
  /** e.g. `0/5 nodes fit: 3 insufficient memory (needs 512 MiB, most free 300 MiB), 1 constraint node.labels.zone==edge` */
  readonly reason: string;
  /** Filter name -> number of nodes it rejected. */
  readonly rejections: Readonly<Record<string, number>>;
}

export interface PlanOptions {
  /** Seed for any randomised improvement; same input + seed = same plan. @default 1 */
  readonly seed?: number;
  /** Time budget for improving a batch beyond FFD. @default 200 */
  readonly improveBudgetMs?: number;
  /** Injected clock for the budget (ms); defaults to performance.now. */
  readonly now?: () => number;
}

export interface Plan {
  readonly placements: readonly Placement[];
  readonly unplaced: readonly Unplaced[];
}
