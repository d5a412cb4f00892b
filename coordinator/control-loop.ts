// The control loop: every round reads the pool once, decides with the pure reconciler, places new
// replicas with the scheduler, commits the plan through the plan applier (which re-checks each
// placement), makes it durable, and only then lets the dispatcher command the agents. A
// coordinator killed at any moment therefore never leaves containers it cannot name.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { SHORT_ID_LENGTH } from '../shared/model/labels.js';
import type { Dispatcher } from './dispatcher.js';
import type { NodePool } from './node-pool.js';
import { observedReplicas } from './observed.js';
import { applyPlan } from './plan-apply.js';
import { reconcile, type NodeLiveness } from './reconciler.js';
import { planBatch, snapshotOf, type ReplicaRequest } from './scheduler/index.js';
import { replicaRequestsFor } from './scheduler/requests.js';
import { parseSlotKey, slotKeyOf, type SlotRef } from './slot-key.js';
import type { Store } from './store/store.js';

export interface ControlLoopOptions {
  /** How often a round runs without being kicked. @default 1000 */
  loopMs?: number;
  /** Time the scheduler may spend improving a round's batch. @default 50 */
  improveBudgetMs?: number;
  /** Draws allocation ids. @default randomAllocationId */
  newId?: (slot: SlotRef) => string;
}

/** A replica that could not be placed in the last round, and why. */
export interface PendingReplica {
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  readonly reason: string;
}

/** Least time between two rounds started by kicks. */
const KICK_SPACING_MS = 100;

/** `<12 random hex>-stack.service.N`: random first, since agents name containers by the first SHORT_ID_LENGTH characters. */
export function randomAllocationId(slot: SlotRef): string {
  return `${randomBytes(SHORT_ID_LENGTH / 2).toString('hex')}-${slot.stack}.${slot.service}.${slot.replica}`;
}

export class ControlLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** `stack/service#replica` -> why it could not be placed in the last round. */
  private readonly pending = new Map<string, string>();
  private readonly loopMs: number;
  private readonly improveBudgetMs: number;
  private readonly newId: (slot: SlotRef) => string;

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
  }

  start(): void {
    this.timer = setInterval(() => void this.kick(), this.loopMs);
    this.pool.onStatusChange(() => void this.kick());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a round now (or right after the current one); resolves when no round is left to run. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.round();
          // Kicks arrive in bursts (every agent's session start, every status change): rounds
          // run at most every KICK_SPACING_MS so a thousand joins do not mean a thousand rounds.
          if (this.again) await new Promise((r) => setTimeout(r, KICK_SPACING_MS));
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
    for (const [key, reason] of this.pending) {
      const slot = parseSlotKey(key);
      if (stack === undefined || slot.stack === stack) out.push({ ...slot, reason });
    }
    return out;
  }

  private async round(): Promise<void> {
    const state = this.store.state;
    // Nothing desired and nothing placed: nothing to decide (a pool of agents without services).
    if (Object.keys(state.stacks).length === 0 && Object.keys(state.allocations).length === 0 && this.pending.size === 0) return;
    const now = this.clock.now();
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const nodes = new Map<string, NodeLiveness>(views.map((n) => [n.id, { status: n.status, connected: n.connected, engineUp: n.dockerUp }]));
    const d = reconcile({
      stacks: Object.values(state.stacks),
      allocations: Object.values(state.allocations),
      nodes,
      observed: new Map([...observed].map(([id, o]) => [id, o.state])),
      nowMs: now,
    });

    // Place new allocations as one batch against a snapshot of this round's pool listing.
    const requests: ReplicaRequest[] = [];
    for (const slot of d.place) {
      const svc = state.stacks[slot.stack]!.services[slot.service]!;
      requests.push(...replicaRequestsFor(slot.stack, svc.spec, [slot.replica]));
    }
    const plan = requests.length
      ? planBatch(snapshotOf(views, Object.values(state.allocations)), requests, { improveBudgetMs: this.improveBudgetMs })
      : { placements: [], unplaced: [] };
    const applied = applyPlan({ state, placements: plan.placements, requests, nowMs: now, newId: this.newId });
    this.pending.clear();
    for (const u of plan.unplaced) this.pending.set(slotKeyOf(u.service, u.replica), u.reason);
    for (const r of applied.rejected) {
      this.pending.set(slotKeyOf(r.service, r.replica), `placement rejected at commit: ${r.reason}`);
      this.log.warn({ service: r.service, replica: r.replica, nodeId: r.nodeId, reason: r.reason }, 'placement rejected at commit');
    }

    if (applied.records.length || d.stop.length || d.revive.length || d.forget.length) {
      this.store.transact((s) => {
        for (const rec of applied.records) s.allocations[rec.id] = rec;
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
      // Durable before any agent hears of it.
      await this.store.flush();
    }
    this.dispatcher.dispatch(views, observed, now);
  }
}
