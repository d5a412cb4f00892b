// The control loop: every round reads the pool once, steps each running rollout (which slots may
// move to the new spec, which old copies go), decides with the pure reconciler under those gates,
// places new replicas with the scheduler, commits the plan through the plan applier (which
// re-checks each placement), makes it durable with the rollouts' progress, and only then lets the
// dispatcher command the agents. A coordinator killed at any moment therefore never leaves
// containers it cannot name, and resumes a rollout from the store and the nodes' reports.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { SHORT_ID_LENGTH } from '../shared/model/labels.js';
import type { Dispatcher } from './dispatcher.js';
import type { EventLog } from './event-log.js';
import type { EndpointPublisher } from './ingress/endpoint-publisher.js';
import type { Volumes } from './volumes.js';
import type { NodePool, NodeView } from './node-pool.js';
import { dependencyProgress, dependents, waitingServices } from './dependency-gate.js';
import { desiredSlots } from './desired-slots.js';
import { observedReplicas, servingReplicas, type ObservedNow } from './observed.js';
import { applyPlan } from './plan-apply.js';
import { reconcile, type NodeLiveness } from './reconciler.js';
import { pendingMoves, stepRebalance } from './rebalance/progress.js';
import { rolloutInputOf } from './rollout/from-state.js';
import { rolloutStep, type RollbackRequest, type RolloutDecision, type RolloutGate } from './rollout/step.js';
import { planBatch, snapshotOf, type ReplicaRequest } from './scheduler/index.js';
import { replicaRequestsFor } from './scheduler/requests.js';
import { recordHome } from './sticky.js';
import { drainExpired, type NodeSchedules } from './node-schedule.js';
import type { NodeHealthMonitor } from './node-health.js';
import type { FlapTracker } from './node-flaps.js';
import { groupByService, parseSlotKey, serviceKey, slotKey, slotKeyOf, splitServiceKey, type SlotRef } from './slot-key.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';
import type { Store } from './store/store.js';

export interface ControlLoopOptions {
  /** How often a round runs without being kicked. @default 1000 */
  loopMs?: number;
  /** Time the scheduler may spend improving a round's batch. @default 50 */
  improveBudgetMs?: number;
  /** Draws allocation ids. @default randomAllocationId */
  newId?: (slot: SlotRef) => string;
  /** Where rollout events go (progress, failures, pauses, rollbacks); none when absent. */
  events?: EventLog;
  /** Sends the nodes the endpoint set after every round's decisions; no ingress when absent. */
  endpoints?: EndpointPublisher;
  /** Cordon and drain (node-schedule.ts): drains are marked done each round; none when absent. */
  schedules?: NodeSchedules;
  /** Unhealthy nodes (node-health.ts), judged every round; none when absent. */
  health?: NodeHealthMonitor;
  /** Flapping nodes' holds (node-flaps.ts), expired every round; none when absent. */
  flaps?: FlapTracker;
  /** Tells nodes to remove a removed stack's volumes (`rm --volumes`) once its containers are gone there. */
  volumes?: Pick<Volumes, 'dispatch'>;
}

/** Carries out an automatic rollback (Stacks.autoRollback: the desired-state writer); false when it cannot. */
export type RollbackHandler = (req: RollbackRequest & { stack: string; service: string }) => boolean;

/** A replica that could not be placed in the last round, and why. */
export interface PendingReplica {
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  readonly reason: string;
  /** unplaced: no node fits (or the commit rejected it); waiting: a depends_on condition is not met yet. */
  readonly kind: 'unplaced' | 'waiting';
}

/** Least time between two rounds started by kicks. */
const KICK_SPACING_MS = 100;
/**
 * Kicked rounds take at most about 1/(1 + this) of a core: after a round, the next kicked one
 * waits this many times the round's own compute (never longer than the timed interval), and a
 * round kicked while one runs waits at least KICK_SPACING_MS too. A round at 7,000 nodes takes
 * about 8 ms; run at every hello of a join storm (60 a second), rounds took 57% of the coordinator
 * and the hellos waited behind them (bench:ingest --agents 10000 profile). A round of a small
 * cluster (1 ms) delays a kick by 9 ms at most.
 */
