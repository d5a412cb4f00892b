// Inputs and outputs of the placement scheduler. The scheduler is pure: it reads a snapshot of
// nodes and a list of replica requests and returns a plan; nothing here performs I/O.
import type { Constraint, PlacementStrategy } from '../../shared/compose/types.js';
import type { NodeRole } from '../../shared/model/node-role.js';
import type { NodeStatus } from '../../shared/model/node-status.js';

export type { NodeStatus };

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
  /** `node.role`; undefined: a worker. */
  readonly role?: NodeRole;
  /**
   * `baton node cordon` / `drain` (coordinator/node-schedule.ts): no new work, except a replica
   * pinned to it (a global service's stays with its node, as a DaemonSet tolerates a cordon; a
   * sticky one may return to a cordoned home, not to a draining one). Undefined: schedulable.
   */
  readonly availability?: 'cordoned' | 'draining';
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
  /**
   * A global service's replica belongs to one node (SwarmKit's preassigned task): only that node is
   * considered, every filter still applies, and when it does not fit the reason names the node.
   */
  readonly nodeId?: string;
  /**
   * Why it is pinned to `nodeId`, after the node's name, for explanations: a sticky replica's
   * `which holds its volume data (x-baton sticky volume "data")`. Undefined: a global replica.
   */
  readonly pinReason?: string;
  /**
   * placement.preferences spread (node label keys, outermost first): the replica goes to the group
   * of nodes (by the label's value; nodes without it are one more group) that runs the fewest
   * replicas of the service and has a node that fits, level by level, as SwarmKit spreads.
   */
  readonly spread?: readonly string[];
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
  /**
   * Deterministic cap on improvement work (move evaluations). The default is derived from
   * `improveBudgetMs` so that on a typical core the cap, not the clock, ends the improvement:
   * same input + seed = same plan. The time budget stays as a safety net on slow machines.
   * @default improveBudgetMs * 5000
   */
  readonly improveWorkCap?: number;
}

export interface Plan {
  readonly placements: readonly Placement[];
  readonly unplaced: readonly Unplaced[];
  readonly stats?: PlanStats;
}

/** The feasibility filters, in pipeline order. A node is counted under the first one it fails. */
export type FilterName = 'node' | 'status' | 'constraint' | 'cpu' | 'memory' | 'host-port' | 'max-per-node';

/** Why one node cannot take one replica. An expected outcome, so a value rather than an exception. */
export interface Rejection {
  readonly filter: FilterName;
  /** What the node is counted under in explanations, e.g. `node down`, `host port 8080 in use`. */
  readonly label: string;
}

/** How a batch was planned; for `baton plan`, benchmarks and tests. */
export interface PlanStats {
  /** Nodes with any work after the greedy (FFD) pass, and after improvement. */
  readonly greedyNodesUsed: number;
  readonly nodesUsed: number;
  /** A valid lower bound on `nodesUsed`; improvement stops early when it reaches it. */
  readonly lowerBound: number;
  /** Work units the improvement spent (deterministic) and the cap it had. */
  readonly improveWork: number;
  readonly improveWorkCap: number;
  /** Why improvement ended. `time-cap` is the only outcome that makes a plan depend on machine speed. */
  readonly improveStop: 'skipped' | 'lower-bound' | 'no-progress' | 'work-cap' | 'time-cap';
}
