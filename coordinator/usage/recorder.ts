// Usage insight, wired: feeds every report into the ledger (ledger.ts), rolls minutes up, writes
// the aggregates to usage.json at most every `flushMs` and at shutdown, and answers `baton top`,
// `baton usage` and the Prometheus collectors. The only writer of usage.json.
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { LABEL_ALLOCATION, LABEL_SERVICE, LABEL_STACK } from '../../shared/model/labels.js';
import type { ContainerObservation } from '../../shared/observations.js';
import type { NodePool } from '../node-pool.js';
import type { Store } from '../store/store.js';
import type { UsageFile } from '../store/usage-file.js';
import { HOUR_MS, MINUTE_MS, MINUTE_RETENTION_MS, UsageLedger, type Acc, type MeteredContainer, type Subject } from './ledger.js';
import { hints, topRows, usageRows, type GroupBy, type Hint, type LiveReplica, type TopRow, type UsageRow } from './report.js';

export const DEFAULT_TENANT = 'default';
/** How often closed minutes are written to usage.json at most. */
export const USAGE_FLUSH_MS = 60_000;
/** Containers not reported for this long are forgotten (their next report is a fresh baseline). */
const FORGET_AFTER_MS = 5 * MINUTE_MS;

export interface UsageRecorderOptions {
  flushMs?: number;
  /** How often the open minute is checked for closing. @default 5000 */
  rollMs?: number;
}

export interface TopResult {
  by: GroupBy;
  rows: TopRow[];
  clusterCpuCores: number;
  clusterCapacityCores: number;
  clusterMemoryBytes: number;
  clusterCapacityMemoryBytes: number;
}

export interface UsageResult {
  by: GroupBy;
  fromMs: number;
  toMs: number;
  rows: UsageRow[];
  hints: Hint[];
  resolution: string;
}

export class UsageRecorder {
  readonly ledger = new UsageLedger();
  private dirty = false;
  private lastFlushMs = 0;
  private rollTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly pool: NodePool,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly file: UsageFile | undefined,
    private readonly options: UsageRecorderOptions = {},
  ) {
    this.unsubscribe = pool.onReport((nodeId, sessionId, nowMs, containers) => this.ledger.ingest(nodeId, sessionId, nowMs, containers, this.subjectOf));
  }

  /** Reads what usage.json kept, then starts rolling minutes up. */
  async start(): Promise<void> {
    if (this.file) {
      const kept = await this.file.read();
      if (kept.problem) this.log.warn({ problem: kept.problem }, 'usage file not read; accounting starts afresh');
      this.ledger.restore(kept.minutes, kept.hours);
    }
    this.lastFlushMs = this.clock.now();
    this.rollTimer = setInterval(() => this.tick(), this.options.rollMs ?? 5000);
    this.rollTimer.unref();
  }

  /** Closes minutes that are over and writes them when the flush interval has passed. */
  tick(): void {
    const now = this.clock.now();
    if (this.ledger.roll(now)) this.dirty = true;
    this.ledger.forgetBefore(now - FORGET_AFTER_MS);
    if (this.dirty && now - this.lastFlushMs >= (this.options.flushMs ?? USAGE_FLUSH_MS)) void this.flush().catch(() => {});
  }

  /** Writes the closed buckets now (one write at a time). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing.catch(() => {});
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    this.lastFlushMs = this.clock.now();
    this.writing = this.file.write(this.ledger.minutes, this.ledger.hours).catch((err: Error) => {
      this.dirty = true;
      this.log.error({ err: err.message }, 'writing usage aggregates failed');
      throw err;
    });
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** At shutdown: the open minute is closed as it is and everything is written. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.rollTimer);
    this.unsubscribe();
    this.ledger.closeOpen();
    this.ledger.roll(this.clock.now());
    this.dirty = true;
    await this.flush().catch(() => {});
  }

  private readonly subjectOf = (c: MeteredContainer): Subject | undefined => {
    const labels = (c as ContainerObservation).labels;
    const id = labels?.[LABEL_ALLOCATION];
    if (!id) return undefined;
    const allocations = this.store.state.allocations;
    const a = Object.hasOwn(allocations, id) ? allocations[id] : undefined;
    const stack = a?.stack ?? labels[LABEL_STACK] ?? '-';
    const service = a?.service ?? labels[LABEL_SERVICE] ?? '-';
    return { tenant: this.tenantOf(stack), stack, service, cpuMillis: a?.cpuMillis ?? 0, memoryBytes: a?.memoryBytes ?? 0 };
  };

  private tenantOf(stack: string): string {
    const stacks = this.store.state.stacks;
    return (Object.hasOwn(stacks, stack) ? stacks[stack]?.tenant : undefined) || DEFAULT_TENANT;
  }

  /** Every running Baton container the nodes (not down or left) report now. */
  live(): { replicas: LiveReplica[]; capacityCores: number; capacityMemoryBytes: number } {
    const replicas: LiveReplica[] = [];
    let capacityCores = 0;
    let capacityMemoryBytes = 0;
    const allocations = this.store.state.allocations;
    for (const n of this.pool.list()) {
      if (n.status === 'down' || n.status === 'left') continue;
      capacityCores += n.capacity.cpuMillis / 1000;
      capacityMemoryBytes += n.capacity.memoryBytes;
      for (const c of n.containers) {
        if (c.state !== 'running') continue;
        const id = c.labels[LABEL_ALLOCATION];
        if (!id) continue;
        const a = Object.hasOwn(allocations, id) ? allocations[id] : undefined;
        if (a && a.nodeId !== n.id) continue;
        const stack = a?.stack ?? c.labels[LABEL_STACK] ?? '-';
        replicas.push({
          tenant: this.tenantOf(stack),
          stack,
          service: a?.service ?? c.labels[LABEL_SERVICE] ?? '-',
          node: n.name,
          cpuCores: c.cpuPercent / 100,
          memoryBytes: c.memoryBytes,
          cpuReservedCores: (a?.cpuMillis ?? 0) / 1000,
          memoryReservedBytes: a?.memoryBytes ?? 0,
        });
      }
    }
    return { replicas, capacityCores, capacityMemoryBytes };
  }

  top(by: GroupBy): TopResult {
    const l = this.live();
    const rows = topRows(l.replicas, by);
    return {
      by,
      rows,
      clusterCpuCores: rows.reduce((s, r) => s + r.cpuCores, 0),
      clusterCapacityCores: l.capacityCores,
      clusterMemoryBytes: rows.reduce((s, r) => s + r.memoryBytes, 0),
      clusterCapacityMemoryBytes: l.capacityMemoryBytes,
    };
  }

  usage(sinceMs: number, by: GroupBy, withHints: boolean): UsageResult {
    const toMs = this.clock.now();
    const fromMs = toMs - sinceMs;
    const picked = this.ledger.buckets(fromMs, toMs);
    const buckets = picked.map((p) => p.bucket);
    const nodeName = (id: string) => this.store.state.nodes[id]?.name ?? id;
    const hourly = picked.some((p) => p.spanMs === HOUR_MS);
    return {
      by,
      fromMs,
      toMs,
      rows: usageRows(buckets, by, nodeName),
      hints: withHints ? hints(buckets) : [],
      resolution: hourly
        ? `per minute for the last ${MINUTE_RETENTION_MS / HOUR_MS} h, per hour before (whole buckets overlapping the period)`
        : 'per minute (whole minutes overlapping the period)',
    };
  }

  /** Cumulative sums per service key and node key since this coordinator started (Prometheus counters). */
  counters(): Map<string, Acc> {
    return this.ledger.counters();
  }
}
