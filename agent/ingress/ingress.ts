// The node's ingress controller: keeps the newest EndpointSet, turns it (with the agent's own local
// drops) into the kernel's rules and the held published ports, drains a replica before its stop,
// and builds the IngressReport. The rules stay in the kernel when the agent stops.
import type { Logger } from '../../shared/logger.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import type { EndpointSet, IngressReport } from '../../shared/model/ingress.js';
import type { ReplicaStatus } from '../../shared/model/replica-state.js';
import { ok, type Result } from '../../shared/result.js';
import { deleteUnanswered, openConnections, readConntrackText, type ConntrackDelete, type ConntrackSource } from './conntrack.js';
import { Nft } from './nft.js';
import { PortHolders, type HeldPort } from './port-holder.js';
import { addTotals, buildReport, totalsFrom, ZERO_TOTALS, type ServiceTotals } from './report.js';
import { assignServiceIndexes, DEFAULT_TABLE, renderRuleset, type ServiceCounterNames } from './ruleset.js';

/**
 * Counters and conntrack are read at most this often for reports: each read spawns `nft` and walks
 * the conntrack table, which at every 2 s doubled the agent's CPU (bench:agent --ingress: 2.2% vs
 * 1.2%); 10 s is finer than a usual Prometheus scrape. Draining reads conntrack on its own.
 */
export const SAMPLE_EVERY_MS = 10_000;
/** A drain waits at least this long (capped by the grace period): every node applies the set that drops the replica. */
export const MIN_DRAIN_MS = 1000;
const DRAIN_POLL_MS = 200;
/** How often a published port another process held is tried again (and served once free). */
export const PORT_RETRY_MS = 10_000;
/** Own replicas remembered for draining after the coordinator already dropped them from the set. */
const REMEMBERED_ENDPOINTS = 1024;

/**
 * What an own replica's status means for this node's rules, at once (the coordinator follows within
 * a round): `drop` when it is not running or is unhealthy, `serve` when running and healthy (or
 * without a check), `keep` while its health is still starting.
 */
export function localVerdict(s: Pick<ReplicaStatus, 'state' | 'health'>): 'drop' | 'serve' | 'keep' {
  if (s.state !== 'running' || s.health === 'unhealthy') return 'drop';
  return s.health === 'starting' ? 'keep' : 'serve';
}

export interface IngressOptions {
  readonly nodeId: string;
  readonly log: Logger;
  /** @default 'baton' */
  readonly table?: string;
  readonly nft?: Nft;
  readonly conntrack?: ConntrackSource;
  /** Forgets unanswered handshakes to an endpoint taken out of the rules; by default `conntrack -D`. */
  readonly forget?: ConntrackDelete;
  /** null: hold no ports (tests of the rules alone). */
  readonly holders?: PortHolders | null;
  readonly clock?: Clock;
  /** @default SAMPLE_EVERY_MS */
  readonly sampleEveryMs?: number;
}

/** Where an own replica is reached, to watch its connections drain. */
export interface DrainTarget {
  readonly containerIp: string;
  readonly targets: readonly number[];
}

export interface DrainResult {
  readonly waitedMs: number;
  /** Connections still open when the wait ended (0: drained; more: the grace period ran out). */
  readonly open: number;
}

interface Sample {
  readonly atMs: number;
  readonly totals: Map<string, ServiceTotals>;
  readonly open: Map<string, number>;
}

export class Ingress {
  private readonly table: string;
  private readonly nft: Nft;
  private readonly conntrack: ConntrackSource;
  private readonly holders: PortHolders | null;
  private readonly clock: Clock;
  private set: EndpointSet | undefined;
  private appliedVersion = 0;
  private applyError = '';
  private anyVersion = true;
  private indexes = new Map<string, number>();
  private readonly drops = new Set<string>();
  /** Totals of tables already replaced, by service key. */
  private readonly base = new Map<string, ServiceTotals>();
  /** The counters of the table in the kernel now. */
  private current: readonly ServiceCounterNames[] = [];
  private readonly own = new Map<string, DrainTarget>();
  private applying: Promise<unknown> = Promise.resolve();
  private sample: Sample | undefined;
  private sampling: Promise<Sample> | undefined;
  private portsInUse = new Set<number>();
  private lastPortRetryMs = 0;
  /** `address:port` this node's rules forward to now. */
  private routed: ReadonlySet<string> = new Set<string>();
  private forgetWarned = false;

