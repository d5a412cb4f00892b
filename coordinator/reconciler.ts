// The reconciler: a pure function from desired state (stacks), allocations, node liveness and
// what agents report to the changes that move the cluster toward the desired state. It decides;
// the orchestrator applies, places (with the scheduler) and sends commands.
import { runsCurrentSpec } from './allocation-spec.js';
import type { NodeRole } from '../shared/model/node-role.js';
import { desiredSlots, type SlotNode } from './desired-slots.js';
import type { RolloutGate } from './rollout/step.js';
import { homeOf, isSticky, pinReason } from './sticky.js';
import { firstFailedConstraint } from './scheduler/constraints.js';
import type { ServiceSpec } from '../shared/compose/types.js';
import type { AllocationRecord, DeepReadonly, NodeStatus, StackRecord } from './store/schema.js';

/** Allocations as the store hands them out: read only. */
type Alloc = DeepReadonly<AllocationRecord>;

export interface NodeLiveness {
  readonly status: NodeStatus;
  /** The node has a live session (its reports are current). */
  readonly connected: boolean;
  /** Its engine answered the last listing; an empty list from a failed one proves nothing. @default true */
  readonly engineUp?: boolean;
  /** What global services' constraints read (desired-slots.ts). @default the node id, no labels, a worker */
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly role?: NodeRole;
  /** `baton node drain` (node-schedule.ts): its replicas move off, each service within its budget. */
  readonly draining?: boolean;
  /** Draining past its deadline: what is still there stops, with or without somewhere to go. */
  readonly drainExpired?: boolean;
  /** Since when it has its status (x-baton.on_disconnect counts from its going down). @default 0 */
  readonly statusSinceMs?: number;
}

export interface ReconcileInput {
  readonly stacks: readonly DeepReadonly<StackRecord>[];
  readonly allocations: readonly Alloc[];
  readonly nodes: ReadonlyMap<string, NodeLiveness>;
  /** Allocation id -> Docker state of its container as the node last reported it. */
  readonly observed: ReadonlyMap<string, string>;
  /** Now, for the delay before a failed replica is replaced. */
  readonly nowMs: number;
  /**
   * `stack/service` -> the gate of its rollout, while one runs (rollout/step.ts): only admitted
   * slots get the new spec, older copies are the rollout's to stop, failed slots are held.
   * Services without one are replaced all at once, as before rollouts.
   */
  readonly rollouts?: ReadonlyMap<string, RolloutGate>;
  /**
   * Allocations whose container runs and is healthy (or has no check): what a drain waits for
   * before it stops the copy it replaces. Undefined: running is enough.
   */
  readonly serving?: ReadonlySet<string>;
  /**
   * `baton rebalance` (rebalance/progress.ts): allocation id -> the node it moves to. Moved like a
   * drained copy (start-first, within the drain budget), its replacement pinned to that node.
   */
  readonly moves?: ReadonlyMap<string, string>;
}

/**
 * How many replicas of a service a drain may have on the move at once: `update_config.parallelism`,
 * as for a rolling update (0: all at once, as Swarm reads it). Each moves start-first: its
 * replacement serves before the drained copy is stopped, so the service never runs fewer than
 * desired while there is room elsewhere.
 */
export function drainBudget(spec: DeepReadonly<{ updateConfig: { parallelism: number } }>): number {
  const p = spec.updateConfig.parallelism;
  return p > 0 ? p : Number.POSITIVE_INFINITY;
}

/** The stop reason of a copy a rebalance moved starts with this (rebalance/progress.ts counts its move done). */
export const REBALANCED = 'rebalanced';

/** A failed replica is replaced no sooner than this after it failed (or its policy's delay, if longer). */
export const MIN_REPLACE_DELAY_MS = 5000;

export interface Slot {
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  /** A global service's slot is placed on its node only; so is a sticky one on its home. */
  readonly nodeId?: string;
  /** A sticky slot: why it is pinned, for explanations (sticky.ts pinReason). */
  readonly pinReason?: string;
}

