// Desired state: what users ask for (deploy, scale, remove), written to the store and then handed
// to the control loop. Only this module writes stacks; the loop and the agents never do.
import { formatIssue, parseCompose } from '../shared/compose/index.js';
import { specHash } from '../shared/compose/spec-hash.js';
import type { Clock } from '../shared/clock.js';
import { InputError, NotFoundError } from '../shared/errors.js';
import type { ControlLoop, PendingReplica } from './control-loop.js';
import type { EventLog } from './event-log.js';
import type { DeepReadonly, StackRecord, State } from './store/schema.js';
import type { Store } from './store/store.js';

/** The most replicas one service may ask for. */
export const MAX_REPLICAS = 10_000;

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

export interface DeployRequest {
  text: string;
  file: string;
  stackName: string | undefined;
  env: Record<string, string | undefined>;
}

export class Stacks {
  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly loop: Pick<ControlLoop, 'kick' | 'unplaced'>,
    private readonly clock: Clock,
  ) {}

  async deploy(req: DeployRequest): Promise<DeployResult> {
    const parsed = parseCompose(req.text, { file: req.file, env: req.env, stackName: req.stackName });
    const warnings = parsed.warnings.map(formatIssue);
    if (!parsed.ok) throw new InputError(parsed.errors.map(formatIssue).join('\n'));
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
    await this.loop.kick();
    return { stack: name, generation, changes, unplaced: this.unplacedOf(name), warnings };
  }

  async scale(serviceRef: string, value: string): Promise<{ stack: string; service: string; from: number; to: number; unplaced: UnplacedInfo[] }> {
    const [stack, service] = resolveService(this.store.state, serviceRef);
    const m = /^([+-]?)(\d+)$/.exec(value.trim());
    if (!m) throw new InputError(`"${value}" is not a replica count (use 5, +6 or -2)`);
    const from = this.store.state.stacks[stack]!.services[service]!.replicas;
    const n = Number(m[2]);
    const to = m[1] === '+' ? from + n : m[1] === '-' ? from - n : n;
    if (to < 0) throw new InputError(`${service}: cannot scale ${from} replicas by ${value} (would be ${to})`);
    if (to > MAX_REPLICAS) throw new InputError(`${service}: ${to} replicas is more than the limit of ${MAX_REPLICAS}`);
    this.store.transact((s) => {
      s.stacks[stack]!.services[service]!.replicas = to;
      s.stacks[stack]!.generation += 1;
      s.stacks[stack]!.updatedAtMs = this.clock.now();
    });
    this.events.append({ type: 'service.scaled', nodeId: '', nodeName: '', from: String(from), to: String(to), reason: '', message: `${stack}/${service}` });
    await this.store.flush();
    await this.loop.kick();
    return { stack, service, from, to, unplaced: this.unplacedOf(stack).filter((u) => u.service === service) };
  }

  async remove(stackName: string, serviceRef: string): Promise<{ removed: string[]; stopping: number }> {
    const removed: string[] = [];
    if (serviceRef) {
      const [stack, service] = resolveService(this.store.state, serviceRef, stackName);
      this.store.transact((s) => {
        delete s.stacks[stack]!.services[service];
        if (Object.keys(s.stacks[stack]!.services).length === 0) delete s.stacks[stack];
      });
      removed.push(`${stack}/${service}`);
    } else {
      const stack = this.store.state.stacks[stackName];
      if (!stack) throw new NotFoundError(`no stack named ${JSON.stringify(stackName)}`, `stack ${stackName}`);
      removed.push(...Object.keys(stack.services).map((s) => `${stackName}/${s}`));
      this.store.transact((s) => void delete s.stacks[stackName]);
    }
    this.events.append({ type: 'service.removed', nodeId: '', nodeName: '', from: '', to: '', reason: '', message: removed.join(', ') });
    await this.store.flush();
    await this.loop.kick();
    const stopping = Object.values(this.store.state.allocations).filter((a) => a.desired === 'stop' && removed.includes(`${a.stack}/${a.service}`)).length;
    return { removed, stopping };
  }

  private unplacedOf(stack: string): UnplacedInfo[] {
    return this.loop.unplaced(stack).map(toUnplacedInfo);
  }
}

export function toUnplacedInfo(p: PendingReplica): UnplacedInfo {
  return { service: p.service, replica: p.replica, reason: p.reason };
}

/**
 * `web` or `shop/web` -> [stack, service]. A bare name must be unique across stacks (or within
 * `stackHint`); an ambiguous one is the user's to fix.
 */
export function resolveService(state: DeepReadonly<Pick<State, 'stacks'>>, ref: string, stackHint = ''): [stack: string, service: string] {
  const stacks = state.stacks;
  if (ref.includes('/')) {
    const [stack, service] = ref.split('/', 2) as [string, string];
    if (!stacks[stack]?.services[service]) throw new NotFoundError(`no service ${JSON.stringify(ref)}`, `service ${ref}`);
    return [stack, service];
  }
  const matches = Object.values(stacks).filter((s) => s.services[ref] && (!stackHint || s.name === stackHint));
  if (matches.length === 0) throw new NotFoundError(`no service named ${JSON.stringify(ref)}`, `service ${ref}`);
  if (matches.length > 1) throw new InputError(`service ${JSON.stringify(ref)} exists in stacks ${matches.map((m) => m.name).join(', ')}: use stack/service`);
  return [matches[0]!.name, ref];
}
