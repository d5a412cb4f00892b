// What `baton top` and `baton usage` show, computed from values (pure): live usage from the nodes'
// latest reports, and accounted usage from the ledger's buckets.
import { emptyAcc, addAcc, OTHER, type Acc, type Bucket } from './ledger.js';

export type GroupBy = 'service' | 'stack' | 'tenant' | 'node';
export const GROUP_BYS: readonly GroupBy[] = ['service', 'stack', 'tenant', 'node'];

/** `--by` as given; '' is `service`. Throws a message naming the value and what is expected. */
export function parseGroupBy(by: string): GroupBy {
  if (by === '') return 'service';
  if ((GROUP_BYS as readonly string[]).includes(by)) return by as GroupBy;
  throw new Error(`by: expected one of ${GROUP_BYS.join(', ')}, got ${JSON.stringify(by)}`);
}

/** A service key's `tenant/stack/service` cut to the group (`tenant/stack`, `tenant`); `other` stays `other`. */
export function groupOfService(key: string, by: Exclude<GroupBy, 'node'>): string {
  if (key === OTHER) return OTHER;
  const [tenant, stack] = key.split('/');
  return by === 'tenant' ? tenant! : by === 'stack' ? `${tenant}/${stack}` : key;
}

export interface UsageRow extends Acc {
  group: string;
}

/** Sums of the buckets by group, the biggest CPU first. Node keys are shown by `nodeName`. */
export function usageRows(buckets: readonly Bucket[], by: GroupBy, nodeName: (id: string) => string): UsageRow[] {
  const dim = by === 'node' ? 'n' : 's';
  const out = new Map<string, Acc>();
  for (const b of buckets) {
    for (const [k, a] of b.groups) {
      if (k[0] !== dim) continue;
      const rest = k.slice(1);
      const group = by === 'node' ? (rest === OTHER ? OTHER : nodeName(rest)) : groupOfService(rest, by);
      let t = out.get(group);
      if (!t) out.set(group, (t = emptyAcc()));
      addAcc(t, a);
    }
  }
  return [...out].map(([group, a]) => ({ group, ...a })).sort((x, y) => y.cpu - x.cpu || y.mem - x.mem || x.group.localeCompare(y.group));
}

export interface Hint {
  service: string;
  resource: 'cpu' | 'memory';
  /** Per replica: cores or bytes. */
  reserved: number;
  p95: number;
  suggested: number;
  message: string;
}

/** Buckets with fewer per-replica samples than this give no hint (too little to go by). */
export const HINT_MIN_BUCKETS = 3;
/** Headroom over the p95 in a suggestion. */
export const HINT_HEADROOM = 1.2;
/** A reservation is "far" from use when the suggestion is under half of it, or the p95 is over it. */
export const HINT_OVER_RESERVED = 0.5;

/**
 * Services whose per-replica reservation is far from their per-replica p95 use over the buckets
 * (each bucket's average per replica is one sample: per minute within the last 24 h, per hour
 * before), with a suggestion: p95 x HINT_HEADROOM, rounded up to 10 millicores or 1 MiB.
 */
export function hints(buckets: readonly Bucket[]): Hint[] {
  const samples = new Map<string, { cpu: number[]; mem: number[]; cpuRes: number; memRes: number; lastMs: number }>();
  for (const b of buckets) {
    for (const [k, a] of b.groups) {
      if (k[0] !== 's' || a.n <= 0 || k.slice(1) === OTHER) continue;
      let s = samples.get(k);
      if (!s) samples.set(k, (s = { cpu: [], mem: [], cpuRes: 0, memRes: 0, lastMs: -Infinity }));
      // cpuS: a counter delta booked across a gap covers the gap's seconds too (a reconnect is no spike).
      s.cpu.push(a.cpu / (a.cpuS > 0 ? a.cpuS : a.n));
      s.mem.push(a.mem / a.n);
      // The reservation as of the latest bucket: what a change would replace.
      if (b.startMs >= s.lastMs) {
        s.lastMs = b.startMs;
        s.cpuRes = a.cpuRes / a.n;
        s.memRes = a.memRes / a.n;
      }
    }
  }
  const out: Hint[] = [];
  for (const [k, s] of [...samples].sort((x, y) => x[0].localeCompare(y[0]))) {
    if (s.cpu.length < HINT_MIN_BUCKETS) continue;
    const service = k.slice(1);
    const cpuP95 = percentile(s.cpu, 0.95);
    const cpuSuggested = Math.max(0.01, Math.ceil((cpuP95 * HINT_HEADROOM * 1000) / 10) / 100);
    const h = hint(service, 'cpu', s.cpuRes, cpuP95, cpuSuggested, (v) => `${Number(v.toFixed(3))} CPU`);
    if (h) out.push(h);
    const memP95 = percentile(s.mem, 0.95);
    const MiB = 1024 * 1024;
    const memSuggested = Math.max(MiB, Math.ceil((memP95 * HINT_HEADROOM) / MiB) * MiB);
    const m = hint(service, 'memory', s.memRes, memP95, memSuggested, (v) => `${Number((v / MiB).toFixed(1))} MiB`);
    if (m) out.push(m);
  }
  return out;
}