export interface ReconcileDecision {
  /** Slots with no live allocation of the current generation: place a new one. */
  readonly place: Slot[];
  /** Allocations to stop (desired -> stop), with the reason. */
  readonly stop: { readonly allocationId: string; readonly reason: string }[];
  /** Lost allocations whose node came back still running them while their slot has nothing running: run them again. */
  readonly revive: string[];
  /** Stopped allocations whose container is gone from a reachable node: delete the record. */
  readonly forget: string[];
}

const gone = (s: NodeStatus | undefined) => s === undefined || s === 'down' || s === 'left';

/** A replica of a service with `x-baton.on_disconnect.replace_after` on a node down since `sinceMs` is not replaced yet. */
function waitsForNode(policy: DeepReadonly<ServiceSpec['onDisconnect']>, sinceMs: number, nowMs: number): boolean {
  const after = policy?.replaceAfterMs;
  if (after === undefined) return false;
  return after === 'never' || nowMs - sinceMs < after;
}

/**
 * The agent reported the replica failed (a start the engine refused, or a crash its restart policy
 * gave up on) and it is not running: as Swarm replaces a failed task, a new allocation is placed,
 * possibly on another node, after the policy's delay (at least MIN_REPLACE_DELAY_MS, so a
 * replica that can never start does not spin). Condition `none` means never.
 */
function replaceable(a: Alloc, policy: { condition: string; delayMs: number }, input: ReconcileInput): boolean {
  if (a.observed?.state !== 'failed' || policy.condition === 'none') return false;
  if (input.observed.get(a.id) === 'running') return false;
  return input.nowMs - a.observed.atMs >= Math.max(MIN_REPLACE_DELAY_MS, policy.delayMs);
}

