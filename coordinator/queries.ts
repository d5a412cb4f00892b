// Read models for the CLI: services (desired against running), replicas (where each runs, in
// which state), a service's rollout and its spec history. They join desired state, allocations,
// rollouts, the pool's latest reports and the control loop's pending replicas; nothing here writes.
import type { PortSpec } from '../shared/compose/types.js';
import { NotFoundError } from '../shared/errors.js';
import { runsCurrentSpec } from './allocation-spec.js';
import { desiredSlots } from './desired-slots.js';
import type { HealthStatus } from '../shared/model/health.js';
import type { ControlLoop } from './control-loop.js';
import type { EndpointPublisher } from './ingress/endpoint-publisher.js';
import { endpointsView, ingressIndex, ingressSummaries, type EndpointsView, type IngressPortSummary } from './ingress/endpoint-views.js';
import { endpointModel, type EndpointModel } from './ingress/endpoints.js';
import type { NodePool, NodeView } from './node-pool.js';
import { observedReplicas, type ObservedNow } from './observed.js';
import { specExpectsHealth } from './rollout/deadline.js';
import { rolloutInputOf } from './rollout/from-state.js';
import type { RevisionOutcome } from './rollout/history.js';
import { progressOf } from './rollout/progress.js';
import type { RolloutKind } from './rollout/record.js';
import { groupByService, serviceKey } from './slot-key.js';
import { resolveService, toUnplacedInfo, type UnplacedInfo } from './stacks.js';
import type { AllocationRecord, DeepReadonly } from './store/schema.js';
import type { Store } from './store/store.js';

export interface ServiceRow {
  stack: string;
  name: string;
  image: string;
  desired: number;
  running: number;
  /** `global`: one replica per eligible node (desired counts them). */
  mode: 'replicated' | 'global';
  generation: number;
  /** `8080->80/tcp (ingress)`, `127.0.0.1:53->53/udp (host)`: published (or assigned) -> target, and how it is published. */
  ports: string[];
  /** The service address its name resolves to inside containers; empty before one is assigned. */
  vip: string;
  pending: UnplacedInfo[];
  /** Running replicas of the current generation whose check passes. */
  healthy: number;
  /** The spec has a health check, or a replica reports one (an image's own HEALTHCHECK). */
  healthChecked: boolean;
  /** Each `mode: ingress` port over the nodes. */
  ingress: IngressPortSummary[];
  /** x-baton.autoscale's bounds and targets; undefined when the count is the operator's. */
  autoscale?: { min: number; max: number; cpuTargetPercent: number; memoryTargetPercent: number };
}

/** One port as `docker ps` writes it, with the published port Baton assigned for an ingress port written without one. */
export function portText(p: DeepReadonly<PortSpec>, assigned: Readonly<Record<string, number>> | undefined): string {
  const published = p.published ?? (p.mode === 'ingress' ? assigned?.[`${p.target}/${p.protocol}`] : undefined);
  const from = published === undefined ? '' : `${p.hostIp !== undefined ? `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp}:` : ''}${published}->`;
  return `${from}${p.target}/${p.protocol} (${p.mode})`;
}

export interface ReplicaRow {
  stack: string;
  service: string;
  replica: number;
  allocationId: string;
  node: string;
  containerId: string;
  /** Docker's state as the node reports it, or pending / stopped / unplaced / waiting (depends_on). */
  state: string;
  desired: 'run' | 'stop';
  generation: number;
  restarts: number;
  cpuPercent: number;
  memoryBytes: number;
  sinceMs: number;
  error: string;
  /** The health check's verdict while the replica runs; `none` otherwise or without a check. */
  health: HealthStatus;
  healthOutput: string;
}

export interface RolloutStatus {
  stack: string;
  service: string;
  kind: RolloutKind;
  /** rolled-back: a rollback rollout that completed (the service runs its previous spec again). */
  state: 'running' | 'paused' | 'completed' | 'rolled-back';
  /** Why it paused or rolled back; empty otherwise. */
  reason: string;
  /** The generation it moves the service to. */
  generation: number;
  fromGeneration: number;
  /** A rollback: the generation whose spec it restores (0 otherwise). */
  restoresGeneration: number;
  /** Slots whose new replica counts as updated, of the slots this rollout moves. */
  updated: number;
  total: number;
  /** Replicas of the target spec that run healthy now (or run, when there is no health check). */
  healthy: number;
  failures: number;
  startedAtMs: number;
  /** 0 while it runs or is paused. */
  endedAtMs: number;
}

