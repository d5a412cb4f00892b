// Desired state: what users ask for (deploy, scale, remove, rollback), written to the store and
// then handed to the control loop. Only this module writes stacks and the spec history, and it
// starts (or replaces) rollouts; the control loop advances them and asks for automatic rollbacks
// through `autoRollback`. The agents never write desired state. It also gives each service its
// address (VIP) and the published ports Baton chooses (ingress/), checked across all stacks first.
import { formatIssue, formatRefusal, parseCompose } from '../shared/compose/index.js';
import { specHash } from '../shared/compose/spec-hash.js';
import type { ServiceSpec } from '../shared/compose/types.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, InputError, NotFoundError } from '../shared/errors.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { ControlLoop, PendingReplica } from './control-loop.js';
import type { EventLog } from './event-log.js';
import { serviceAddresses, type ServiceAddresses } from './ingress/service-addresses.js';
import { DEFAULT_SERVICE_CIDR, parseServiceCidr, type ServiceCidr } from './ingress/vip.js';
import { endedOutcome, pushRevision, type RevisionRecord } from './rollout/history.js';
import { newRollout } from './rollout/record.js';
import { specChanges } from './rollout/spec-diff.js';
import { serviceKey } from './slot-key.js';
import type { DeepReadonly, ServiceRecord, StackRecord, State } from './store/schema.js';
import type { Store } from './store/store.js';
import { carriedHomes } from './sticky.js';
import { cancelVolumeRemoval, scheduleVolumeRemoval, type Volumes } from './volumes.js';

/** The most replicas one service may ask for. */
export const MAX_REPLICAS = 10_000;

export interface UnplacedInfo {
  service: string;
  replica: number;
  reason: string;
  kind: 'unplaced' | 'waiting';
}

export interface DeployResult {
  stack: string;
  generation: number;
  /** Per service, with its generation after the deploy (0 when removed): an update rolls out to it. */
  changes: { service: string; change: 'created' | 'updated' | 'scaled' | 'unchanged' | 'removed'; replicas: number; generation: number }[];
  unplaced: UnplacedInfo[];
  warnings: string[];
}

export interface RollbackResult {
  stack: string;
  service: string;
  /** The generation it left. */
  from: number;
  /** The generation whose spec it restores. */
  restores: number;
  /** The new generation that runs that spec. */
  generation: number;
}

/** What the control loop asks for when a rollout's failures call for a rollback. */
export interface AutoRollbackRequest {
  stack: string;
  service: string;
  toGeneration: number;
  toSpecHash: string;
  reason: string;
}

export interface DeployRequest {
  text: string;
  file: string;
  stackName: string | undefined;
  /** `baton deploy --tenant`: used when the file names none. */
  tenant?: string;
  env: Record<string, string | undefined>;
  /** DeployRequest.files: what the stack file references, read by the CLI. */
  files?: ReadonlyMap<string, Uint8Array>;
}

export interface StacksOptions {
  /** Where service VIPs come from. @default DEFAULT_SERVICE_CIDR */
  serviceCidr?: ServiceCidr;
  /** Secrets and configs; undefined: a stack that uses them is refused. */
  secrets?: SecretStore;
  /** What the nodes report of their volumes, for `rm --stack` (how many it keeps) and `rm --volumes`. */
  volumes?: Pick<Volumes, 'known' | 'mayHaveVolumes'>;
}

/** What `baton rm` did. */
export interface RemoveResult {
  removed: string[];
  stopping: number;
  /** Without `volumes`: the stack's volumes the nodes last reported, which stay. */
  volumesKept: number;
  /** With `volumes`: the nodes (names) that are to remove the stack's volumes. */
  volumeNodes: string[];
}

const DEFAULT_CIDR = (() => {
  const c = parseServiceCidr(DEFAULT_SERVICE_CIDR);
  if (!c.ok) throw new Error(c.error);
  return c.value;
})();