export function reconcile(input: ReconcileInput): ReconcileDecision {
  const place: Slot[] = [];
  const stop: { allocationId: string; reason: string }[] = [];
  const revive: string[] = [];
  const forget: string[] = [];
  const running = (a: Alloc) => input.observed.get(a.id) === 'running' && !gone(input.nodes.get(a.nodeId)?.status);
  const serving = (a: Alloc) => running(a) && (input.serving === undefined || input.serving.has(a.id));
  const draining = (a: Alloc) => input.nodes.get(a.nodeId)?.draining === true;
  const rebalancing = input.moves ?? new Map<string, string>();
  // Anything on the move this round: a draining node's replicas, or a rebalance's.
  const anyMoving = rebalancing.size > 0 || [...input.nodes.values()].some((n) => n.draining);

  // By stack, then service: keyed by the records' own strings, not a `stack/service` string built
  // per allocation (two per allocation and round, at 100,000 allocations most of a round's time).
  const byService = new Map<string, Map<string, Alloc[]>>();
  for (const a of input.allocations) {
    let services = byService.get(a.stack);
    if (!services) byService.set(a.stack, (services = new Map()));
    const list = services.get(a.service);
    if (list) list.push(a);
    else services.set(a.service, [a]);
  }

  // The nodes as global services' slots read them, built once and only if a global service exists.
  let slotNodes: SlotNode[] | undefined;
  const slotNodesOf = () =>
    (slotNodes ??= [...input.nodes].map(([id, n]) => ({ id, name: n.name ?? id, labels: n.labels ?? {}, status: n.status, ...(n.role ? { role: n.role } : {}) })));

  const desiredServices = new Map<string, Set<string>>();
  for (const stack of input.stacks) {
    let names = desiredServices.get(stack.name);
    if (!names) desiredServices.set(stack.name, (names = new Set()));
    for (const [name, svc] of Object.entries(stack.services)) {
      const key = `${stack.name}/${name}`;
      names.add(name);
      const gate = input.rollouts?.get(key);
      const all = byService.get(stack.name)?.get(name) ?? [];
      const global = svc.spec.mode === 'global';
      // A sticky slot goes back to its home only, however it lost its replica (sticky.ts).
      const sticky = isSticky(svc.spec);
      const desired = desiredSlots(svc.spec, svc.replicas, all, global ? slotNodesOf() : []);
      const live: Alloc[] = [];
      for (const a of all) {
        if (a.desired !== 'run') continue;
        const nodeStatus = input.nodes.get(a.nodeId)?.status;
        // A global replica belongs to its node: it goes when the node goes and is not moved (the
        // `node ` prefix is what lets the reconciler take the copy back when the node returns).
        if (global && gone(nodeStatus)) stop.push({ allocationId: a.id, reason: `node ${nodeStatus ?? 'unknown'}: a global replica stays with its node` });
        else if (global && desired.slotOf!.get(a.nodeId) === undefined) stop.push({ allocationId: a.id, reason: 'its node no longer meets the constraints' });
        else if (global && desired.slotOf!.get(a.nodeId) !== a.replica) stop.push({ allocationId: a.id, reason: `its node runs ${name}.${desired.slotOf!.get(a.nodeId)} (one replica per node)` });
        else if (!global && a.replica > svc.replicas) stop.push({ allocationId: a.id, reason: 'scaled down' });
        // x-baton.on_disconnect: a replica on a node that went down waits (not replaced) for a while, or for good.
        else if (nodeStatus === 'down' && !global && waitsForNode(svc.spec.onDisconnect, input.nodes.get(a.nodeId)?.statusSinceMs ?? 0, input.nowMs)) live.push(a);
        else if (gone(nodeStatus)) stop.push({ allocationId: a.id, reason: `node ${nodeStatus ?? 'unknown'}: ${sticky && nodeStatus !== undefined ? 'a sticky replica waits for its node' : 'rescheduled'}` });
        else if (replaceable(a, svc.spec.restartPolicy, input)) stop.push({ allocationId: a.id, reason: `failed: ${a.observed!.error || `exit code ${a.observed!.exitCode}`}` });
        // A drain's deadline passed: what has not moved stops here (a global replica stays with its node).
        else if (!global && input.nodes.get(a.nodeId)?.drainExpired) stop.push({ allocationId: a.id, reason: 'drain deadline passed: stopped on its draining node' });
        else live.push(a);
      }
      // Per slot, in the order above (one pass each, not one scan per slot: a service may have
      // thousands of replicas).
      const liveBySlot = groupByReplica(live);
      const stoppedBySlot = groupByReplica(all.filter((a) => a.desired === 'stop'));
      // A drain moves a replicated service's slots off draining nodes, at most its budget on the
      // move at once (not during its rollout, which replaces them anyway). On the move: a slot
      // with a copy on a draining node and one elsewhere that does not serve yet.
      // A replica whose node no longer meets the service's constraints (`baton node label`) moves the same way.
      const constraints = svc.spec.constraints as ServiceSpec['constraints'];
      const misplaced = (a: Alloc): string | undefined => {
        if (constraints.length === 0) return undefined;
        const n = input.nodes.get(a.nodeId);
        if (!n?.labels) return undefined;
        return firstFailedConstraint({ id: a.nodeId, name: n.name ?? a.nodeId, labels: n.labels, ...(n.role ? { role: n.role } : {}) }, constraints)?.text;
      };
      const moves = (a: Alloc) => draining(a) || rebalancing.has(a.id) || misplaced(a) !== undefined;
      const drains = !global && !gate && (anyMoving || constraints.length > 0) && live.some(moves);
      let moving = 0;
      if (drains) {
        for (const cands of liveBySlot.values()) {
          const current = cands.filter((a) => runsCurrentSpec(a, svc));
          if (current.some(moves) && current.some((a) => !moves(a)) && !current.some((a) => !moves(a) && serving(a))) moving++;
        }
      }
      const budget = drains ? drainBudget(svc.spec) : 0;
      for (const replica of desired.slots) {
        const cands = liveBySlot.get(replica) ?? [];
        // A lost copy of this slot that runs again on its returned node, while nothing else runs
        // the slot: keep it and drop the replacements that have not started, rather than stop
        // the one running copy (never zero because of a handover).
        const home = sticky ? homeOf(svc, replica, (id) => input.nodes.has(id)) : undefined;
        const nodeId = desired.nodeOf?.get(replica) ?? home;
        const back = cands.some(running)
          ? undefined
          : stoppedBySlot.get(replica)?.find((a) => runsCurrentSpec(a, svc) && a.stopReason?.startsWith('node ') && running(a) && input.nodes.get(a.nodeId)?.connected && (nodeId === undefined || a.nodeId === nodeId));
        if (back) {
          revive.push(back.id);
          for (const a of cands) stop.push({ allocationId: a.id, reason: `superseded by ${back.id}, running again on its node` });
          continue;
        }
        const current = cands.filter((a) => runsCurrentSpec(a, svc));
        if (current.length === 0) {
          // During a rollout an old copy waits for its slot's turn; a slot with nothing left is
          // filled at once (never empty for pacing), unless its new replica failed in this rollout.
          if (gate && (gate.hold.has(replica) || (cands.length > 0 && !gate.place.has(replica)))) continue;
          place.push(nodeId === undefined ? { stack: stack.name, service: name, replica } : { stack: stack.name, service: name, replica, nodeId, ...(home !== undefined ? { pinReason: pinReason(svc.spec) } : {}) });
          continue;
        }
        if (drains && current.some(moves)) {
          const elsewhere = current.filter((a) => !moves(a));
          const ready = elsewhere.find(serving);
          if (!ready) {
            // Only copies on draining (or no longer matching) nodes: start a replacement elsewhere if the budget allows
            // (a sticky slot cannot leave its data: it stays, and the drain reports it).
            if (elsewhere.length === 0 && home === undefined && moving < budget) {
              moving++;
              // A rebalanced copy's replacement goes to the node the rebalance chose (unless its node also drains).
              const to = current.every((a) => !draining(a) && misplaced(a) === undefined) ? current.map((a) => rebalancing.get(a.id)).find((n) => n !== undefined) : undefined;
              place.push(to === undefined ? { stack: stack.name, service: name, replica } : { stack: stack.name, service: name, replica, nodeId: to });
            }
            continue;
          }
          for (const a of cands) {
            if (a === ready) continue;
            const unmet = draining(a) ? undefined : misplaced(a);
            const off = draining(a) ? 'drained' : unmet !== undefined ? `its node no longer meets ${unmet}` : rebalancing.has(a.id) ? REBALANCED : undefined;
            stop.push({ allocationId: a.id, reason: off ? `${off}: replaced by ${ready.id}` : `duplicate of ${ready.id}` });
          }
          continue;
        }
        // Keep one current allocation: a running one if any, else the newest. Others are stopped
        // once the kept one runs (never zero replicas because of a handover).
        const keep = current.find(running) ?? [...current].sort((a, b) => b.createdAtMs - a.createdAtMs)[0]!;
        if (!running(keep)) continue;
        for (const a of cands) {
          if (a === keep) continue;
          if (runsCurrentSpec(a, svc)) stop.push({ allocationId: a.id, reason: `duplicate of ${keep.id}` });
          // Under a rollout the old copy goes when the new one counts as updated (the step says).
          else if (!gate) stop.push({ allocationId: a.id, reason: `replaced by generation ${svc.generation}` });
        }
      }
    }
  }

  const revived = new Set(revive);
  for (const a of input.allocations) {
    if (a.desired === 'run' && !desiredServices.get(a.stack)?.has(a.service)) stop.push({ allocationId: a.id, reason: 'removed' });
    if (a.desired === 'stop' && !revived.has(a.id)) {
      const node = input.nodes.get(a.nodeId);
      // Forget only when the node is reachable and no longer reports a container for it.
      if (!node || (node.connected && node.status === 'ready' && node.engineUp !== false && !input.observed.has(a.id))) forget.push(a.id);
    }
  }
  return { place, stop, revive, forget };
}

/** Allocations by replica slot, each list in the order given. */
function groupByReplica(allocations: readonly Alloc[]): Map<number, Alloc[]> {
  const out = new Map<number, Alloc[]>();
  for (const a of allocations) {
    const list = out.get(a.replica);
    if (list) list.push(a);
    else out.set(a.replica, [a]);
  }
  return out;
}