export interface HistoryRow {
  generation: number;
  atMs: number;
  image: string;
  /** What changed from the revision before. */
  change: string;
  /** How its rollout ended, or how it stands for the current one (`rolling out`, `paused`, ...). */
  outcome: Exclude<RevisionOutcome, ''> | 'rolling out';
  reason: string;
  current: boolean;
}

export class Queries {
  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly loop: Pick<ControlLoop, 'unplaced'>,
    /** The endpoint set the nodes were sent; without it (or before its first), one computed on the spot. */
    private readonly published?: Pick<EndpointPublisher, 'current'>,
  ) {}

  services(): ServiceRow[] {
    const state = this.store.state;
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const ingress = ingressIndex(this.endpointModel(views, observed).model, views);
    const pending = this.loop.unplaced();
    // One pass over the allocations, grouped by service (not one scan of all of them per service).
    const running = new Map<string, number>();
    const healthy = new Map<string, number>();
    const reportsHealth = new Set<string>();
    for (const a of this.store.allocations()) {
      const o = observed.get(a.id);
      if (a.desired !== 'run' || o?.state !== 'running') continue;
      const svc = state.stacks[a.stack]?.services[a.service];
      if (!svc || !runsCurrentSpec(a, svc)) continue;
      const key = serviceKey(a.stack, a.service);
      running.set(key, (running.get(key) ?? 0) + 1);
      if (o.health !== 'none') reportsHealth.add(key);
      if (o.health === 'healthy') healthy.set(key, (healthy.get(key) ?? 0) + 1);
    }
    let grouped: Map<string, DeepReadonly<AllocationRecord>[]> | undefined;
    const allocationsOf = (key: string) => (grouped ??= groupByService(this.store.allocations())).get(key) ?? [];
    return Object.values(state.stacks).flatMap((stack) =>
      Object.entries(stack.services).map(([name, svc]) => {
        const key = serviceKey(stack.name, name);
        const check = svc.spec.healthcheck;
        return {
          stack: stack.name,
          name,
          image: svc.spec.image,
          desired: desiredSlots(svc.spec, svc.replicas, svc.spec.mode === 'global' ? allocationsOf(key) : [], views).slots.length,
          mode: svc.spec.mode ?? 'replicated',
          running: running.get(serviceKey(stack.name, name)) ?? 0,
          generation: svc.generation,
          ports: svc.spec.ports.map((p) => portText(p, svc.assignedPorts)),
          vip: svc.vip ?? '',
          pending: pending.filter((u) => u.stack === stack.name && u.service === name).map(toUnplacedInfo),
          healthy: healthy.get(key) ?? 0,
          // Timings only (`test` empty, no probe) keep the image's check, which only reports can tell.
          healthChecked: (check !== undefined && !check.disable && (check.test.length > 0 || check.probe !== undefined)) || reportsHealth.has(key),
          ingress: ingressSummaries(ingress, stack.name, name, svc),
          ...(svc.spec.autoscale
            ? { autoscale: { min: svc.spec.autoscale.min, max: svc.spec.autoscale.max, cpuTargetPercent: svc.spec.autoscale.cpuPercent ?? 0, memoryTargetPercent: svc.spec.autoscale.memoryPercent ?? 0 } }
            : {}),
        };
      }),
    );
  }

  /** Every replica (optionally of one service: `web` or `stack/web`), unplaced ones included. */
  replicas(serviceRef = ''): ReplicaRow[] {
    const state = this.store.state;
    const [stackFilter, serviceFilter] = serviceRef ? resolveService(state, serviceRef) : ['', ''];
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const names = new Map(views.map((n) => [n.id, n.name]));
    const rows: ReplicaRow[] = this.store.allocations()
      .filter((a) => !serviceRef || (a.stack === stackFilter && a.service === serviceFilter))
      .map((a) => {
        const o = observed.get(a.id);
        // Live while it runs (reports carry Baton's checks and the latest output); no verdict otherwise.
        const running = o?.state === 'running';
        return {
          stack: a.stack,
          service: a.service,
          replica: a.replica,
          allocationId: a.id,
          node: names.get(a.nodeId) ?? a.nodeId,
          containerId: o?.containerId || a.observed?.containerId || '',
          state: o?.state ?? (a.desired === 'run' ? 'pending' : 'stopped'),
          desired: a.desired,
          generation: a.generation,
          restarts: a.observed?.restarts ?? 0,
          cpuPercent: o?.cpuPercent ?? 0,
          memoryBytes: o?.memoryBytes ?? 0,
          sinceMs: a.observed?.state === 'running' ? a.observed.atMs : 0,
          error: a.observed?.error ?? '',
          health: running ? o.health : 'none',
          healthOutput: running ? o.healthOutput || a.observed?.healthOutput || '' : (a.observed?.healthOutput ?? ''),
        };
      });
    for (const p of this.loop.unplaced()) {
      if (serviceRef && (p.stack !== stackFilter || p.service !== serviceFilter)) continue;
      rows.push({ stack: p.stack, service: p.service, replica: p.replica, allocationId: '', node: '', containerId: '', state: p.kind, desired: 'run', generation: 0, restarts: 0, cpuPercent: 0, memoryBytes: 0, sinceMs: 0, error: p.reason, health: 'none', healthOutput: '' });
    }
    return rows.sort((a, b) => a.stack.localeCompare(b.stack) || a.service.localeCompare(b.service) || a.replica - b.replica || a.desired.localeCompare(b.desired));
  }

  /** Where each node sends the service's traffic (`baton endpoints`): its replicas, serving or not, per node. */
  endpoints(serviceRef: string): EndpointsView {
    const state = this.store.state;
    const [stack, service] = resolveService(state, serviceRef);
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const { model, version } = this.endpointModel(views, observed);
    const svc = state.stacks[stack]!.services[service]!;
    const allocations = this.store.allocations().filter((a) => a.stack === stack && a.service === service);
    return endpointsView({ stack, service, svc, model, version, views, allocations, observed });
  }

  private endpointModel(views: readonly NodeView[], observed: ReadonlyMap<string, ObservedNow>): { model: EndpointModel; version: number } {
    const current = this.published?.current();
    if (current) return current;
    return { model: endpointModel({ stacks: this.store.state.stacks, allocations: this.store.allocations(), observed, nodes: views }), version: 0 };
  }

  /** `web` or `stack/web` -> [stack, service], or NotFoundError / InputError (ambiguous). */
  resolve(serviceRef: string): [stack: string, service: string] {
    return resolveService(this.store.state, serviceRef);
  }

  /** The service's latest rollout (running, paused or finished): progress, health and why it stands so. */
  rolloutStatus(serviceRef: string): RolloutStatus {
    const state = this.store.state;
    const [stack, service] = resolveService(state, serviceRef);
    const key = serviceKey(stack, service);
    const record = state.rollouts[key];
    if (!record) throw new NotFoundError(`${service} has had no rollout (it was deployed once and not changed since)`, `rollout of ${key}`);
    const svc = state.stacks[stack]!.services[service]!;
    const views = this.pool.list();
    const observed = observedReplicas(views, state.allocations);
    const allocations = this.store.allocations().filter((a) => a.stack === stack && a.service === service);
    const slots = desiredSlots(svc.spec, svc.replicas, allocations, views).slots;
    const input = rolloutInputOf({ service, svc, record, allocations, observed, connected: new Set(views.filter((n) => n.connected).map((n) => n.id)), unplaced: new Map(), nowMs: 0, slots });
    const p = progressOf(record, slots, input.allocations);
    const inService = new Set(slots);
    const expectsHealth = specExpectsHealth(svc.spec.healthcheck as Parameters<typeof specExpectsHealth>[0]);
    const healthy = input.allocations.filter(
      (a) => a.desired === 'run' && inService.has(a.slot) && a.specHash === record.targetSpecHash && a.live === 'running' && (a.health === 'healthy' || (!expectsHealth && (a.health === '' || a.health === 'none'))),
    ).length;
    return {
      stack,
      service,
      kind: record.kind,
      state: record.state === 'completed' && record.kind === 'rollback' ? 'rolled-back' : record.state,
      reason: record.reason,
      generation: record.targetGeneration,
      fromGeneration: record.fromGeneration,
      restoresGeneration: record.restoresGeneration ?? 0,
      updated: p.updated,
      total: p.total,
      healthy,
      failures: p.failed,
      startedAtMs: record.startedAtMs,
      endedAtMs: record.endedAtMs ?? 0,
    };
  }

  /** The service's kept specs, newest first (at most HISTORY_LIMIT, see rollout/history.ts). */
  history(serviceRef: string): HistoryRow[] {
    const state = this.store.state;
    const [stack, service] = resolveService(state, serviceRef);
    const key = serviceKey(stack, service);
    const svc = state.stacks[stack]!.services[service]!;
    const record = state.rollouts[key];
    return [...(state.history[key] ?? [])].reverse().map((r) => {
      const current = r.generation === svc.generation;
      let outcome: HistoryRow['outcome'] = r.outcome || 'deployed';
      let reason = r.outcomeReason;
      if (r.outcome === '' && record && record.targetGeneration === r.generation) {
        outcome = record.state === 'running' ? 'rolling out' : record.state;
        reason = record.reason;
      }
      return { generation: r.generation, atMs: r.atMs, image: r.spec.image, change: r.change, outcome, reason, current };
    });
  }
}