function hint(service: string, resource: 'cpu' | 'memory', reserved: number, p95: number, suggested: number, fmt: (v: number) => string): Hint | undefined {
  if (reserved <= 0) {
    if (p95 <= 0) return undefined;
    return { service, resource, reserved, p95, suggested, message: `${service}: reserves no ${resource} but uses ${fmt(p95)} per replica (p95); reserve ${fmt(suggested)}` };
  }
  if (p95 > reserved) return { service, resource, reserved, p95, suggested, message: `${service}: uses ${fmt(p95)} ${resource} per replica (p95), over its reservation of ${fmt(reserved)}; reserve ${fmt(suggested)}` };
  if (suggested < reserved * HINT_OVER_RESERVED) return { service, resource, reserved, p95, suggested, message: `${service}: reserves ${fmt(reserved)} ${resource} per replica but uses ${fmt(p95)} (p95); reserve ${fmt(suggested)}` };
  return undefined;
}

/** The q-quantile (0-1) of `xs` by nearest rank. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** A running replica as `top` sees it. */
export interface LiveReplica {
  tenant: string;
  stack: string;
  service: string;
  node: string;
  cpuCores: number;
  memoryBytes: number;
  cpuReservedCores: number;
  memoryReservedBytes: number;
}

export interface TopRow {
  group: string;
  replicas: number;
  cpuCores: number;
  cpuReservedCores: number;
  memoryBytes: number;
  memoryReservedBytes: number;
  cpuShare: number;
  memoryShare: number;
}

/** Live usage by group, the biggest CPU first (then memory), with each group's share of what the cluster uses. */
export function topRows(replicas: readonly LiveReplica[], by: GroupBy): TopRow[] {
  const out = new Map<string, TopRow>();
  let cpu = 0;
  let mem = 0;
  for (const r of replicas) {
    const group = by === 'node' ? r.node : by === 'tenant' ? r.tenant : by === 'stack' ? `${r.tenant}/${r.stack}` : `${r.tenant}/${r.stack}/${r.service}`;
    let t = out.get(group);
    if (!t) out.set(group, (t = { group, replicas: 0, cpuCores: 0, cpuReservedCores: 0, memoryBytes: 0, memoryReservedBytes: 0, cpuShare: 0, memoryShare: 0 }));
    t.replicas++;
    t.cpuCores += r.cpuCores;
    t.cpuReservedCores += r.cpuReservedCores;
    t.memoryBytes += r.memoryBytes;
    t.memoryReservedBytes += r.memoryReservedBytes;
    cpu += r.cpuCores;
    mem += r.memoryBytes;
  }
  const rows = [...out.values()];
  for (const t of rows) {
    t.cpuShare = cpu > 0 ? t.cpuCores / cpu : 0;
    t.memoryShare = mem > 0 ? t.memoryBytes / mem : 0;
  }
  return rows.sort((a, b) => b.cpuCores - a.cpuCores || b.memoryBytes - a.memoryBytes || a.group.localeCompare(b.group));
}

/** Series per metric family at most (services, tenants): the biggest CPU users keep their own, the rest are summed into `other`. */
export const MAX_METRIC_SERIES = 100;

export interface SeriesValues {
  labels: { tenant: string; stack?: string; service?: string };
  cpuCores: number;
  cpuReservedCores: number;
  memoryBytes: number;
  memoryReservedBytes: number;
}

/** Live rows (topRows by service or tenant) as at most MAX_METRIC_SERIES label sets, the rest as `other`. */
export function cappedSeries(rows: readonly TopRow[], by: 'service' | 'tenant', max = MAX_METRIC_SERIES): SeriesValues[] {
  const labelsOf = (group: string): SeriesValues['labels'] => {
    if (by === 'tenant') return { tenant: group };
    const [tenant, stack, ...service] = group.split('/');
    return { tenant: tenant!, stack: stack!, service: service.join('/') };
  };
  const out: SeriesValues[] = [];
  const other: SeriesValues = { labels: by === 'tenant' ? { tenant: OTHER } : { tenant: OTHER, stack: OTHER, service: OTHER }, cpuCores: 0, cpuReservedCores: 0, memoryBytes: 0, memoryReservedBytes: 0 };
  for (const [i, r] of rows.entries()) {
    if (rows.length <= max || i < max - 1) {
      out.push({ labels: labelsOf(r.group), cpuCores: r.cpuCores, cpuReservedCores: r.cpuReservedCores, memoryBytes: r.memoryBytes, memoryReservedBytes: r.memoryReservedBytes });
    } else {
      other.cpuCores += r.cpuCores;
      other.cpuReservedCores += r.cpuReservedCores;
      other.memoryBytes += r.memoryBytes;
      other.memoryReservedBytes += r.memoryReservedBytes;
    }
  }
  if (rows.length > max) out.push(other);
  return out;
}

/** The ledger's cumulative service totals (keys `s<tenant/stack/service>`, already capped) as label sets, by service or summed by tenant. */
export function counterSeries(totals: ReadonlyMap<string, Acc>, by: 'service' | 'tenant'): { labels: SeriesValues['labels']; acc: Acc }[] {
  const out = new Map<string, { labels: SeriesValues['labels']; acc: Acc }>();
  for (const [k, a] of totals) {
    if (k[0] !== 's') continue;
    const rest = k.slice(1);
    const [tenant, stack, ...service] = rest === OTHER ? [OTHER, OTHER, OTHER] : rest.split('/');
    const labels = by === 'tenant' ? { tenant: tenant! } : { tenant: tenant!, stack: stack!, service: service.join('/') };
    const id = JSON.stringify(labels);
    let t = out.get(id);
    if (!t) out.set(id, (t = { labels, acc: emptyAcc() }));
    addAcc(t.acc, a);
  }
  return [...out.values()];
}