  constructor(private readonly options: IngressOptions) {
    this.table = options.table ?? DEFAULT_TABLE;
    this.nft = options.nft ?? new Nft();
    this.conntrack = options.conntrack ?? readConntrackText;
    this.holders = options.holders === undefined ? new PortHolders() : options.holders;
    this.clock = options.clock ?? systemClock;
  }

  /** A new session: its coordinator may be a restarted one counting versions from 1 again. */
  newSession(): void {
    this.anyVersion = true;
  }

  /** Takes a set unless an older one than held (within a session); applies it. */
  update(set: EndpointSet): Promise<Result<void>> {
    if (this.set && !this.anyVersion && set.version <= this.set.version) return Promise.resolve(ok(undefined));
    this.anyVersion = false;
    this.set = set;
    const present = new Set<string>();
    for (const s of set.services) {
      for (const e of s.endpoints) {
        present.add(e.allocationId);
        if (e.nodeId !== this.options.nodeId || !e.containerIp) continue;
        const targets = new Set(s.targetPorts.filter((p) => p.protocol === 'tcp').map((p) => p.port));
        for (const p of s.published) if (p.protocol === 'tcp') targets.add(p.target);
        this.own.delete(e.allocationId);
        this.own.set(e.allocationId, { containerIp: e.containerIp, targets: [...targets] });
      }
    }
    while (this.own.size > REMEMBERED_ENDPOINTS) this.own.delete(this.own.keys().next().value as string);
    // The coordinator caught up with a local drop once its set leaves the replica out.
    for (const id of [...this.drops]) if (!present.has(id)) this.drops.delete(id);
    return this.reapply();
  }

  /** Whether an own replica of this id was in a set received (its connections can be drained). */
  knows(allocationId: string): boolean {
    return this.own.has(allocationId);
  }

  /** Local fast path: an own replica died, turned unhealthy or is stopping: out of this node's rules now. */
  dropLocal(allocationId: string): Promise<Result<void>> {
    if (this.drops.has(allocationId)) return this.applying.then(() => ok(undefined));
    // Only replicas the ingress knows of: the set stays bounded by what the coordinator sent.
    if (!this.inSet(allocationId) && !this.own.has(allocationId)) return Promise.resolve(ok(undefined));
    this.drops.add(allocationId);
    return this.inSet(allocationId) ? this.reapply() : Promise.resolve(ok(undefined));
  }

  /** An own replica serves again (running and healthy): the coordinator's set decides once more. */
  serving(allocationId: string): void {
    if (this.drops.delete(allocationId) && this.inSet(allocationId)) void this.reapply();
  }

  /**
   * Before a replica's stop: out of this node's rules, then wait until the kernel shows no open
   * connection to it: at least min(MIN_DRAIN_MS, grace), at most grace.
   */
  async drainBeforeStop(allocationId: string, graceMs: number, hint?: DrainTarget): Promise<DrainResult> {
    const start = this.clock.now();
    await this.dropLocal(allocationId);
    const target = this.own.get(allocationId) ?? (hint?.containerIp && hint.targets.length ? hint : undefined);
    const minMs = Math.min(MIN_DRAIN_MS, graceMs);
    await this.sleep(minMs - (this.clock.now() - start));
    let open = 0;
    for (;;) {
      open = target ? await this.openTo(target) : 0;
      const left = graceMs - (this.clock.now() - start);
      if (open === 0 || left <= 0) break;
      await this.sleep(Math.min(DRAIN_POLL_MS, left));
    }
    this.own.delete(allocationId);
    return { waitedMs: this.clock.now() - start, open };
  }

  /** The report part, once a set was received (undefined before). */
  async report(): Promise<IngressReport | undefined> {
    const set = this.set;
    if (!set) return undefined;
    const now = this.clock.now();
    if (this.portsInUse.size && now - this.lastPortRetryMs >= PORT_RETRY_MS) {
      this.lastPortRetryMs = now;
      void this.reapply();
    }
    const sample = await this.currentSample();
    return buildReport({
      set,
      appliedVersion: this.appliedVersion,
      nodeId: this.options.nodeId,
      overrides: { dropAllocationIds: this.drops },
      holds: (p) => this.holders?.state(p),
      applyError: this.applyError,
      totals: sample.totals,
      open: sample.open,
    });
  }

  /** Stops holding ports; the table stays (traffic keeps flowing) unless `deleteTable`. */
  async close(options: { deleteTable?: boolean } = {}): Promise<void> {
    await this.applying;
    this.holders?.close();
    if (options.deleteTable) {
      const r = await this.nft.deleteTable(this.table);
      if (!r.ok) this.options.log.error({ err: r.error }, 'ingress: could not delete the nftables table');
    }
  }

