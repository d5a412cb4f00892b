// Feasibility filters: each is a tiny named unit answering "can node j take replica r?" with
// either undefined (yes) or a Rejection naming why not. Order matters only for explanations:
// a node is counted under the first filter that rejects it. These filters are what decides, not
// only what explains: eligibility masks are built from STATIC_FILTERS, and `fitsNow` (the fused
// fast path for DYNAMIC_FILTERS) is held to agree with them by test/scheduler-feasibility.test.ts.
import { firstFailedConstraint } from './constraints.js';
import type { PlanState } from './plan-state.js';
import type { FilterName, Rejection, ReplicaRequest, SchedNode } from './types.js';

export interface Filter {
  readonly name: FilterName;
  check(s: PlanState, j: number, r: ReplicaRequest): Rejection | undefined;
}

/** The status filter's rule, for loops over nodes that involve no request (capacity references, moves): ready and not cordoned. */
export function acceptsWork(node: SchedNode): boolean {
  return node.status === 'ready' && node.availability === undefined;
}

/** A cordoned or draining node takes only what is pinned to it: a global replica, or a sticky one coming home to a cordoned (not draining) node. */
function admitsOnCordon(node: SchedNode, r: ReplicaRequest): boolean {
  if (r.nodeId === undefined) return false;
  return r.pinReason === undefined || node.availability === 'cordoned';
}

/** A request pinned to a node (a global service's replica) may go there only. */
export const nodeFilter: Filter = {
  name: 'node',
  check: (s, j, r) => (r.nodeId === undefined || s.nodes[j]!.id === r.nodeId ? undefined : { filter: 'node', label: 'another node\'s replica' }),
};

/** Only `ready` nodes receive work; suspect, down and left nodes are counted by status, cordoned and draining ones as such. */
export const statusFilter: Filter = {
  name: 'status',
  check: (s, j, r) => {
    const node = s.nodes[j]!;
    if (node.status !== 'ready') return { filter: 'status', label: `node ${node.status}` };
    if (node.availability !== undefined && !admitsOnCordon(node, r)) return { filter: 'status', label: `node ${node.availability}` };
    return undefined;
  },
};

export const constraintFilter: Filter = {
  name: 'constraint',
  check: (s, j, r) => {
    const failed = firstFailedConstraint(s.nodes[j]!, r.constraints);
    return failed ? { filter: 'constraint', label: `constraint ${failed.text}` } : undefined;
  },
};

export const cpuFilter: Filter = {
  name: 'cpu',
  check: (s, j, r) => (r.cpuMillis <= s.freeCpuMillis[j]! ? undefined : { filter: 'cpu', label: 'insufficient cpu' }),
};

export const memoryFilter: Filter = {
  name: 'memory',
  check: (s, j, r) =>
    r.memoryBytes <= s.freeMemoryBytes[j]! ? undefined : { filter: 'memory', label: 'insufficient memory' },
};

/** Two replicas cannot publish the same host port and protocol on one node. */
export const hostPortFilter: Filter = {
  name: 'host-port',
  check: (s, j, r) => {
    for (const p of r.hostPorts) {
      if (s.portInUse(j, p)) {
        const label = `host port ${p.port}${p.protocol === 'udp' ? '/udp' : ''} in use`;
        return { filter: 'host-port', label };
      }
    }
    return undefined;
  },
};

/** Counts replicas already on the node plus those this plan put there earlier. */
export const maxPerNodeFilter: Filter = {
  name: 'max-per-node',
  check: (s, j, r) =>
    r.maxReplicasPerNode > 0 && s.replicasOf(j, r.service) >= r.maxReplicasPerNode
      ? { filter: 'max-per-node', label: `max_replicas_per_node ${r.maxReplicasPerNode} reached` }
      : undefined,
};

/**
 * Filters that depend only on the node and the request's constraints, never on what the plan
 * placed: their result holds for the whole plan and for every request with the same constraints.
 */
export const STATIC_FILTERS: readonly Filter[] = [nodeFilter, statusFilter, constraintFilter];
/** Filters that change as replicas are placed. */
export const DYNAMIC_FILTERS: readonly Filter[] = [cpuFilter, memoryFilter, hostPortFilter, maxPerNodeFilter];
export const FILTERS: readonly Filter[] = [...STATIC_FILTERS, ...DYNAMIC_FILTERS];

export function firstRejection(filters: readonly Filter[], s: PlanState, j: number, r: ReplicaRequest): Rejection | undefined {
  for (const f of filters) {
    const rejection = f.check(s, j, r);
    if (rejection) return rejection;
  }
  return undefined;
}

/** Nodes that pass the static filters for a request: by node index, and as a list in node order. */
export interface Eligibility {
  readonly mask: Uint8Array;
  readonly members: readonly number[];
}

/** Runs STATIC_FILTERS over every node for `r`; valid for any request with r's constraints. */
export function staticEligibility(s: PlanState, r: ReplicaRequest): Eligibility {
  const mask = new Uint8Array(s.size);
  const members: number[] = [];
  for (let j = 0; j < s.size; j++) {
    if (firstRejection(STATIC_FILTERS, s, j, r)) continue;
    mask[j] = 1;
    members.push(j);
  }
  return { mask, members };
}

/** Node index -> 1 where the status filter lets unpinned work in. */
export function readyMask(s: PlanState): Uint8Array {
  const mask = new Uint8Array(s.size);
  for (let j = 0; j < s.size; j++) mask[j] = acceptsWork(s.nodes[j]!) ? 1 : 0;
  return mask;
}

/**
 * DYNAMIC_FILTERS fused into one boolean check, for hot loops (no Rejection objects allocated):
 * `fitsNow(s, j, r) === !firstRejection(DYNAMIC_FILTERS, s, j, r)` in every state.
 */
export function fitsNow(s: PlanState, j: number, r: ReplicaRequest): boolean {
  if (r.cpuMillis > s.freeCpuMillis[j]! || r.memoryBytes > s.freeMemoryBytes[j]!) return false;
  for (const p of r.hostPorts) if (s.portInUse(j, p)) return false;
  return r.maxReplicasPerNode === 0 || s.replicasOf(j, r.service) < r.maxReplicasPerNode;
}
