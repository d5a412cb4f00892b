// The plan applier: turns the scheduler's placements into allocation records, re-checking each one
// against the state it will be committed to (Nomad's evaluateNodePlan): the node still exists, is
// ready, and still has the room and the host ports. A placement that no longer fits is rejected
// with the reason and its replica goes back to pending. Pure: ids come from `newId`, time from `nowMs`.
import { isSchedulable } from './node-status.js';
import type { Placement, ReplicaRequest } from './scheduler/types.js';
import { slotKeyOf, splitServiceKey, type SlotRef } from './slot-key.js';
import type { AllocationRecord, DeepReadonly, NodeRecord, State } from './store/schema.js';

export interface ApplyPlanInput {
  /** The state the records will be written to (read only). */
  readonly state: DeepReadonly<Pick<State, 'nodes' | 'allocations' | 'stacks'>>;
  readonly placements: readonly Placement[];
  /** The requests the plan was made for; each placement names one by service key and replica. */
  readonly requests: readonly ReplicaRequest[];
  readonly nowMs: number;
  /** Draws a new allocation id for the slot. */
  readonly newId: (slot: SlotRef) => string;
}

export interface RejectedPlacement {
  /** `stack/service`, as in the plan. */
  readonly service: string;
  readonly replica: number;
  readonly nodeId: string;
  /** Why the placement was not committed, e.g. `node n2 is down, not ready for placements`. */
  readonly reason: string;
}

export interface ApplyPlanResult {
  /** New allocation records to write, in plan order. */
  readonly records: AllocationRecord[];
  readonly rejected: RejectedPlacement[];
}

interface NodeLoad {
  cpuMillis: number;
  memoryBytes: number;
  ports: Set<string>;
}

const portKey = (p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`;

export function applyPlan(input: ApplyPlanInput): ApplyPlanResult {
  const { state, placements } = input;
  const records: AllocationRecord[] = [];
  const rejected: RejectedPlacement[] = [];
  if (placements.length === 0) return { records, rejected };

  const requests = new Map<string, ReplicaRequest>();
  for (const r of input.requests) requests.set(slotKeyOf(r.service, r.replica), r);

  // What is reserved on the nodes the plan touches, from the state itself (not the plan's snapshot).
  const load = new Map<string, NodeLoad>();
  for (const p of placements) load.set(p.nodeId, { cpuMillis: 0, memoryBytes: 0, ports: new Set() });
  for (const a of Object.values(state.allocations)) {
    const l = a.desired === 'run' ? load.get(a.nodeId) : undefined;
    if (!l) continue;
    l.cpuMillis += a.cpuMillis;
    l.memoryBytes += a.memoryBytes;
    for (const p of a.hostPorts) l.ports.add(portKey(p));
  }

  for (const p of placements) {
    const req = requests.get(slotKeyOf(p.service, p.replica));
    const [stack, service] = splitServiceKey(p.service);
    const svc = state.stacks[stack]?.services[service];
    const node = state.nodes[p.nodeId];
    const l = load.get(p.nodeId)!;
    const reason = !req
      ? `no request for ${p.service}#${p.replica} in this plan`
      : !svc
        ? `service ${p.service} was removed before the plan was committed`
        : !node
          ? `node ${p.nodeName || p.nodeId} does not exist`
          : whyNodeCannotTake(node, l, req);
    if (reason !== undefined || !req || !svc) {
      rejected.push({ service: p.service, replica: p.replica, nodeId: p.nodeId, reason: reason ?? '' });
      continue;
    }
    l.cpuMillis += req.cpuMillis;
    l.memoryBytes += req.memoryBytes;
    for (const hp of req.hostPorts) l.ports.add(portKey(hp));
    records.push({
      id: input.newId({ stack, service, replica: p.replica }),
      stack,
      service,
      replica: p.replica,
      nodeId: p.nodeId,
      generation: svc.generation,
      cpuMillis: req.cpuMillis,
      memoryBytes: req.memoryBytes,
      hostPorts: req.hostPorts.map((hp) => ({ port: hp.port, protocol: hp.protocol })),
      desired: 'run',
      createdAtMs: input.nowMs,
    });
  }
  return { records, rejected };
}

/** Why `node`, already carrying `load`, cannot take `req` now; undefined when it can. */
function whyNodeCannotTake(node: DeepReadonly<NodeRecord>, load: NodeLoad, req: ReplicaRequest): string | undefined {
  if (!isSchedulable(node.status)) return `node ${node.name} is ${node.status}, not ready for placements`;
  // Cordoned since the plan was made (`baton node cordon|drain`): only what is pinned to it may still go there.
  if (node.schedule && (req.nodeId === undefined || (req.pinReason !== undefined && node.schedule.state === 'draining'))) return `node ${node.name} is ${node.schedule.state}`;
  if (node.unhealthy && (req.nodeId === undefined || req.pinReason !== undefined)) return `node ${node.name} is unhealthy: ${node.unhealthy.reason}`;
  if (node.flaps?.heldUntilMs !== undefined && req.nodeId === undefined) return `node ${node.name} is held after flapping`;
  if (load.cpuMillis + req.cpuMillis > node.capacity.cpuMillis) {
    return `node ${node.name} has no room: needs ${req.cpuMillis} millicores, ${node.capacity.cpuMillis - load.cpuMillis} free`;
  }
  if (load.memoryBytes + req.memoryBytes > node.capacity.memoryBytes) {
    return `node ${node.name} has no room: needs ${req.memoryBytes} bytes of memory, ${node.capacity.memoryBytes - load.memoryBytes} free`;
  }
  for (const hp of req.hostPorts) if (load.ports.has(portKey(hp))) return `node ${node.name} has host port ${portKey(hp)} in use`;
  return undefined;
}