  private inSet(allocationId: string): boolean {
    return !!this.set?.services.some((s) => s.endpoints.some((e) => e.allocationId === allocationId));
  }

  /** One apply at a time, each rendering the state as it is when it runs. */
  private reapply(): Promise<Result<void>> {
    const run = this.applying.then(() => this.applyNow());
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async applyNow(): Promise<Result<void>> {
    const set = this.set;
    if (!set) return ok(undefined);
    this.indexes = assignServiceIndexes(this.indexes, set);
    if (this.holders) {
      const wanted: HeldPort[] = [];
      for (const s of set.services) {
        if (s.excluded) continue;
        for (const p of s.published) if (p.protocol === 'tcp') wanted.push({ published: p.published, vip: s.vip, target: p.target });
      }
      await this.holders.sync(wanted);
      const inUse = this.holders.inUse();
      for (const p of inUse) if (!this.portsInUse.has(p)) this.options.log.error({ port: p }, 'ingress: published port held by another process; the other nodes serve it, this one does not');
      for (const p of this.portsInUse) if (!inUse.has(p)) this.options.log.info({ port: p }, 'ingress: published port free again; served here');
      this.portsInUse = inUse;
      if (inUse.size && this.lastPortRetryMs === 0) this.lastPortRetryMs = this.clock.now();
    }
    const rules = renderRuleset(set, this.options.nodeId, { dropAllocationIds: this.drops }, { table: this.table, serviceIndex: this.indexes, portsInUse: this.holders?.inUse() });
    // The replaced table's counters start over in the new one: keep what they counted.
    const before = this.current.length ? await this.nft.counters(this.table) : ok(new Map());
    const applied = await this.nft.apply(rules.script);
    if (!applied.ok) {
      this.applyError = applied.error;
      this.options.log.error({ err: applied.error, version: set.version }, 'ingress: applying the rules failed; the previous ones stay');
      return applied;
    }
    if (before.ok) {
      for (const names of this.current) this.base.set(names.key, addTotals(this.base.get(names.key) ?? ZERO_TOTALS, totalsFrom(names, before.value)));
    }
    this.current = rules.counters;
    await this.forgetRemoved(rules.routed);
    this.appliedVersion = set.version;
    this.applyError = '';
    this.sample = undefined;
    return ok(undefined);
  }

  /** Endpoints the new rules no longer forward to: their unanswered handshakes start over elsewhere. */
  private async forgetRemoved(now: ReadonlySet<string>): Promise<void> {
    const gone = [...this.routed].filter((d) => !now.has(d));
    this.routed = now;
    const forget = this.options.forget ?? deleteUnanswered;
    const errors = await Promise.all(gone.map((d) => {
      const i = d.lastIndexOf(':');
      return forget(d.slice(0, i), Number(d.slice(i + 1)));
    }));
    const err = errors.find(Boolean);
    if (err && !this.forgetWarned) {
      this.forgetWarned = true;
      this.options.log.warn({ err }, 'ingress: could not clear unanswered connections to a removed endpoint (a client connecting at that moment waits for its timeout)');
    }
  }

  private async currentSample(): Promise<Sample> {
    const now = this.clock.now();
    if (this.sample && now - this.sample.atMs < (this.options.sampleEveryMs ?? SAMPLE_EVERY_MS)) return this.sample;
    this.sampling ??= this.takeSample(now).finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private async takeSample(atMs: number): Promise<Sample> {
    const [counters, open] = await Promise.all([this.nft.counters(this.table), openConnections(this.conntrack)]);
    if (!counters.ok) this.options.log.warn({ err: counters.error }, 'ingress: reading counters failed');
    if (!open.ok) this.options.log.warn({ err: open.error }, 'ingress: reading conntrack failed');
    const totals = new Map(this.base);
    for (const names of this.current) {
      const now = counters.ok ? totalsFrom(names, counters.value) : ZERO_TOTALS;
      totals.set(names.key, addTotals(totals.get(names.key) ?? ZERO_TOTALS, now));
    }
    const sample = { atMs, totals, open: open.ok ? open.value : (this.sample?.open ?? new Map<string, number>()) };
    this.sample = sample;
    return sample;
  }

  private async openTo(target: DrainTarget): Promise<number> {
    const open = await openConnections(this.conntrack);
    if (!open.ok) return 0;
    return target.targets.reduce((n, t) => n + (open.value.get(`${target.containerIp}:${t}`) ?? 0), 0);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((r) => this.clock.setTimeout(r, ms));
  }
}