export class Stacks {
  private readonly serviceCidr: ServiceCidr;
  private readonly secrets: SecretStore | undefined;
  private readonly volumes: StacksOptions['volumes'];

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly loop: Pick<ControlLoop, 'kick' | 'unplaced'>,
    private readonly clock: Clock,
    options: StacksOptions = {},
  ) {
    this.serviceCidr = options.serviceCidr ?? DEFAULT_CIDR;
    this.secrets = options.secrets;
    this.volumes = options.volumes;
  }

  /**
   * Gives every service without a VIP (or with one outside the service CIDR, after it changed) an
   * address, and every ingress port without a published port one from 30000-32767: state written
   * before issue 9. Run once at coordinator start, before the control loop; a deploy does the same
   * for every stack. Conflicts between stored stacks cannot be refused any more: they are returned.
   */
  assignAddresses(): string[] {
    const plan = serviceAddresses(this.serviceCidr, Object.values(this.store.state.stacks));
    const stale = Object.values(this.store.state.stacks).flatMap((st) =>
      Object.entries(st.services).filter(([name, svc]) => addressesDiffer(svc, plan, serviceKey(st.name, name))).map(([name]) => [st.name, name] as const),
    );
    if (stale.length) {
      this.store.transact((s) => {
        for (const [stack, name] of stale) writeAddresses(s.stacks[stack]!.services[name]!, plan, serviceKey(stack, name));
      });
    }
    return plan.warnings;
  }

  async deploy(req: DeployRequest): Promise<DeployResult> {
    const parsed = parseCompose(req.text, { file: req.file, env: req.env, stackName: req.stackName, ...(req.tenant ? { tenant: req.tenant } : {}), ...(req.files ? { files: req.files } : {}) });
    const warnings = parsed.warnings.map(formatIssue);
    if (!parsed.ok) throw new InputError(formatRefusal(parsed.errors.map(formatIssue), warnings));
    const now = this.clock.now();
    const name = parsed.stack.name;
    // Checked against every stack before anything is written: a rejected deploy changes nothing.
    const stored = this.store.state.stacks[name]?.services;
    const addresses = serviceAddresses(this.serviceCidr, Object.values(this.store.state.stacks), {
      stack: name,
      services: parsed.stack.services.map((spec) => ({ name: spec.name, spec, vip: stored?.[spec.name]?.vip, assignedPorts: stored?.[spec.name]?.assignedPorts })),
    });
    if (addresses.errors.length) throw new InputError(formatRefusal(addresses.errors, warnings));
    const usesObjects = !!(parsed.stack.secrets?.length || parsed.stack.configs?.length);
    if (usesObjects && !this.secrets) throw new InputError('this coordinator has no secret store: secrets and configs cannot be deployed');
    const objectErrors = this.secrets?.checkStack(parsed.stack) ?? [];
    if (objectErrors.length) throw new InputError(formatRefusal(objectErrors, warnings));
    const changes: DeployResult['changes'] = [];
    const rolloutEvents: { type: string; message: string }[] = [];
    let removalCancelled = false;
    const generation = this.store.transact((s) => {
      if (usesObjects) this.secrets?.writeStack(s, parsed.stack, now);
      // The stack is back: its volumes are wanted again, on nodes that have not removed them yet too.
      removalCancelled = cancelVolumeRemoval(s, name);
      const old = s.stacks[name];
      const stack: StackRecord = old ?? { name, generation: 0, file: req.file, services: {}, createdAtMs: now, updatedAtMs: now };
      let changed = !old;
      const next: StackRecord['services'] = {};
      for (const spec of parsed.stack.services) {
        const hash = specHash(spec);
        const prev = stack.services[spec.name];
        const key = serviceKey(name, spec.name);
        if (!prev) {
          next[spec.name] = { spec, specHash: hash, generation: 1, replicas: spec.replicas };
          changes.push({ service: spec.name, change: 'created', replicas: spec.replicas, generation: 1 });
          changed = true;
          // Nothing to roll: its replicas are placed at once.
          delete s.rollouts[key];
          s.history[key] = [{ generation: 1, specHash: hash, spec, atMs: now, change: 'created', outcome: 'deployed', outcomeReason: '' }];
        } else if (withoutRestart(prev.specHash) !== hash) {
          const generation = prev.generation + 1;
          // A sticky slot's data stays where it is: an update goes back to the same homes.
          const replicas = replicasOnDeploy(spec, prev);
          next[spec.name] = { spec, specHash: hash, generation, replicas, ...carriedHomes(prev, spec) };
          changes.push({ service: spec.name, change: 'updated', replicas, generation });
          changed = true;
          const superseded = s.rollouts[key];
          if (superseded && superseded.state !== 'completed') rolloutEvents.push({ type: 'rollout.superseded', message: `${spec.name}: rollout to generation ${superseded.targetGeneration} superseded by generation ${generation}` });
          closeRevision(s, key, prev, endedOutcome(superseded, prev.generation));
          pushRevision(s.history[key]!, { generation, specHash: hash, spec, atMs: now, change: specChanges(prev.spec, spec), outcome: '', outcomeReason: '' });
          s.rollouts[key] = newRollout({ kind: 'update', target: { generation, specHash: hash }, from: { generation: prev.generation, specHash: prev.specHash }, config: spec.updateConfig, nowMs: now });
          const c = spec.updateConfig;
          rolloutEvents.push({ type: 'rollout.started', message: `${spec.name}: rolling out generation ${generation} (${s.history[key]!.at(-1)!.change}): ${c.order}, parallelism ${c.parallelism}, on failure ${c.failureAction}` });
        } else {
          const replicas = replicasOnDeploy(spec, prev);
          next[spec.name] = { ...prev, spec, replicas };
          changes.push({ service: spec.name, change: prev.replicas === replicas ? 'unchanged' : 'scaled', replicas, generation: prev.generation });
          if (prev.replicas !== replicas || JSON.stringify(prev.spec.autoscale) !== JSON.stringify(spec.autoscale) || JSON.stringify(prev.spec.onDisconnect) !== JSON.stringify(spec.onDisconnect)) changed = true;
        }
      }
      for (const gone of Object.keys(stack.services)) {
        if (!next[gone]) {
          changes.push({ service: gone, change: 'removed', replicas: 0, generation: 0 });
          changed = true;
          forgetService(s, serviceKey(name, gone));
        }
      }
      for (const [service, rec] of Object.entries(next)) writeAddresses(rec, addresses, serviceKey(name, service));
      // Records as they are otherwise (equal content); the addresses may be new even when nothing changed.
      stack.services = next;
      // The tenant is accounting only: a change is no new generation.
      if (parsed.stack.tenant) stack.tenant = parsed.stack.tenant;
      else delete stack.tenant;
      if (changed) {
        stack.generation += 1;
        stack.updatedAtMs = now;
        stack.file = req.file;
      }
      s.stacks[name] = stack;
      // Other stacks' services from before addresses existed get theirs too; the others are left
      // exactly as stored (a clash among them is not this deploy's to resolve).
      for (const other of Object.values(s.stacks)) {
        if (other.name === name) continue;
        for (const [service, rec] of Object.entries(other.services)) if (rec.vip === undefined) writeAddresses(rec, addresses, serviceKey(other.name, service));
      }
      return stack.generation;
    });
    this.events.append({ type: 'stack.deployed', nodeId: '', nodeName: '', from: '', to: '', reason: `generation ${generation}`, message: `${name}: ${changes.map((c) => `${c.service} ${c.change}`).join(', ')}` });
    for (const e of rolloutEvents) this.events.append({ type: e.type, nodeId: '', nodeName: '', from: '', to: '', reason: '', message: `${name}/${e.message}` });
    if (removalCancelled) {
      warnings.push(`${name} was removed with --volumes and some nodes had not removed its volumes yet (not connected): they keep them now that the stack is deployed again`);
      this.events.append({ type: 'volume.removal-cancelled', nodeId: '', nodeName: '', from: '', to: '', reason: 'deployed again', message: name });
    }
    await this.store.flush();
    await this.loop.kick();
    return { stack: name, generation, changes, unplaced: this.unplacedOf(name), warnings };
  }

  async scale(serviceRef: string, value: string): Promise<{ stack: string; service: string; from: number; to: number; unplaced: UnplacedInfo[] }> {
    const [stack, service] = resolveService(this.store.state, serviceRef);
    // As `docker service scale`: a global service's count is its nodes', not the operator's.
    if (this.store.state.stacks[stack]!.services[service]!.spec.mode === 'global') {
      throw new InputError(`${service}: scale can only be used with replicated mode (${service} is global: one replica on every node that meets its constraints)`);
    }
    // The autoscaler owns an autoscaled service's count: a manual one would be undone at its next
    // decision (as a Deployment's replicas under an HPA), so it is refused and the bounds named.
    const autoscale = this.store.state.stacks[stack]!.services[service]!.spec.autoscale;
    if (autoscale) {
      throw new InputError(`${service}: is autoscaled (x-baton.autoscale min ${autoscale.min}, max ${autoscale.max}): change min/max in the Compose file and deploy it, or remove x-baton.autoscale to scale by hand`);
    }
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

  /**
   * The autoscaler's change of an autoscaled service's count (coordinator/autoscale/controller.ts),
   * through the same write as `scale`. False (nothing written) when the service is gone, no longer
   * autoscaled, or its count is no longer `from` (a deploy came in between).
   */
  async autoscale(stack: string, service: string, from: number, to: number, reason: string): Promise<boolean> {
    const svc = this.store.state.stacks[stack]?.services[service];
    if (!svc?.spec.autoscale || svc.replicas !== from || to < svc.spec.autoscale.min || to > svc.spec.autoscale.max) return false;
    this.store.transact((s) => {
      s.stacks[stack]!.services[service]!.replicas = to;
      s.stacks[stack]!.generation += 1;
      s.stacks[stack]!.updatedAtMs = this.clock.now();
    });
    this.events.append({ type: 'autoscale.scaled', nodeId: '', nodeName: '', from: String(from), to: String(to), reason: to > from ? 'scale up' : 'scale down', message: `${stack}/${service}: ${reason}` });
    await this.store.flush();
    await this.loop.kick();
    return true;
  }

  /**
   * `baton rm SERVICE` or `baton rm --stack NAME [--volumes]`. As `docker stack rm`, a stack's named
   * volumes stay on the nodes; with `volumes` every node is to remove them too (volumes.ts), also
   * for a stack removed before whose volumes were kept.
   */
  async remove(stackName: string, serviceRef: string, options: { volumes?: boolean } = {}): Promise<RemoveResult> {
    const removed: string[] = [];
    const withVolumes = options.volumes === true;
    if (withVolumes && (serviceRef || !stackName)) throw new InputError('--volumes goes with --stack NAME: named volumes belong to a stack, not to one service');
    if (withVolumes && !this.volumes) throw new InputError('this coordinator does not track volumes');
    const nodeIds = Object.keys(this.store.state.nodes);
    const now = this.clock.now();
    if (serviceRef) {
      const [stack, service] = resolveService(this.store.state, serviceRef, stackName);
      this.store.transact((s) => {
        delete s.stacks[stack]!.services[service];
        forgetService(s, serviceKey(stack, service));
        if (Object.keys(s.stacks[stack]!.services).length === 0) delete s.stacks[stack];
      });
      removed.push(`${stack}/${service}`);
    } else {
      const stack = Object.hasOwn(this.store.state.stacks, stackName) ? this.store.state.stacks[stackName] : undefined;
      // A stack removed before: `--volumes` still removes the volumes it left, wherever they may be.
      if (!stack && !(withVolumes && this.volumes!.mayHaveVolumes(stackName))) {
        throw new NotFoundError(`no stack named ${JSON.stringify(stackName)}${withVolumes ? ' and no node reports volumes of it' : ''}`, `stack ${stackName}`);
      }
      removed.push(...Object.keys(stack?.services ?? {}).map((s) => `${stackName}/${s}`));
      this.store.transact((s) => {
        if (stack) {
          for (const service of Object.keys(s.stacks[stackName]!.services)) forgetService(s, serviceKey(stackName, service));
          delete s.stacks[stackName];
          // As `docker stack rm`: the secrets and configs the stack's file created go with it.
          this.secrets?.removeStackObjects(s, stackName);
        }
        // Every node: a replica may have run (and made its volume) on any of them over time.
        if (withVolumes) scheduleVolumeRemoval(s, stackName, nodeIds, now);
      });
    }
    if (removed.length) this.events.append({ type: 'service.removed', nodeId: '', nodeName: '', from: '', to: '', reason: '', message: removed.join(', ') });
    if (withVolumes) this.events.append({ type: 'volume.removal', nodeId: '', nodeName: '', from: '', to: '', reason: 'rm --volumes', message: `${stackName}: on ${nodeIds.length} node(s), once its containers are gone from each` });
    await this.store.flush();
    await this.loop.kick();
    const stopping = Object.values(this.store.state.allocations).filter((a) => a.desired === 'stop' && removed.includes(`${a.stack}/${a.service}`)).length;
    const nodes = this.store.state.nodes;
    return {
      removed,
      stopping,
      volumesKept: !withVolumes && !serviceRef && this.volumes ? this.volumes.known(stackName).volumes : 0,
      volumeNodes: withVolumes ? nodeIds.map((id) => nodes[id]?.name ?? id).sort() : [],
    };
  }

  /**
   * Back to the previous spec (`baton rollback`), as one more rollout with the rollback_config of
   * the spec it leaves. Twice in a row returns to where it started, as `docker service rollback` does.
   */
  async rollback(serviceRef: string): Promise<RollbackResult> {
    const [stack, service] = resolveService(this.store.state, serviceRef);
    const key = serviceKey(stack, service);
    const svc = this.store.state.stacks[stack]!.services[service]!;
    const list = this.store.state.history[key] ?? [];
    const previous = [...list].reverse().find((r) => r.generation < svc.generation && r.specHash !== svc.specHash);
    if (!previous) throw new ConflictError(`${service}: no previous spec to roll back to (generation ${svc.generation} is the only one kept)`);
    const reason = `${service}: rollback by request: back to generation ${previous.generation}`;
    // The spec it returns to may publish a port another service has taken since.
    const addresses = this.addressesWith(stack, service, previous.spec);
    if (addresses.errors.length) throw new ConflictError(`${service}: cannot roll back to generation ${previous.generation}: ${addresses.errors.join('; ')}`);
    const generation = this.revert(stack, service, previous as RevisionRecord, addresses, reason, 'manual');
    this.events.append({ type: 'service.rollback', nodeId: '', nodeName: '', from: String(svc.generation), to: String(generation), reason: 'by request', message: `${stack}/${reason}` });
    await this.store.flush();
    await this.loop.kick();
    return { stack, service, from: generation - 1, restores: previous.generation, generation };
  }

  /**
   * The control loop's request (its rollout step found failures over the ratio). Synchronous and
   * without a kick: it runs inside a control-loop round, which flushes. False when the spec to
   * return to is no longer kept, or publishes a port another service has taken since; the loop
   * then pauses the rollout instead.
   */
  autoRollback(req: AutoRollbackRequest): boolean {
    const key = serviceKey(req.stack, req.service);
    const svc = this.store.state.stacks[req.stack]?.services[req.service];
    const previous = this.store.state.history[key]?.find((r) => r.generation === req.toGeneration && r.specHash === req.toSpecHash);
    if (!svc || !previous) return false;
    const addresses = this.addressesWith(req.stack, req.service, previous.spec);
    if (addresses.errors.length) return false;
    this.revert(req.stack, req.service, previous as RevisionRecord, addresses, req.reason, 'auto');
    return true;
  }

  /**
   * depends_on `restart: true` (as Compose does it): `dependency` was just updated (its rollout
   * completed), so every service of its stack that depends on it with restart: true is restarted,
   * as a rollout of the same spec under a new generation (a restart marker in its spec hash, like
   * Swarm's ForceUpdate), health-gated per its update_config. Synchronous and without a kick: the
   * control loop calls it inside a round, which flushes. Returns the services restarted.
   */
  restartDependents(stack: string, dependency: string): string[] {
    const st = this.store.state.stacks[stack];
    if (!st) return [];
    const names = Object.entries(st.services)
      .filter(([, svc]) => svc.spec.dependsOn.some((d) => d.service === dependency && d.restart))
      .map(([name]) => name);
    if (!names.length) return [];
    const now = this.clock.now();
    this.store.transact((s) => {
      const stk = s.stacks[stack]!;
      for (const name of names) {
        const svc = stk.services[name]!;
        const key = serviceKey(stack, name);
        const generation = svc.generation + 1;
        const hash = `${withoutRestart(svc.specHash)}${RESTART_MARK}${generation}`;
        closeRevision(s, key, svc, endedOutcome(s.rollouts[key], svc.generation));
        // The spec from outside the transaction: its journal's proxies cannot be cloned.
        pushRevision((s.history[key] ??= []), { generation, specHash: hash, spec: structuredClone(st.services[name]!.spec) as ServiceSpec, atMs: now, change: `restart after ${dependency} was updated (depends_on restart: true)`, outcome: '', outcomeReason: '' });
        s.rollouts[key] = newRollout({ kind: 'update', target: { generation, specHash: hash }, from: { generation: svc.generation, specHash: svc.specHash }, config: svc.spec.updateConfig as ServiceSpec['updateConfig'], nowMs: now });
        stk.services[name] = { ...svc, specHash: hash, generation } as typeof svc;
      }
      stk.generation += 1;
      stk.updatedAtMs = now;
    });
    for (const name of names) {
      this.events.append({ type: 'service.restarted', nodeId: '', nodeName: '', from: '', to: '', reason: `${dependency} updated`, message: `${stack}/${name}: restarting after ${dependency} was updated (depends_on restart: true)` });
    }
    return names;
  }

  /** Makes `revision`'s spec current under a new generation and starts the rollback rollout; returns the new generation. */
  private revert(stack: string, service: string, revision: RevisionRecord, addresses: ServiceAddresses, reason: string, by: 'manual' | 'auto'): number {
    const now = this.clock.now();
    const key = serviceKey(stack, service);
    return this.store.transact((s) => {
      const st = s.stacks[stack]!;
      const svc = st.services[service]!;
      const rollout = s.rollouts[key];
      const active = rollout && rollout.targetGeneration === svc.generation && rollout.state !== 'completed';
      closeRevision(s, key, svc, by === 'auto' ? { outcome: 'rolled-back', outcomeReason: reason } : active ? { outcome: 'rolled-back', outcomeReason: 'rolled back by request' } : endedOutcome(rollout, svc.generation));
      const generation = svc.generation + 1;
      const from = { generation: svc.generation, specHash: svc.specHash };
      const config = svc.spec.rollbackConfig;
      st.services[service] = { spec: structuredClone(revision.spec) as ServiceSpec, specHash: revision.specHash, generation, replicas: svc.replicas, ...carriedHomes(svc, revision.spec) };
      writeAddresses(st.services[service]!, addresses, key);
      pushRevision(s.history[key]!, { generation, specHash: revision.specHash, spec: structuredClone(revision.spec) as ServiceSpec, atMs: now, change: `rollback to generation ${revision.generation}`, outcome: '', outcomeReason: '' });
      s.rollouts[key] = newRollout({ kind: 'rollback', target: { generation, specHash: revision.specHash }, from, config, nowMs: now, reason, restoresGeneration: revision.generation });
      st.generation += 1;
      st.updatedAtMs = now;
      return generation;
    });
  }

  /** Every service's addresses with `service` of `stack` running `spec` (a rollback's). */
  private addressesWith(stack: string, service: string, spec: DeepReadonly<ServiceSpec>): ServiceAddresses {
    const st = this.store.state.stacks[stack]!;
    return serviceAddresses(this.serviceCidr, Object.values(this.store.state.stacks), {
      stack,
      services: Object.entries(st.services).map(([name, svc]) => ({ name, spec: name === service ? spec : svc.spec, vip: svc.vip, assignedPorts: svc.assignedPorts })),
    });
  }

  private unplacedOf(stack: string): UnplacedInfo[] {
    return this.loop.unplaced(stack).map(toUnplacedInfo);
  }
}

