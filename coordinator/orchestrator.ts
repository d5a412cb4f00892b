// The orchestrator: keeps stacks' desired state, runs the reconcile loop (decide with the pure
// reconciler, place with the scheduler, commit allocations durably, then command the agents),
// and takes in what agents acknowledge and report. Allocations are written before any agent is
// told about them, so a coordinator killed at any moment never leaves containers it cannot name.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { formatIssue, parseCompose } from '../shared/compose/index.js';
import type { ServiceSpec } from '../shared/compose/types.js';
import type { CommandAck__Output } from '../shared/grpc/gen/baton/v1/CommandAck.js';
import type { ContainerEvent__Output } from '../shared/grpc/gen/baton/v1/ContainerEvent.js';
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { Logger } from '../shared/logger.js';
import { toStartReplica } from '../shared/wire/replica.js';
import type { EventLog } from './event-log.js';
import { schedulerSnapshot } from './live-plan.js';
import type { NodePool, NodeView } from './node-pool.js';
import { reconcile, type NodeLiveness } from './reconciler.js';
import { planBatch, type ReplicaRequest } from './scheduler/index.js';
import { replicaRequestsFor } from './scheduler/requests.js';
import type { AllocationRecord, StackRecord } from './store/schema.js';
import type { Store } from './store/store.js';

export interface OrchestratorOptions {
  /** How often the reconcile loop runs. @default 1000 */
  loopMs?: number;
  /** A command not followed by the expected state is sent again after this long. @default 10000 */
  resendMs?: number;
}

/** Thrown for a request the user must fix (bad file, unknown service); carries the messages. */
export class OrchestratorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrchestratorInputError';
  }
}

export interface UnplacedInfo {
  service: string;
  replica: number;
  reason: string;
}

export interface DeployResult {
  stack: string;
  generation: number;
  changes: { service: string; change: 'created' | 'updated' | 'scaled' | 'unchanged' | 'removed'; replicas: number }[];
  unplaced: UnplacedInfo[];
  warnings: string[];
}

const ALLOCATION_LABEL = 'io.baton.allocation';
/** Least time between two reconcile rounds started by kicks. */
const KICK_SPACING_MS = 100;

