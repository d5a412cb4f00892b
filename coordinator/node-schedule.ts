// Cordon, uncordon and drain (`baton node cordon|uncordon|drain`), as Kubernetes and Nomad give
// them. A cordoned node takes no new work; what runs there stays. A draining node is cordoned and
// its replicas of replicated services move off: the reconciler starts each replacement elsewhere
// and stops the drained copy once the replacement serves, at most `update_config.parallelism`
// slots of a service on the move at once (reconciler.ts drainBudget), so a service never runs
// fewer than desired while there is room elsewhere. Global replicas stay with their node (as
// `kubectl drain --ignore-daemonsets`), and so does a sticky replica (its data is there). With a
// deadline, what is still there when it passes is stopped, and the drain says what was lost. Once
// nothing is left the node is `drained`, still cordoned, until `baton node uncordon` (nothing
// moves back by itself). The state is the node record's `schedule`, durable through restarts.
//
// Pure functions, plus NodeSchedules, which applies an operator's action through the store.
import type { EventLog } from './event-log.js';
import type { AllocationRecord, DeepReadonly, NodeRecord, NodeSchedule, StackRecord } from './store/schema.js';
import type { Store } from './store/store.js';

/** What NodeSchedules asks of the pool: a node by id or name (NodePool.get; not imported: the pool imports this module). */
export interface NodeLookup {
  get(idOrName: string): { readonly id: string; readonly name: string } | undefined;
}
import { InputError, NotFoundError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';

export type ScheduleAction = 'cordon' | 'uncordon' | 'drain';
const ACTIONS: readonly ScheduleAction[] = ['cordon', 'uncordon', 'drain'];

export function isScheduleAction(v: string): v is ScheduleAction {
  return (ACTIONS as readonly string[]).includes(v);
}

/** The schedule after `action` (undefined: schedulable). Draining again keeps the drain's start and takes the new deadline. Pure. */
export function nextSchedule(current: DeepReadonly<NodeSchedule> | undefined, action: ScheduleAction, nowMs: number, deadlineMs: number): NodeSchedule | undefined {
  if (action === 'uncordon') return undefined;
  if (action === 'cordon') return current && current.state !== 'cordoned' ? structuredClone(current) as NodeSchedule : { state: 'cordoned', sinceMs: current?.sinceMs ?? nowMs };
  const sinceMs = current?.state === 'draining' ? current.sinceMs : nowMs;
  return { state: 'draining', sinceMs, ...(deadlineMs > 0 ? { deadlineAtMs: nowMs + deadlineMs } : {}) };
}

/**
 * What a drain still has on each draining node: the replicas of replicated services that should
 * run there or are still stopping there (a stopped replica's record goes once its node no longer
 * reports the container), as `stack/service.N`, so a drain ends when its containers are gone, as
 * `kubectl drain` waits for its pods to terminate. Global replicas stay with their node and are
 * not counted. Pure.
 */
export function drainRemaining(
  nodes: Iterable<DeepReadonly<Pick<NodeRecord, 'id' | 'schedule'>>>,
  stacks: DeepReadonly<Record<string, StackRecord>>,
  allocations: Iterable<DeepReadonly<Pick<AllocationRecord, 'nodeId' | 'stack' | 'service' | 'replica' | 'desired'>>>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodes) if (n.schedule?.state === 'draining') out.set(n.id, []);
  if (out.size === 0) return out;
  for (const a of allocations) {
    const left = out.get(a.nodeId);
    if (!left) continue;
    // A global replica stays (unless it is stopping for a reason of its own: then it is waited for too).
    if (a.desired === 'run' && stacks[a.stack]?.services[a.service]?.spec.mode === 'global') continue;
    left.push(`${a.stack}/${a.service}.${a.replica}`);
  }
  for (const left of out.values()) left.sort();
  return out;
}