/** Records how the current revision ended; a service from before the history existed gets its entry first. */
function closeRevision(s: State, key: string, current: DeepReadonly<ServiceRecord>, ended: Pick<RevisionRecord, 'outcome' | 'outcomeReason'>): void {
  const list = (s.history[key] ??= []);
  let entry = list.find((r) => r.generation === current.generation);
  if (!entry) {
    entry = { generation: current.generation, specHash: current.specHash, spec: structuredClone(current.spec) as ServiceSpec, atMs: 0, change: 'before history was kept', outcome: '', outcomeReason: '' };
    pushRevision(list, entry);
  }
  if (entry.outcome === '') Object.assign(entry, ended);
}

/** The record's VIP and assigned ports differ from `plan`'s (a service `plan` has no VIP for keeps its own). */
function addressesDiffer(rec: DeepReadonly<ServiceRecord>, plan: ServiceAddresses, key: string): boolean {
  const vip = plan.vips.get(key);
  const ports = plan.assignedPorts.get(key) ?? {};
  const had = rec.assignedPorts ?? {};
  return (vip !== undefined && vip !== rec.vip) || Object.keys(ports).length !== Object.keys(had).length || Object.entries(ports).some(([k, v]) => had[k] !== v);
}

function writeAddresses(rec: ServiceRecord, plan: ServiceAddresses, key: string): void {
  const vip = plan.vips.get(key);
  if (vip !== undefined) rec.vip = vip;
  const ports = plan.assignedPorts.get(key) ?? {};
  if (Object.keys(ports).length) rec.assignedPorts = { ...ports };
  else delete rec.assignedPorts;
}