export class Orchestrator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** allocation id -> when the last start/stop command for it was sent (memory only). */
  private readonly sentAt = new Map<string, number>();
  /** Containers of unknown allocations -> when their removal was last asked for. */
  private readonly strayAt = new Map<string, number>();
  /** `stack/service#replica` -> why it could not be placed in the last round. */
  private readonly pending = new Map<string, string>();
  private seq = 0;
  private readonly loopMs: number;
  private readonly resendMs: number;

  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly events: EventLog,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: OrchestratorOptions = {},
  ) {
    this.loopMs = options.loopMs ?? 1000;
    this.resendMs = options.resendMs ?? 10_000;
  }

  start(): void {
    this.timer = setInterval(() => void this.kick(), this.loopMs);
    this.pool.onStatusChange(() => void this.kick());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a reconcile round now (or right after the current one). */
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

  // ---------------------------------------------------------------- user requests

  async deploy(req: { text: string; file: string; stackName: string | undefined; env: Record<string, string | undefined> }): Promise<DeployResult> {
    const parsed = parseCompose(req.text, { file: req.file, env: req.env, stackName: req.stackName });
    const warnings = parsed.warnings.map(formatIssue);
    if (!parsed.ok) throw new OrchestratorInputError(parsed.errors.map(formatIssue).join('\n'));
    const now = this.clock.now();
    const name = parsed.stack.name;
    const changes: DeployResult['changes'] = [];
    const generation = this.store.transact((s) => {
      const old = s.stacks[name];
      const stack: StackRecord = old ?? { name, generation: 0, file: req.file, services: {}, createdAtMs: now, updatedAtMs: now };
      let changed = !old;
      const next: StackRecord['services'] = {};
      for (const spec of parsed.stack.services) {
        const hash = specHash(spec);
        const prev = stack.services[spec.name];
        if (!prev) {
          next[spec.name] = { spec, specHash: hash, generation: 1, replicas: spec.replicas };
          changes.push({ service: spec.name, change: 'created', replicas: spec.replicas });
          changed = true;
        } else if (prev.specHash !== hash) {
          next[spec.name] = { spec, specHash: hash, generation: prev.generation + 1, replicas: spec.replicas };
          changes.push({ service: spec.name, change: 'updated', replicas: spec.replicas });
          changed = true;
        } else {
          next[spec.name] = { ...prev, spec, replicas: spec.replicas };
          changes.push({ service: spec.name, change: prev.replicas === spec.replicas ? 'unchanged' : 'scaled', replicas: spec.replicas });
          if (prev.replicas !== spec.replicas) changed = true;
        }
      }
      for (const gone of Object.keys(stack.services)) {
        if (!next[gone]) {
          changes.push({ service: gone, change: 'removed', replicas: 0 });
          changed = true;
        }
      }
      if (changed) {
        stack.services = next;
        stack.generation += 1;
        stack.updatedAtMs = now;
        stack.file = req.file;
      }
      s.stacks[name] = stack;
      return stack.generation;
    });
    this.events.append({ type: 'stack.deployed', nodeId: '', nodeName: '', from: '', to: '', reason: `generation ${generation}`, message: `${name}: ${changes.map((c) => `${c.service} ${c.change}`).join(', ')}` });
    await this.store.flush();
    await this.kick();
    return { stack: name, generation, changes, unplaced: this.unplacedOf(name), warnings };
  }

  async scale(serviceRef: string, value: string): Promise<{ stack: string; service: string; from: number; to: number; unplaced: UnplacedInfo[] }> {
    const [stack, service] = this.resolveService(serviceRef);
    const m = /^([+-]?)(\d+)$/.exec(value.trim());
    if (!m) throw new OrchestratorInputError(`"${value}" is not a replica count (use 5, +6 or -2)`);
    const rec = this.store.state.stacks[stack]!.services[service]!;
    const from = rec.replicas;
    const n = Number(m[2]);
    const to = m[1] === '+' ? from + n : m[1] === '-' ? from - n : n;
    if (to < 0) throw new OrchestratorInputError(`${service}: cannot scale ${from} replicas by ${value} (would be ${to})`);
    if (to > 10_000) throw new OrchestratorInputError(`${service}: ${to} replicas is more than the limit of 10000`);
    this.store.transact((s) => {
      s.stacks[stack]!.services[service]!.replicas = to;
      s.stacks[stack]!.generation += 1;
      s.stacks[stack]!.updatedAtMs = this.clock.now();
    });
    this.events.append({ type: 'service.scaled', nodeId: '', nodeName: '', from: String(from), to: String(to), reason: '', message: `${stack}/${service}` });
    await this.store.flush();
    await this.kick();
    return { stack, service, from, to, unplaced: this.unplacedOf(stack).filter((u) => u.service === service) };
  }

  async remove(stackName: string, serviceRef: string): Promise<{ removed: string[]; stopping: number }> {
    const removed: string[] = [];
    if (serviceRef) {
      const [stack, service] = this.resolveService(serviceRef, stackName);
      this.store.transact((s) => {
        delete s.stacks[stack]!.services[service];
        if (Object.keys(s.stacks[stack]!.services).length === 0) delete s.stacks[stack];
      });
      removed.push(`${stack}/${service}`);
    } else {
      if (!this.store.state.stacks[stackName]) throw new OrchestratorInputError(`no stack named ${JSON.stringify(stackName)}`);
      removed.push(...Object.keys(this.store.state.stacks[stackName]!.services).map((s) => `${stackName}/${s}`));
      this.store.transact((s) => void delete s.stacks[stackName]);
    }
    this.events.append({ type: 'service.removed', nodeId: '', nodeName: '', from: '', to: '', reason: '', message: removed.join(', ') });
    await this.store.flush();
    await this.kick();
    const stopping = Object.values(this.store.state.allocations).filter((a) => a.desired === 'stop' && removed.includes(`${a.stack}/${a.service}`)).length;
    return { removed, stopping };
  }

  services() {
    const observed = this.observed();
    return Object.values(this.store.state.stacks).flatMap((stack) =>
      Object.entries(stack.services).map(([name, svc]) => {
        const allocs = Object.values(this.store.state.allocations).filter((a) => a.stack === stack.name && a.service === name && a.desired === 'run');
        return {
          stack: stack.name,
          name,
          image: svc.spec.image,
          desired: svc.replicas,
          running: allocs.filter((a) => observed.get(a.id)?.state === 'running' && a.generation === svc.generation).length,
          generation: svc.generation,
          ports: svc.spec.ports.map((p) => `${p.published ?? ''}${p.published ? ':' : ''}${p.target}/${p.protocol}`),
          pending: this.unplacedOf(stack.name).filter((u) => u.service === name),
        };
      }),
    );
  }

  replicas(serviceRef = '') {
    const [stackFilter, serviceFilter] = serviceRef ? this.resolveService(serviceRef) : ['', ''];
    const observed = this.observed();
    const nodes = new Map(this.pool.list().map((n) => [n.id, n]));
    const rows = Object.values(this.store.state.allocations)
      .filter((a) => !serviceRef || (a.stack === stackFilter && a.service === serviceFilter))
      .map((a) => {
        const o = observed.get(a.id);
        return {
          stack: a.stack,
          service: a.service,
          replica: a.replica,
          allocationId: a.id,
          node: nodes.get(a.nodeId)?.name ?? a.nodeId,
          containerId: o?.containerId || a.observed?.containerId || '',
          state: o?.state ?? (a.desired === 'run' ? 'pending' : 'stopped'),
          desired: a.desired,
          generation: a.generation,
          restarts: a.observed?.restarts ?? 0,
          cpuPercent: o?.cpuPercent ?? 0,
          memoryBytes: o?.memoryBytes ?? 0,
          sinceMs: a.observed?.state === 'running' ? a.observed.atMs : 0,
          error: a.observed?.error ?? '',
        };
      });
    for (const [key, reason] of this.pending) {
      const [svcKey, replica] = key.split('#');
      const [stack, service] = svcKey!.split('/');
      if (serviceRef && (stack !== stackFilter || service !== serviceFilter)) continue;
      rows.push({ stack: stack!, service: service!, replica: Number(replica), allocationId: '', node: '', containerId: '', state: 'unplaced', desired: 'run', generation: 0, restarts: 0, cpuPercent: 0, memoryBytes: 0, sinceMs: 0, error: reason });
    }
    return rows.sort((a, b) => a.stack.localeCompare(b.stack) || a.service.localeCompare(b.service) || a.replica - b.replica || a.desired.localeCompare(b.desired));
  }

  // ---------------------------------------------------------------- agent traffic

  /** A node's session started: tell it the complete set it should run, then start what is missing. */
  onSessionStart(nodeId: string): void {
    const expected = Object.values(this.store.state.allocations).filter((a) => a.nodeId === nodeId && a.desired === 'run');
    this.pool.send(nodeId, { command: { command_id: this.commandId(), reconcile: { allocation_ids: expected.map((a) => a.id) } } });
    for (const a of Object.values(this.store.state.allocations)) if (a.nodeId === nodeId) this.sentAt.delete(a.id);
    void this.kick();
  }

  onAck(nodeId: string, ack: CommandAck__Output): void {
    if (!ack.ok) this.log.warn({ nodeId, commandId: ack.command_id, error: ack.error }, 'agent refused a command');
  }

  onContainerEvent(nodeId: string, e: ContainerEvent__Output): void {
    const a = this.store.state.allocations[e.allocation_id];
    if (!a || a.nodeId !== nodeId) return;
    this.store.transact((s) => {
      const rec = s.allocations[e.allocation_id];
      if (!rec) return;
      // Coordinator time, not the agent's: the replacement delay is measured against it.
      rec.observed = { state: e.state, containerId: e.container_id, exitCode: e.exit_code, error: e.error, restarts: e.restarts, atMs: this.clock.now() };
    });
    if (e.state === 'failed' || (e.state === 'exited' && e.exit_code !== 0)) {
      const node = this.pool.get(nodeId);
      this.events.append({ type: 'replica.' + e.state, nodeId, nodeName: node?.name ?? '', from: '', to: e.state, reason: e.error || `exit code ${e.exit_code}`, message: `${a.stack}/${a.service}.${a.replica}` });
    }
  }

  // ---------------------------------------------------------------- the loop

  private async round(): Promise<void> {
    const st = this.store.state;
    // Nothing desired and nothing placed: nothing to decide (a pool of agents without services).
    if (Object.keys(st.stacks).length === 0 && Object.keys(st.allocations).length === 0 && this.pending.size === 0) return;
    const now = this.clock.now();
    const views = this.pool.list();
    const observed = this.observed(views);
    const nodes = new Map<string, NodeLiveness>(views.map((n) => [n.id, { status: n.status, connected: n.connected, engineUp: n.dockerUp }]));
    const d = reconcile({
      stacks: Object.values(this.store.state.stacks),
      allocations: Object.values(this.store.state.allocations),
      nodes,
      observed: new Map([...observed].map(([id, o]) => [id, o.state])),
      nowMs: now,
    });

    // Place new allocations as one batch against the live snapshot.
    const requests: ReplicaRequest[] = [];
    for (const slot of d.place) {
      const svc = this.store.state.stacks[slot.stack]!.services[slot.service]!;
      requests.push(...replicaRequestsFor(slot.stack, svc.spec, [slot.replica]));
    }
    const plan = requests.length ? planBatch(schedulerSnapshot(this.pool, this.store), requests, { improveBudgetMs: 50 }) : { placements: [], unplaced: [] };
    this.pending.clear();
    for (const u of plan.unplaced) this.pending.set(`${u.service}#${u.replica}`, u.reason);

    if (plan.placements.length || d.stop.length || d.revive.length || d.forget.length) {
      this.store.transact((s) => {
        for (const p of plan.placements) {
          const [stack, service] = p.service.split('/') as [string, string];
          const svc = s.stacks[stack]!.services[service]!;
          const req = requests.find((r) => r.service === p.service && r.replica === p.replica)!;
          // Random first: the agent names containers by the id's first 12 characters.
          const id = `${randomBytes(6).toString('hex')}-${stack}.${service}.${p.replica}`;
          const rec: AllocationRecord = {
            id, stack, service, replica: p.replica, nodeId: p.nodeId, generation: svc.generation,
            cpuMillis: req.cpuMillis, memoryBytes: req.memoryBytes, hostPorts: [...req.hostPorts], desired: 'run', createdAtMs: now,
          };
          s.allocations[id] = rec;
        }
        for (const st of d.stop) {
          const a = s.allocations[st.allocationId];
          if (a && a.desired === 'run') {
            a.desired = 'stop';
            a.stopReason = st.reason;
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
      for (const p of plan.placements) this.log.info({ service: p.service, replica: p.replica, node: p.nodeName }, 'placed');
      for (const st of d.stop) this.log.info({ allocationId: st.allocationId, reason: st.reason }, 'stopping');
      // Durable before any agent hears of it.
      await this.store.flush();
    }
    this.dispatch(views, observed, now);
  }

  /** Sends start/stop commands for allocations whose node is connected and not yet where they should be. */
  private dispatch(views: readonly NodeView[], observed: Map<string, ObservedNow>, now: number): void {
    const connected = new Set(views.filter((n) => n.connected && n.status === 'ready').map((n) => n.id));
    for (const a of Object.values(this.store.state.allocations)) {
      if (!connected.has(a.nodeId)) continue;
      const o = observed.get(a.id);
      const last = this.sentAt.get(a.id);
      if (last !== undefined && now - last < this.resendMs) continue;
      if (a.desired === 'run' && o?.state !== 'running') {
        const svc = this.store.state.stacks[a.stack]?.services[a.service];
        if (!svc || svc.generation !== a.generation) continue;
        // A container that exited is the agent's restart policy's business; a failed one is
        // replaced by the reconciler. Otherwise the start is re-sent every resendMs.
        if (o && last !== undefined) continue;
        if (this.pool.send(a.nodeId, { command: { command_id: this.commandId(), start: toStartReplica(a, svc.spec) } })) this.sentAt.set(a.id, now);
      } else if (a.desired === 'stop' && o) {
        const grace = this.store.state.stacks[a.stack]?.services[a.service]?.spec.stopGraceMs ?? 10_000;
        if (this.pool.send(a.nodeId, { command: { command_id: this.commandId(), stop: { allocation_id: a.id, remove: true, stop_grace_ms: grace, reason: a.stopReason ?? '' } } })) this.sentAt.set(a.id, now);
      }
    }
    for (const id of this.sentAt.keys()) if (!this.store.state.allocations[id]) this.sentAt.delete(id);

    // A Baton container whose allocation this coordinator has no record of is stale (its record was
    // forgotten, or it predates a state loss). The Reconcile at session start removes such
    // containers; this covers a node whose session survived (a healed partition) and any miss.
    for (const n of views) {
      if (!connected.has(n.id)) continue;
      for (const c of n.containers) {
        const id = c.labels[ALLOCATION_LABEL];
        if (!id || this.store.state.allocations[id]) continue;
        const last = this.strayAt.get(id);
        if (last !== undefined && now - last < this.resendMs) continue;
        this.log.info({ node: n.name, allocationId: id, containerId: c.containerId }, 'removing a container of an unknown allocation');
        if (this.pool.send(n.id, { command: { command_id: this.commandId(), stop: { allocation_id: id, remove: true, stop_grace_ms: 10_000, reason: 'unknown allocation' } } })) this.strayAt.set(id, now);
      }
    }
    for (const [id, at] of this.strayAt) if (now - at > 10 * this.resendMs) this.strayAt.delete(id);
  }

  /** What each node's latest report says about Baton containers, by allocation id. */
  private observed(views: readonly NodeView[] = this.pool.list()): Map<string, ObservedNow> {
    const out = new Map<string, ObservedNow>();
    for (const n of views) {
      if (n.status === 'down' || n.status === 'left') continue;
      for (const c of n.containers) {
        const id = c.labels[ALLOCATION_LABEL];
        if (!id) continue;
        const a = this.store.state.allocations[id];
        if (a && a.nodeId !== n.id) continue; // reported by a node it was never placed on
        out.set(id, { state: c.state, containerId: c.containerId, cpuPercent: c.cpuPercent, memoryBytes: c.memoryBytes });
      }
    }
    return out;
  }

  private unplacedOf(stack: string): UnplacedInfo[] {
    return [...this.pending]
      .filter(([k]) => k.startsWith(stack + '/'))
      .map(([k, reason]) => {
        const [svcKey, replica] = k.split('#');
        return { service: svcKey!.slice(stack.length + 1), replica: Number(replica), reason };
      });
  }

  private resolveService(ref: string, stackHint = ''): [string, string] {
    const stacks = this.store.state.stacks;
    if (ref.includes('/')) {
      const [stack, service] = ref.split('/', 2) as [string, string];
      if (!stacks[stack]?.services[service]) throw new OrchestratorInputError(`no service ${JSON.stringify(ref)}`);
      return [stack, service];
    }
    const matches = Object.values(stacks).filter((s) => s.services[ref] && (!stackHint || s.name === stackHint));
    if (matches.length === 0) throw new OrchestratorInputError(`no service named ${JSON.stringify(ref)}`);
    if (matches.length > 1) throw new OrchestratorInputError(`service ${JSON.stringify(ref)} exists in stacks ${matches.map((m) => m.name).join(', ')}: use stack/service`);
    return [matches[0]!.name, ref];
  }

  private commandId(): string {
    return `c${this.clock.now().toString(36)}-${(++this.seq).toString(36)}`;
  }
}

interface ObservedNow {
  state: string;
  containerId: string;
  cpuPercent: number;
  memoryBytes: number;
}

/** Everything in the spec except the replica count, hashed: equal hashes mean the same containers. */
export function specHash(spec: ServiceSpec): string {
  const { replicas: _replicas, ...rest } = spec;
  return createHash('sha256').update(stableJson(rest)).digest('hex').slice(0, 16);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export type { CoordinatorMessage };
