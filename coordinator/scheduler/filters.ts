// Feasibility filters: each is a tiny named unit answering "can node j take replica r?" with
// either undefined (yes) or a Rejection naming why not. Order matters only for explanations:
// a node is counted under the first filter that rejects it.
import { firstFailedConstraint } from './constraints.js';
import type { PlanState } from './plan-state.js';
import type { FilterName, Rejection, ReplicaRequest } from './types.js';

export interface Filter {
  readonly name: FilterName;
  check(s: PlanState, j: number, r: ReplicaRequest): Rejection | undefined;
}

/** Only `ready` nodes receive work; suspect, down and left nodes are counted by status. */
export const statusFilter: Filter = {
  name: 'status',
  check: (s, j) => {
    const status = s.nodes[j]!.status;
    return status === 'ready' ? undefined : { filter: 'status', label: `node ${status}` };
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
  check: (s, j, r) => (r.cpuMillis <= s.freeCpu[j]! ? undefined : { filter: 'cpu', label: 'insufficient cpu' }),
};

export const memoryFilter: Filter = {
  name: 'memory',
  check: (s, j, r) =>
    r.memoryBytes <= s.freeMem[j]! ? undefined : { filter: 'memory', label: 'insufficient memory' },
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

/** Filters that depend only on the node and the request, never on what the plan placed. */
export const STATIC_FILTERS: readonly Filter[] = [statusFilter, constraintFilter];
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

/** The dynamic filters as one boolean check, for hot loops (no Rejection objects allocated). */
export function fitsNow(s: PlanState, j: number, r: ReplicaRequest): boolean {
  if (r.cpuMillis > s.freeCpu[j]! || r.memoryBytes > s.freeMem[j]!) return false;
  for (const p of r.hostPorts) if (s.portInUse(j, p)) return false;
  return r.maxReplicasPerNode === 0 || s.replicasOf(j, r.service) < r.maxReplicasPerNode;
}