/**
 * The count a deploy leaves: the file's, except for a service that stays autoscaled, which keeps the
 * autoscaler's count moved into the new min..max (a redeploy does not reset the load's count).
 */
function replicasOnDeploy(spec: ServiceSpec, prev: DeepReadonly<ServiceRecord>): number {
  const a = spec.autoscale;
  if (!a || !prev.spec.autoscale) return spec.replicas;
  return Math.min(a.max, Math.max(a.min, prev.replicas));
}

/** A removed service's rollout and history go with it (a new service of the same name starts afresh). */
function forgetService(s: State, key: string): void {
  delete s.rollouts[key];
  delete s.history[key];
}

/** A restart (depends_on restart: true) marks the spec hash: same spec, new containers. */
const RESTART_MARK = '#restart-';

/** The hash of the spec alone, without a restart marker: what a deploy compares. */
function withoutRestart(hash: string): string {
  const i = hash.indexOf(RESTART_MARK);
  return i < 0 ? hash : hash.slice(0, i);
}

export function toUnplacedInfo(p: PendingReplica): UnplacedInfo {
  return { service: p.service, replica: p.replica, reason: p.reason, kind: p.kind };
}

/**
 * `web` or `shop/web` -> [stack, service]. A bare name must be unique across stacks (or within
 * `stackHint`); an ambiguous one is the user's to fix.
 */
export function resolveService(state: DeepReadonly<Pick<State, 'stacks'>>, ref: string, stackHint = ''): [stack: string, service: string] {
  const stacks = state.stacks;
  if (ref.includes('/')) {
    const [stack, service] = ref.split('/', 2) as [string, string];
    // Own keys only: a name like `constructor` or `__proto__` is no stack (nor service) of ours.
    if (!Object.hasOwn(stacks, stack) || !Object.hasOwn(stacks[stack]!.services, service)) throw new NotFoundError(`no service ${JSON.stringify(ref)}`, `service ${ref}`);
    return [stack, service];
  }
  const matches = Object.values(stacks).filter((s) => Object.hasOwn(s.services, ref) && (!stackHint || s.name === stackHint));
  if (matches.length === 0) throw new NotFoundError(`no service named ${JSON.stringify(ref)}`, `service ${ref}`);
  if (matches.length > 1) throw new InputError(`service ${JSON.stringify(ref)} exists in stacks ${matches.map((m) => m.name).join(', ')}: use stack/service`);
  return [matches[0]!.name, ref];
}