const KICK_COST_FACTOR = 9;

/** `<12 random hex>-stack.service.N`: random first, since agents name containers by the first SHORT_ID_LENGTH characters. */
export function randomAllocationId(slot: SlotRef): string {
  return `${randomBytes(SHORT_ID_LENGTH / 2).toString('hex')}-${slot.stack}.${slot.service}.${slot.replica}`;
}

export class ControlLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** performance.now() before which a kick waits: the last round's compute times KICK_COST_FACTOR after it ended. */
  private nextKickAtMs = 0;
  /** `stack/service#replica` -> why it could not be placed in the last round. */
  private readonly pending = new Map<string, string>();
  /** `stack/service#replica` -> what it waits for (depends_on), as of the last round. */
  private readonly waiting = new Map<string, string>();
  /** The last round left a rollout running or a dependent waiting: a change in what nodes report starts a round. */
  private eager = false;
  private readonly loopMs: number;
  private readonly improveBudgetMs: number;
  private readonly newId: (slot: SlotRef) => string;
  private readonly events: EventLog | undefined;
  private readonly endpoints: EndpointPublisher | undefined;
  private readonly schedules: NodeSchedules | undefined;
  private readonly health: NodeHealthMonitor | undefined;
  private readonly flaps: FlapTracker | undefined;
  private readonly volumes: ControlLoopOptions['volumes'];
  private rollbackHandler: RollbackHandler | undefined;
  private restartHandler: ((stack: string, dependency: string) => string[]) | undefined;

  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: ControlLoopOptions = {},
  ) {
    this.loopMs = options.loopMs ?? 1000;
    this.improveBudgetMs = options.improveBudgetMs ?? 50;
    this.newId = options.newId ?? randomAllocationId;
    this.events = options.events;
    this.endpoints = options.endpoints;
    this.schedules = options.schedules;
    this.health = options.health;
    this.flaps = options.flaps;
    // A node's status change feeds its flap history (down, then back: maybe held).
    if (this.flaps) {
      const flaps = this.flaps;
      pool.onStatusChange((node, from, to) => flaps.onStatus(node, from, to, clock.now()));
    }
    this.volumes = options.volumes;
  }

  /** Who rolls a service back when its rollout fails (set once the desired-state API exists). */
  onRollback(handler: RollbackHandler): void {
    this.rollbackHandler = handler;
  }

  /** Restarts the dependents (depends_on restart: true) of a service whose rollout completed (Stacks.restartDependents). */
  onDependencyUpdated(handler: (stack: string, dependency: string) => string[]): void {
    this.restartHandler = handler;
  }

  start(): void {
    this.timer = setInterval(() => void this.kick(), this.loopMs);
    this.pool.onStatusChange(() => void this.kick());
    // While a rollout runs or a dependent waits, a replica turning healthy (or failing) is what the
    // next step waits for: act on it now rather than at the next timed round. With services in the
    // endpoint set, the same change (health, state, address) may move an endpoint: every node's
    // ingress should hear of it within the heartbeat it was reported in.
    this.pool.onContainersChange(() => {
      if (this.eager || (this.endpoints?.current()?.model.services.length ?? 0) > 0) void this.kick();
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Runs a round now (or right after the current one; or, right after a costly round, once the
   * spacing it earned has passed); resolves when no round is left to run.
   */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const waitMs = this.nextKickAtMs - performance.now();
    this.running = (async () => {
      try {
        // Kicks that come between rounds (a round is synchronous up to its write, so every hello
        // of a join storm comes between two) wait out the last round's earned spacing together.
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
        do {
          this.again = false;
          // The round's compute is its synchronous part: it awaits only the store's write.
          const t0 = performance.now();
          const round = this.round();
          const computeMs = performance.now() - t0;
          await round;
          const earnedMs = Math.min(this.loopMs, KICK_COST_FACTOR * computeMs);
          this.nextKickAtMs = performance.now() + earnedMs;
          // Kicks arrive in bursts (every agent's session start, every status change): rounds
          // run at most every KICK_SPACING_MS so a thousand joins do not mean a thousand rounds,
          // and further apart when a round is costly (KICK_COST_FACTOR).
          if (this.again) await new Promise((r) => setTimeout(r, Math.max(KICK_SPACING_MS, earnedMs)));
        } while (this.again);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'reconcile round failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Replicas the last round could not place (optionally of one stack), with the reasons. */
  unplaced(stack?: string): PendingReplica[] {
    const out: PendingReplica[] = [];
    for (const [kind, map] of [['unplaced', this.pending], ['waiting', this.waiting]] as const) {
      for (const [key, reason] of map) {
        const slot = parseSlotKey(key);
        if (stack === undefined || slot.stack === stack) out.push({ ...slot, reason, kind });
      }
    }
    return out;
  }

  private async round(): Promise<void> {
    const state = this.store.state;
    // Nothing desired and nothing placed: nothing to decide (a pool of agents without services).
    if (Object.keys(state.stacks).length === 0 && Object.keys(state.allocations).length === 0 && this.pending.size === 0 && this.waiting.size === 0) {
      // The last service went: the nodes still route it until they are sent the empty set.
      if (this.endpoints?.current()?.model.services.length) this.publishEndpoints(this.pool.list(), new Map());
      this.schedules?.finishDrains(this.clock.now());
      this.health?.evaluate(this.pool.list(), [], this.clock.now());
      // The last stack went with --volumes: its volumes go once its containers are gone.
      if (Object.keys(state.volumeRemovals).length) this.volumes?.dispatch(this.pool.list(), this.clock.now());
      return;
    }
    const now = this.clock.now();
    let views = this.pool.list();
    // A node that turned unhealthy (or healthy), or whose hold ran out, this round is seen so by this round's decisions.
    const expired = this.flaps?.expire(now) === true;
    if (this.health?.evaluate(views, this.store.allocations(), now) || expired) views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const nodes = new Map<string, NodeLiveness>(
      views.map((n) => [
        n.id,
        {
          status: n.status, statusSinceMs: n.statusSinceMs, connected: n.connected, engineUp: n.dockerUp, name: n.name, labels: n.labels, ...(n.role ? { role: n.role } : {}),
          ...(n.schedule?.state === 'draining' ? { draining: true, ...(drainExpired(n.schedule, now) ? { drainExpired: true } : {}) } : n.unhealthy ? { draining: true } : {}),
        },
      ]),
    );
    // What a drain waits for before it stops a copy: its replacement running and healthy (or unchecked).
    const serving = servingReplicas(observed);
    // The allocations by service, grouped at most once a round and only when a rollout or a
    // dependency needs them.
    let grouped: Map<string, DeepReadonly<AllocationRecord>[]> | undefined;
    const byService = () => (grouped ??= groupByService(this.store.allocations()));
    // Each global service's slots (one per eligible node), worked out at most once a round.
    const globalSlots = new Map<string, readonly number[]>();
    const globalSlotsOf = (stack: string, service: string): readonly number[] | undefined => {
      const svc = state.stacks[stack]?.services[service];
      if (svc?.spec.mode !== 'global') return undefined;
      const key = serviceKey(stack, service);
      let slots = globalSlots.get(key);
      if (!slots) globalSlots.set(key, (slots = desiredSlots(svc.spec, svc.replicas, byService().get(key) ?? [], views).slots));
      return slots;
    };
    const steps = this.stepRollouts(views, observed, byService, globalSlotsOf, now);
    const gates = new Map<string, RolloutGate>();
    for (const [key, step] of steps) if (step.gate) gates.set(key, step.gate);
    // An applied `baton rebalance`: its pending moves, each to a node that still takes work.
    const viewsById = new Map(views.map((n) => [n.id, n]));
    const moves = pendingMoves(state.rebalance, state.allocations, viewsById);
    const d = reconcile({
      stacks: Object.values(state.stacks),
      allocations: this.store.allocations(),
      nodes,
      observed: new Map([...observed].map(([id, o]) => [id, o.state])),
      nowMs: now,
      rollouts: gates,
      serving,
      ...(moves.size ? { moves } : {}),
    });
    const stopping = new Set(d.stop.map((s) => s.allocationId));
    for (const step of steps.values()) for (const st of step.stop) if (!stopping.has(st.allocationId)) {
      stopping.add(st.allocationId);
      d.stop.push(st);
    }
    const rolloutsChanged = [...steps.values()].some((st) => st.changed);

    // depends_on: slots of a service whose dependencies are not there yet wait (not placed).
    const waitingFor = waitingServices(dependents(state.stacks), dependencyProgress(state.stacks, byService, observed, globalSlotsOf));
    this.waiting.clear();
    let place = d.place;
    if (waitingFor.size) {
      place = place.filter((slot) => {
        const why = waitingFor.get(serviceKey(slot.stack, slot.service));
        if (why) this.waiting.set(slotKey(slot), why);
        return !why;
      });
    }
    this.eager = this.waiting.size > 0 || [...steps.values()].some((st) => st.gate !== undefined) || state.rebalance?.state === 'running';

    // Place new allocations as one batch against a snapshot of this round's pool listing.
    const requests: ReplicaRequest[] = [];
    for (const slot of place) {
      const svc = state.stacks[slot.stack]!.services[slot.service]!;
      for (const r of replicaRequestsFor(slot.stack, svc.spec, [slot.replica])) requests.push(slot.nodeId === undefined ? r : { ...r, nodeId: slot.nodeId, ...(slot.pinReason ? { pinReason: slot.pinReason } : {}) });
    }
    const plan = requests.length
      ? planBatch(snapshotOf(views, this.store.allocations()), requests, { improveBudgetMs: this.improveBudgetMs })
      : { placements: [], unplaced: [] };
    const applied = applyPlan({ state, placements: plan.placements, requests, nowMs: now, newId: this.newId });
    this.pending.clear();
    for (const u of plan.unplaced) this.pending.set(slotKeyOf(u.service, u.replica), u.reason);
    for (const r of applied.rejected) {
      this.pending.set(slotKeyOf(r.service, r.replica), `placement rejected at commit: ${r.reason}`);
      this.log.warn({ service: r.service, replica: r.replica, nodeId: r.nodeId, reason: r.reason }, 'placement rejected at commit');
    }

    if (applied.records.length || d.stop.length || d.revive.length || d.forget.length || rolloutsChanged) {
      this.store.transact((s) => {
        // The spec each runs, by hash: what rollouts and the reconciler match on.
        for (const rec of applied.records) {
          s.allocations[rec.id] = { ...rec, specHash: s.stacks[rec.stack]!.services[rec.service]!.specHash };
          // A sticky slot's first node is its home from now on (written with the allocation, before any agent hears of it).
          recordHome(s, rec.stack, rec.service, rec.replica, rec.nodeId);
        }
        for (const [key, step] of steps) if (step.changed && s.rollouts[key]) s.rollouts[key] = step.record;
        for (const stop of d.stop) {
          const a = s.allocations[stop.allocationId];
          if (a && a.desired === 'run') {
            a.desired = 'stop';
            a.stopReason = stop.reason;
          }
        }
        for (const id of d.revive) {
          const a = s.allocations[id];
          if (a) {
            a.desired = 'run';
            delete a.stopReason;
          }
        }
        for (const id of d.forget) delete s.allocations[id];
      });
      const names = new Map(views.map((n) => [n.id, n.name]));
      for (const rec of applied.records) this.log.info({ service: `${rec.stack}/${rec.service}`, replica: rec.replica, node: names.get(rec.nodeId) }, 'placed');
      for (const stop of d.stop) this.log.info({ allocationId: stop.allocationId, reason: stop.reason }, 'stopping');
    }
    for (const [key, step] of steps) {
      for (const e of step.events) this.events?.append({ type: e.type, nodeId: '', nodeName: '', from: '', to: '', reason: e.reason, message: `${splitServiceKey(key)[0]}/${e.message}` });
      if (step.rollback) this.rollBack(key, step.rollback);
      if (step.events.some((e) => e.type === 'rollout.completed') && this.restartHandler) {
        const [stack, service] = splitServiceKey(key);
        if (this.restartHandler(stack, service).length) this.again = true;
      }
    }
    // The rebalance's moves: done once their old copy stopped, dropped when their replacement cannot go where it was to.
    const rebalanced = state.rebalance?.state === 'running' && this.stepRebalance(moves, place, plan.unplaced, applied.rejected, viewsById, observed, now);
    // Drains with nothing left are done; what a deadline stopped is recorded with its node.
    if (this.schedules) {
      const lost = new Map<string, string[]>();
      for (const st of d.stop) {
        if (!st.reason.startsWith('drain deadline')) continue;
        const a = state.allocations[st.allocationId];
        if (a) lost.set(a.nodeId, [...(lost.get(a.nodeId) ?? []), `${a.stack}/${a.service}.${a.replica}`]);
      }
      this.schedules.finishDrains(now, lost);
    }
    // Durable before any agent hears of it.
    if (applied.records.length || d.stop.length || d.revive.length || d.forget.length || rolloutsChanged || rebalanced) await this.store.flush();
    // After the decisions and before the commands: a replica this round stops leaves every node's
    // set in the message before its stop command (the agent drains it then).
    this.publishEndpoints(views, observed);
    this.dispatcher.dispatch(views, observed, now);
    // After this round's stops: a stack's volumes go only once its containers and records are gone.
    this.volumes?.dispatch(views, now);
  }

  /** Writes the rebalance record's progress after this round's decisions (rebalance/progress.ts). */
  private stepRebalance(
    moves: ReadonlyMap<string, string>,
    place: readonly { stack: string; service: string; replica: number; nodeId?: string }[],
    unplaced: readonly { service: string; replica: number; reason: string }[],
    rejected: readonly { service: string; replica: number; reason: string }[],
    viewsById: ReadonlyMap<string, NodeView>,
    reported: ReadonlyMap<string, ObservedNow>,
    now: number,
  ): boolean {
    const refused = new Map<string, string>();
    if (moves.size) {
      // The slot of each pending move, to find its replacement among this round's refusals.
      const bySlot = new Map<string, string>();
      for (const id of moves.keys()) {
        const a = this.store.state.allocations[id];
        if (a) bySlot.set(slotKeyOf(serviceKey(a.stack, a.service), a.replica), id);
      }
      const pinned = new Set(place.filter((p) => p.nodeId !== undefined).map((p) => slotKeyOf(serviceKey(p.stack, p.service), p.replica)));
      for (const u of [...unplaced, ...rejected]) {
        const key = slotKeyOf(u.service, u.replica);
        const id = bySlot.get(key);
        if (id && pinned.has(key)) refused.set(id, u.reason);
      }
    }
    const next = stepRebalance(this.store.state.rebalance, { allocations: this.store.state.allocations, nodes: viewsById, refused, reported, nowMs: now });
    if (!next) return false;
    const before = this.store.state.rebalance!;
    this.store.transact((s) => {
      if (s.rebalance?.id === next.id) s.rebalance = next;
    });
    for (const m of next.moves) {
      const was = before.moves.find((b) => b.allocationId === m.allocationId);
      if (m.state === 'dropped' && was?.state === 'pending') {
        this.log.warn({ allocationId: m.allocationId, to: m.to, reason: m.reason }, 'rebalance move dropped');
        this.events?.append({ type: 'rebalance.dropped', nodeId: m.to, nodeName: viewsById.get(m.to)?.name ?? m.to, from: '', to: '', reason: m.reason ?? '', message: `${m.stack}/${m.service}.${m.replica}` });
      }
    }
    if (next.state === 'completed') {
      const done = next.moves.filter((m) => m.state === 'done').length;
      this.events?.append({ type: 'rebalance.completed', nodeId: '', nodeName: '', from: 'running', to: 'completed', reason: `${done} of ${next.moves.length} moves done in ${((now - next.startedAtMs) / 1000).toFixed(1)} s`, message: next.id });
    }
    return true;
  }

  /** A fault in the endpoint model is logged, never a reason to leave the round's commands unsent. */
  private publishEndpoints(views: readonly NodeView[], observed: ReadonlyMap<string, ObservedNow>): void {
    if (!this.endpoints) return;
    try {
      this.endpoints.publish({ stacks: this.store.state.stacks, allocations: this.store.allocations(), observed, nodes: views });
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'endpoint set not published');
    }
  }

  /** Steps every rollout that is not over, from the store and this round's reports. */
  private stepRollouts(
    views: readonly NodeView[],
    observed: ReadonlyMap<string, ObservedNow>,
    byService: () => ReadonlyMap<string, readonly DeepReadonly<AllocationRecord>[]>,
    globalSlotsOf: (stack: string, service: string) => readonly number[] | undefined,
    now: number,
  ): Map<string, RolloutDecision> {
    const state = this.store.state;
    const out = new Map<string, RolloutDecision>();
    const active = Object.entries(state.rollouts).filter(([, r]) => r.state !== 'completed');
    if (active.length === 0) return out;
    const connected = new Set(views.filter((n) => n.connected).map((n) => n.id));
    const allocations = byService();
    const unplaced = new Map<string, Map<number, string>>();
    for (const [slotKeyText, reason] of this.pending) {
      const slot = parseSlotKey(slotKeyText);
      const key = serviceKey(slot.stack, slot.service);
      if (!unplaced.has(key)) unplaced.set(key, new Map());
      unplaced.get(key)!.set(slot.replica, reason);
    }
    for (const [key, record] of active) {
      const [stack, service] = splitServiceKey(key);
      const svc = state.stacks[stack]?.services[service];
      // Stacks writes the spec and its rollout together; a mismatch is a record left behind.
      if (!svc || svc.specHash !== record.targetSpecHash) continue;
      const slots = globalSlotsOf(stack, service);
      const input = rolloutInputOf({ service, svc, record, allocations: allocations.get(key) ?? [], observed, connected, unplaced: unplaced.get(key) ?? new Map(), nowMs: now, ...(slots ? { slots } : {}) });
      out.set(key, rolloutStep(input));
    }
    return out;
  }

  /** Hands a rollback to the desired-state writer; when it cannot, the rollout pauses with the reason. */
  private rollBack(key: string, req: RollbackRequest): void {
    const [stack, service] = splitServiceKey(key);
    const done = this.rollbackHandler?.({ ...req, stack, service }) ?? false;
    if (done) {
      // The spec changed under this round: the next one works toward it.
      this.again = true;
      return;
    }
    this.store.transact((s) => {
      const r = s.rollouts[key];
      if (!r || r.state !== 'running') return;
      r.state = 'paused';
      r.reason = `${req.reason.replace(/: rolling back to generation \d+$/, '')}: update paused (generation ${req.toGeneration} is no longer kept to roll back to)`;
    });
    this.log.warn({ service: key, reason: req.reason }, 'rollback not possible: rollout paused');
  }
}
