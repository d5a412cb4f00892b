// The autoscaler: every sync it takes one sample per autoscaled service from the nodes' latest
// reports, keeps a bounded window of them in memory, runs the pure decision and, when the count
// should change, writes it through Stacks (the same desired-state write as `baton scale`; the
// control loop then places or stops replicas with the scheduler). Nothing of it is durable: after a
// coordinator restart each service waits a fresh window before deciding (no burst of decisions).
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { NodePool } from '../node-pool.js';
import { observedReplicas } from '../observed.js';
import { serviceKey } from '../slot-key.js';
import type { Stacks } from '../stacks.js';
import type { Store } from '../store/store.js';
import { decide, prune, type AutoscaleDecision, type AutoscaleSample, type Recommendation } from './decide.js';
import { sampleOf, type ReplicaReading } from './sample.js';
import type { AutoscaleSpec } from '../../shared/compose/types.js';

export interface AutoscalerOptions {
  /** How often a sample is taken and a decision made (the HPA's sync period is 15 s). @default 1000 */
  syncMs?: number;
}

/** What `baton autoscale status` shows for one service. */
export interface AutoscaleStatus {
  readonly stack: string;
  readonly service: string;
  readonly spec: AutoscaleSpec;
  /** The desired count now. */
  readonly replicas: number;
  /** The last decision and when; undefined before the first sync. */
  readonly last?: AutoscaleDecision & { readonly atMs: number };
  /** The last change it made since the coordinator started. */
  readonly lastChange?: { readonly atMs: number; readonly from: number; readonly to: number; readonly reason: string };
  /** Samples held for the window. */
  readonly samples: number;
}

interface ServiceState {
  startedAtMs: number;
  windowStartMs: number;
  samples: AutoscaleSample[];
  recommendations: Recommendation[];
  last?: AutoscaleDecision & { atMs: number };
  lastChange?: { atMs: number; from: number; to: number; reason: string };
  /** allocation id -> when first seen running (for the warm-up). */
  runningSince: Map<string, number>;
  /** The spec the state was built for: a new one starts a fresh window. */
  specText: string;
}

export class Autoscaler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly services = new Map<string, ServiceState>();
  private readonly syncMs: number;

  constructor(
    private readonly store: Store,
    private readonly pool: Pick<NodePool, 'list'>,
    private readonly stacks: Pick<Stacks, 'autoscale'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: AutoscalerOptions = {},
  ) {
    this.syncMs = options.syncMs ?? 1000;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.syncMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** One sync: sample, decide, and act on every autoscaled service. Resolves when its writes are done. */
  tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.sync()
      .catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'autoscale sync failed'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  status(): AutoscaleStatus[] {
    const out: AutoscaleStatus[] = [];
    for (const stack of Object.values(this.store.state.stacks)) {
      for (const [name, svc] of Object.entries(stack.services)) {
        if (!svc.spec.autoscale) continue;
        const st = this.services.get(serviceKey(stack.name, name));
        out.push({
          stack: stack.name,
          service: name,
          spec: svc.spec.autoscale as AutoscaleSpec,
          replicas: svc.replicas,
          ...(st?.last ? { last: st.last } : {}),
          ...(st?.lastChange ? { lastChange: st.lastChange } : {}),
          samples: st?.samples.length ?? 0,
        });
      }
    }
    return out;
  }

  private async sync(): Promise<void> {
    const now = this.clock.now();
    const state = this.store.state;
    const scaled = Object.values(state.stacks).flatMap((st) => Object.entries(st.services).filter(([, svc]) => svc.spec.autoscale && svc.spec.mode !== 'global').map(([name]) => [st.name, name] as const));
    const keys = new Set(scaled.map(([stack, name]) => serviceKey(stack, name)));
    for (const key of this.services.keys()) if (!keys.has(key)) this.services.delete(key);
    if (scaled.length === 0) return;
    const observed = observedReplicas(this.pool.list(), state.allocations);
    const byService = new Map<string, ReplicaReading[]>();
    const ids = new Map<string, string[]>();
    for (const a of Object.values(state.allocations)) {
      if (a.desired !== 'run') continue;
      const key = serviceKey(a.stack, a.service);
      if (!keys.has(key)) continue;
      const o = observed.get(a.id);
      const st = this.stateOf(key, now, state.stacks[a.stack]!.services[a.service]!.spec.autoscale as AutoscaleSpec);
      if (o?.state === 'running') {
        if (!st.runningSince.has(a.id)) st.runningSince.set(a.id, now);
      } else st.runningSince.delete(a.id);
      const reading: ReplicaReading = o
        ? { state: o.state, health: o.health, cpuPercent: o.cpuPercent, memoryBytes: o.memoryBytes, ...(st.runningSince.has(a.id) ? { runningSinceMs: st.runningSince.get(a.id)! } : {}) }
        : {};
      byService.set(key, [...(byService.get(key) ?? []), reading]);
      ids.set(key, [...(ids.get(key) ?? []), a.id]);
    }
    for (const [stack, name] of scaled) {
      const key = serviceKey(stack, name);
      const svc = state.stacks[stack]!.services[name]!;
      const spec = svc.spec.autoscale as AutoscaleSpec;
      const st = this.stateOf(key, now, spec);
      const live = new Set(ids.get(key) ?? []);
      for (const id of st.runningSince.keys()) if (!live.has(id)) st.runningSince.delete(id);
      st.samples.push(sampleOf(svc.spec, byService.get(key) ?? [], now));
      prune(st.samples, now, spec.windowMs);
      const decision = decide({
        spec,
        current: svc.replicas,
        samples: st.samples,
        recommendations: st.recommendations,
        windowStartMs: st.windowStartMs,
        startedAtMs: st.startedAtMs,
        ...(st.lastChange ? { lastChangeAtMs: st.lastChange.atMs } : {}),
        nowMs: now,
      });
      if (decision.recommendation !== undefined) st.recommendations.push({ atMs: now, replicas: decision.recommendation });
      prune(st.recommendations, now, Math.max(spec.scaleUpWindowMs, spec.scaleDownWindowMs, 1));
      st.last = { ...decision, atMs: now };
      if (decision.kind !== 'scale') continue;
      const reason = `${name}: ${decision.reason}`;
      const done = await this.stacks.autoscale(stack, name, decision.current, decision.desired, decision.reason);
      if (!done) continue;
      this.log.info({ service: key, from: decision.current, to: decision.desired, reason }, 'autoscaled');
      st.lastChange = { atMs: now, from: decision.current, to: decision.desired, reason: decision.reason };
      // The samples so far were taken at the old count: the next decision waits a window at the new one.
      st.windowStartMs = now;
      st.samples.length = 0;
    }
  }

  private stateOf(key: string, now: number, spec: AutoscaleSpec): ServiceState {
    const specText = JSON.stringify(spec);
    let st = this.services.get(key);
    if (!st || st.specText !== specText) {
      st = { startedAtMs: now, windowStartMs: now, samples: [], recommendations: [], runningSince: st?.runningSince ?? new Map(), specText };
      this.services.set(key, st);
    }
    return st;
  }
}
