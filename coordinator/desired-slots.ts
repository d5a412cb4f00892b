// Which replica slots of a service should run. Replicated: 1..replicas. Global (deploy.mode:
// global): one slot per eligible node, tied to that node, as SwarmKit keys a global task by node id
// rather than by slot. Baton still numbers each one (`web.3` in ps, logs, rollouts and container
// labels): a node keeps the number of the replica it has (any of its allocations, running or
// stopping), and a node without one takes the lowest number no allocation of the service uses.
// Pure: the reconciler, the control loop (rollouts, depends_on) and the read models all ask here,
// with the same nodes and allocations, so they agree on the slots.
import type { ServiceSpec } from '../shared/compose/types.js';
import type { NodeStatus } from '../shared/model/node-status.js';
import { firstFailedConstraint, type ConstraintNode } from './scheduler/constraints.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';

/** What the slots read of a node: what constraints match, and whether it is still a member. */
export type SlotNode = ConstraintNode & { readonly status: NodeStatus };

/** What the slots read of an allocation. */
export type SlotAllocation = DeepReadonly<Pick<AllocationRecord, 'replica' | 'nodeId' | 'desired' | 'createdAtMs'>>;

export interface DesiredSlots {
  /** The slots that should run, ascending. */
  readonly slots: readonly number[];
  /** Global services: the node each slot belongs to (undefined for a replicated service). */
  readonly nodeOf?: ReadonlyMap<number, string>;
  /** Global services: the slot of each eligible node. */
  readonly slotOf?: ReadonlyMap<string, number>;
}

/**
 * A node takes a global service's replica while it is a member (ready or suspect: a suspect node
 * keeps its work, as everywhere in Baton) and meets the constraints. A down or left node does not:
 * its replica is stopped (SwarmKit's global orchestrator shuts down the tasks of a down node) and,
 * when it comes back, its copy still running there is taken back (reconciler: revive).
 */
export function globalEligible(node: SlotNode, constraints: DeepReadonly<ServiceSpec['constraints']>): boolean {
  return (node.status === 'ready' || node.status === 'suspect') && firstFailedConstraint(node, constraints as ServiceSpec['constraints']) === undefined;
}

/** The desired slots of `spec` with `replicas` desired (replicated), or over `nodes` (global, in the order given). */
export function desiredSlots(
  spec: DeepReadonly<Pick<ServiceSpec, 'mode' | 'constraints'>>,
  replicas: number,
  allocations: readonly SlotAllocation[],
  nodes: readonly SlotNode[],
): DesiredSlots {
  if (spec.mode !== 'global') return { slots: Array.from({ length: replicas }, (_, i) => i + 1) };
  return globalSlots(spec.constraints, allocations, nodes);
}

/** One slot per eligible node: the number its own allocation has, else the lowest one no allocation of the service uses. */
export function globalSlots(constraints: DeepReadonly<ServiceSpec['constraints']>, allocations: readonly SlotAllocation[], nodes: readonly SlotNode[]): DesiredSlots {
  const used = new Set<number>();
  // Per node, the allocation whose number it keeps: one that should run, else the newest.
  const own = new Map<string, SlotAllocation>();
  for (const a of allocations) {
    used.add(a.replica);
    const o = own.get(a.nodeId);
    if (!o || (a.desired === 'run' && o.desired !== 'run') || (a.desired === o.desired && a.createdAtMs > o.createdAtMs)) own.set(a.nodeId, a);
  }
  const nodeOf = new Map<number, string>();
  const slotOf = new Map<string, number>();
  const fresh: string[] = [];
  for (const n of nodes) {
    if (!globalEligible(n, constraints)) continue;
    const mine = own.get(n.id)?.replica;
    // Two nodes cannot share a number (only a state written by hand could make them): the first keeps it.
    if (mine !== undefined && !nodeOf.has(mine)) {
      nodeOf.set(mine, n.id);
      slotOf.set(n.id, mine);
    } else fresh.push(n.id);
  }
  let next = 1;
  for (const id of fresh) {
    while (used.has(next) || nodeOf.has(next)) next++;
    nodeOf.set(next, id);
    slotOf.set(id, next);
  }
  return { slots: [...nodeOf.keys()].sort((a, b) => a - b), nodeOf, slotOf };
}