/** The labels a node has: the agent's, with an operator's set over them and removed from them. Pure. */
export function withOperatorLabels(agent: Readonly<Record<string, string>>, operator: DeepReadonly<Record<string, string | null>> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...agent };
  for (const [k, v] of Object.entries(operator ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/;

/**
 * `baton node label NODE k=v k2-` (kubectl's syntax; Swarm's `--label-add`/`--label-rm`): what to
 * set and what to remove, or the first bad argument. Pure.
 */
export function parseLabelChanges(args: readonly string[]): { set: Record<string, string>; remove: string[] } | { error: string } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (args.length === 0) return { error: 'labels: give at least one key=value to set or key- to remove' };
  for (const a of args) {
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(0, eq) : a.endsWith('-') ? a.slice(0, -1) : a;
    if (!LABEL_KEY.test(key)) return { error: `label ${JSON.stringify(a)}: expected key=value or key- (a key of letters, digits, ".", "_", "-", "/", at most 63)` };
    if (eq >= 0) {
      const value = a.slice(eq + 1);
      if (value.length > 256 || /[\s,]/.test(value)) return { error: `label ${JSON.stringify(a)}: the value must be at most 256 characters without spaces or commas` };
      set[key] = value;
    } else if (a.endsWith('-')) remove.push(key);
    else return { error: `label ${JSON.stringify(a)}: expected key=value or key-` };
  }
  for (const k of remove) if (k in set) return { error: `label ${k}: both set and removed` };
  return { set, remove };
}

/** A draining node past its deadline. Pure. */
export function drainExpired(schedule: DeepReadonly<NodeSchedule> | undefined, nowMs: number): boolean {
  return schedule?.state === 'draining' && schedule.deadlineAtMs !== undefined && nowMs >= schedule.deadlineAtMs;
}

/** Applies operators' actions and marks drains done; the store is the writer. */
export class NodeSchedules {
  constructor(
    private readonly store: Store,
    private readonly pool: NodeLookup,
    private readonly events: EventLog,
    private readonly clock: Clock,
  ) {}

  /** What each draining node still has to move (drainRemaining over the current state). */
  remaining(): Map<string, string[]> {
    const state = this.store.state;
    return drainRemaining(this.store.nodes(), state.stacks, this.store.allocations());
  }

  /**
   * `baton node label`: sets and removes labels over the agent's (durable, kept through its
   * hellos). A replica whose node no longer meets its constraints is moved, start-first (reconciler).
   */
  async label(node: string, set: Readonly<Record<string, string>>, remove: readonly string[], who: string): Promise<string> {
    const parsed = parseLabelChanges([...Object.entries(set).map(([k, v]) => `${k}=${v}`), ...remove.map((k) => `${k}-`)]);
    if ('error' in parsed) throw new InputError(parsed.error);
    const rec = this.find(node);
    this.store.transact((s) => {
      const n = s.nodes[rec.id];
      if (!n) return;
      const agent = n.agentLabels ?? { ...n.labels };
      const ops: Record<string, string | null> = { ...(n.operatorLabels ?? {}) };
      for (const [k, v] of Object.entries(parsed.set)) ops[k] = v;
      for (const k of parsed.remove) ops[k] = null;
      n.agentLabels = agent;
      n.operatorLabels = ops;
      n.labels = withOperatorLabels(agent, ops);
    });
    const changes = [...Object.entries(parsed.set).map(([k, v]) => `${k}=${v}`), ...parsed.remove.map((k) => `-${k}`)].join(' ');
    this.events.append({ type: 'node.labels', nodeId: rec.id, nodeName: rec.name, from: '', to: '', reason: `by ${who}`, message: changes });
    await this.store.flush();
    return rec.id;
  }

  /** The node by id or name, as the pool finds it (NodePool.get). */
  private find(node: string): { readonly id: string; readonly name: string } {
    if (!node) throw new InputError('node: required (a node name or id)');
    const rec = this.pool.get(node);
    if (!rec) throw new NotFoundError(`no node with id or name ${JSON.stringify(node)}`, `node ${node}`);
    return rec;
  }

  /** `node` by name or id. Returns the node's id. */
  async set(node: string, action: string, deadlineMs: number, who: string): Promise<string> {
    if (!isScheduleAction(action)) throw new InputError(`action: expected cordon, uncordon or drain, got ${JSON.stringify(action)}`);
    if (!Number.isFinite(deadlineMs) || deadlineMs < 0) throw new InputError(`deadline_ms: expected 0 (none) or a positive number of milliseconds, got ${deadlineMs}`);
    if (deadlineMs > 0 && action !== 'drain') throw new InputError('deadline_ms: only a drain takes a deadline');
    const { id } = this.find(node);
    const rec = this.store.state.nodes[id]!;
    const now = this.clock.now();
    const before = rec.schedule?.state ?? 'schedulable';
    const next = nextSchedule(rec.schedule, action, now, deadlineMs);
    this.store.transact((s) => {
      const n = s.nodes[rec.id];
      if (!n) return;
      if (next) n.schedule = next;
      else delete n.schedule;
    });
    const to = next?.state ?? 'schedulable';
    const deadline = next?.deadlineAtMs !== undefined ? `, deadline ${new Date(next.deadlineAtMs).toISOString()}` : '';
    this.events.append({ type: `node.${action}`, nodeId: rec.id, nodeName: rec.name, from: before, to, reason: `by ${who}${deadline}`, message: '' });
    // Nothing to move: drained at once.
    if (action === 'drain') this.finishDrains(now);
    await this.store.flush();
    return rec.id;
  }

  /**
   * Marks draining nodes with nothing left as drained (an event each, with what the deadline cost),
   * and records the replicas a deadline stopped. Called by the control loop every round.
   */
  finishDrains(nowMs: number, lostNow: ReadonlyMap<string, readonly string[]> = new Map()): void {
    const state = this.store.state;
    const remaining = drainRemaining(this.store.nodes(), state.stacks, this.store.allocations());
    if (remaining.size === 0) return;
    const done = [...remaining].filter(([, left]) => left.length === 0).map(([id]) => id);
    const lost = [...lostNow].filter(([id, l]) => l.length && remaining.has(id));
    if (done.length === 0 && lost.length === 0) return;
    this.store.transact((s) => {
      for (const [id, l] of lost) {
        const sch = s.nodes[id]?.schedule;
        if (sch) sch.lost = [...(sch.lost ?? []), ...l];
      }
      for (const id of done) {
        const sch = s.nodes[id]?.schedule;
        if (sch?.state === 'draining') {
          sch.state = 'drained';
          delete sch.deadlineAtMs;
        }
      }
    });
    for (const id of done) {
      const n = this.store.state.nodes[id];
      if (!n?.schedule) continue;
      const took = Math.max(0, nowMs - n.schedule.sinceMs);
      const lostText = n.schedule.lost?.length ? `; stopped at the deadline before a replacement served: ${n.schedule.lost.join(', ')}` : '';
      this.events.append({ type: 'node.drained', nodeId: id, nodeName: n.name, from: 'draining', to: 'drained', reason: `in ${(took / 1000).toFixed(1)} s${lostText}`, message: '' });
    }
  }
}
