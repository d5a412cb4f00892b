// `baton rebalance`: plans a rebalance over the current state (plan.ts) and, unless it is a dry
// run, stores its moves for the control loop to carry out (progress.ts); the store is the writer.
// Only an operator starts one: nothing here runs by itself.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, InputError, NotFoundError } from '../../shared/errors.js';
import type { EventLog } from '../event-log.js';
import type { NodeView } from '../node-pool.js';
import { observedReplicas, servingReplicas } from '../observed.js';
import type { DeepReadonly, RebalanceRecord } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { planRebalance, type LoadMetrics, type RebalancePlan } from './plan.js';

/** What the rebalancer reads of the pool (NodePool.list). */
export interface NodeListing {
  list(): NodeView[];
}

export interface RebalanceRequest {
  /** '' or undefined: every stack. */
  readonly stack?: string;
  /** '' or undefined: binpack. */
  readonly strategy?: string;
  readonly dryRun: boolean;
}

/** A rebalance as the CLI sees it: a dry run's plan, or an applied one with its moves' progress. Node names, not ids. */
export interface RebalanceView {
  /** '' for a dry run. */
  readonly id: string;
  readonly strategy: string;
  readonly dryRun: boolean;
  /** planned (dry run), running, completed; none: nothing to move (or no rebalance was ever applied). */
  readonly state: 'planned' | 'running' | 'completed' | 'none';
  readonly moves: readonly { allocationId: string; stack: string; service: string; replica: number; from: string; to: string; state: string; reason: string }[];
  readonly before: LoadMetrics;
  readonly after: LoadMetrics;
  readonly freed: readonly string[];
  readonly reason: string;
  readonly skipped: RebalancePlan['skipped'];
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
}

const NO_LOAD: LoadMetrics = { nodesUsed: 0, maxCpu: 0, maxMemory: 0, maxReplicas: 0 };

export class Rebalancer {
  constructor(
    private readonly store: Store,
    private readonly pool: NodeListing,
    private readonly events: EventLog,
    private readonly clock: Clock,
    /** Draws a rebalance id. */
    private readonly newId: () => string = () => randomBytes(6).toString('hex'),
  ) {}

  /** Plans over the current state; without dry run, a plan with moves is stored and carried out by the control loop. */
  async rebalance(req: RebalanceRequest, who: string): Promise<RebalanceView> {
    const state = this.store.state;
    if (!req.dryRun && state.rebalance?.state === 'running') throw new ConflictError(`rebalance ${state.rebalance.id} is still running: start another once it is done`);
    const views = this.pool.list();
    const running = servingReplicas(observedReplicas(views, state.allocations));
    const moving = new Set(state.rebalance?.state === 'running' ? state.rebalance.moves.filter((m) => m.state === 'pending').map((m) => m.allocationId) : []);
    const r = planRebalance({
      stacks: state.stacks,
      allocations: this.store.allocations(),
      nodes: views,
      rollouts: state.rollouts,
      running,
      moving,
      ...(req.stack ? { stack: req.stack } : {}),
      ...(req.strategy ? { strategy: req.strategy } : {}),
    });
    if (!r.ok) throw r.kind === 'input' ? new InputError(r.error) : new NotFoundError(r.error, `stack ${req.stack}`);
    const plan = r.value;
    const names = new Map(views.map((n) => [n.id, n.name]));
    const name = (id: string) => names.get(id) ?? id;
    if (req.dryRun || plan.moves.length === 0) {
      return {
        id: '',
        strategy: plan.strategy,
        dryRun: req.dryRun,
        state: plan.moves.length ? 'planned' : 'none',
        moves: plan.moves.map((m) => ({ ...m, from: name(m.from), to: name(m.to), state: 'planned', reason: '' })),
        before: plan.before,
        after: plan.after,
        freed: plan.freed.map(name),
        reason: plan.reason,
        skipped: plan.skipped,
        startedAtMs: 0,
        finishedAtMs: 0,
      };
    }
    const now = this.clock.now();
    const record: RebalanceRecord = {
      id: this.newId(),
      strategy: plan.strategy,
      ...(req.stack ? { stack: req.stack } : {}),
      state: 'running',
      by: who,
      startedAtMs: now,
      moves: plan.moves.map((m) => ({ ...m, state: 'pending' })),
      before: { ...plan.before },
      after: { ...plan.after },
      freed: [...plan.freed],
    };
    this.store.transact((s) => {
      s.rebalance = record;
    });
    this.events.append({ type: 'rebalance.started', nodeId: '', nodeName: '', from: '', to: 'running', reason: `by ${who}`, message: `${record.id}: ${record.moves.length} moves (${plan.strategy}), nodes used ${plan.before.nodesUsed} -> ${plan.after.nodesUsed}` });
    await this.store.flush();
    return { ...this.viewOf(this.store.state.rebalance!, name), skipped: plan.skipped };
  }

  /** The rebalance with this id, or the latest one with '' (state `none` when none was ever applied). */
  status(id: string): RebalanceView {
    const rec = this.store.state.rebalance;
    if (id && rec?.id !== id) throw new NotFoundError(`id: no rebalance ${JSON.stringify(id)} (only the latest one is kept${rec ? `: ${rec.id}` : ''})`, `rebalance ${id}`);
    if (!rec) return { id: '', strategy: '', dryRun: false, state: 'none', moves: [], before: NO_LOAD, after: NO_LOAD, freed: [], reason: 'no rebalance was applied', skipped: [], startedAtMs: 0, finishedAtMs: 0 };
    const names = new Map(this.pool.list().map((n) => [n.id, n.name]));
    return this.viewOf(rec, (i) => names.get(i) ?? i);
  }

  private viewOf(rec: DeepReadonly<RebalanceRecord>, name: (id: string) => string): RebalanceView {
    return {
      id: rec.id,
      strategy: rec.strategy,
      dryRun: false,
      state: rec.state,
      moves: rec.moves.map((m) => ({ allocationId: m.allocationId, stack: m.stack, service: m.service, replica: m.replica, from: name(m.from), to: name(m.to), state: m.state, reason: m.reason ?? '' })),
      before: rec.before,
      after: rec.after,
      freed: rec.freed.map(name),
      reason: '',
      skipped: [],
      startedAtMs: rec.startedAtMs,
      finishedAtMs: rec.finishedAtMs ?? 0,
    };
  }
}
