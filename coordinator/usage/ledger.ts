// Usage accounting (issue 12), pure: time is passed in, nothing here reads a clock or a file.
//
// `UsageMeter` turns the agents' reports into usage per allocation, added to the open minute's
// bucket of its service (`tenant/stack/service`) and of its node. `UsageLedger` keeps the buckets:
// per minute for MINUTE_RETENTION_MS, then folded into per-hour buckets kept for HOUR_RETENTION_MS,
// each bucket holding at most MAX_GROUPS_PER_BUCKET groups per dimension (the rest summed into
// `other`), so what is kept (and written to disk) is bounded whatever the cluster's size.
//
// How usage is measured (README "Usage"):
// - CPU: the delta of the container's cumulative CPU counter (ContainerState.cpu_usage_ns, the
//   cgroup's usage) between two reports of the same container, whichever sessions they came on. A
//   missed report loses nothing (the next delta holds it) and a reconnect counts nothing twice. A
//   counter that goes backwards (a container restarted in place) starts again from its new value.
//   Without a counter (an agent from before it) cpu_percent x the interval, as for memory.
// - Memory and reservations: the reported value x the interval since the same session's previous
//   report of the container, the interval capped at MAX_INTERVAL_MS. A gap (a disconnect, a new
//   session, a coordinator restart) is a gap: nothing is interpolated over it.

/** Sums over a bucket for one group. */
export interface Acc {
  /** CPU used, core-seconds. */
  cpu: number;
  /** CPU reserved while running, core-seconds. */
  cpuRes: number;
  /** Memory used, byte-seconds. */
  mem: number;
  /** Memory reserved while running, byte-seconds. */
  memRes: number;
  /** Replica-seconds observed running (per-replica memory and reservation averages divide by it). */
  n: number;
  /**
   * Replica-seconds the CPU figure covers: `n`, plus the span of a counter delta booked across a gap
   * (a reconnect), so a per-replica CPU average (cpu / cpuS) is not inflated by what the gap held.
   */
  cpuS: number;
}

export type Dimension = 's' | 'n';
/** A bucket: start (ms, on a minute or hour boundary) and sums by `dimension + key`. */
export interface Bucket {
  startMs: number;
  groups: Map<string, Acc>;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_RETENTION_MS = 24 * HOUR_MS;
export const HOUR_RETENTION_MS = 30 * 24 * HOUR_MS;
/** Per dimension (services, nodes) per bucket; the smallest beyond it are summed into `other`. */
export const MAX_GROUPS_PER_BUCKET = 100;
/** Longest interval between two reports of a container that memory and reservations are integrated over. */
export const MAX_INTERVAL_MS = 5_000;
export const OTHER = 'other';

export const emptyAcc = (): Acc => ({ cpu: 0, cpuRes: 0, mem: 0, memRes: 0, n: 0, cpuS: 0 });
export function addAcc(into: Acc, a: Readonly<Acc>): void {
  into.cpu += a.cpu;
  into.cpuRes += a.cpuRes;
  into.mem += a.mem;
  into.memRes += a.memRes;
  into.n += a.n;
  into.cpuS += a.cpuS;
}

/** What an allocation's container is accounted to. */
export interface Subject {
  tenant: string;
  stack: string;
  service: string;
  /** Reserved per replica. */
  cpuMillis: number;
  memoryBytes: number;
}

/** One container of a report, as the meter needs it. */
export interface MeteredContainer {
  containerId: string;
  /** Docker's state: only `running` is accounted. */
  state: string;
  cpuPercent: number;
  cpuUsageNs?: number;
  memoryBytes: number;
}

interface Seen {
  sessionId: string;
  atMs: number;
  cpuNs: number;
  /** Dimension-prefixed service key, and the subject's reservation, cached until `subjectMinute` ends. */
  key: string;
  cpuMillis: number;
  memoryBytes: number;
  subjectMinute: number;
}

export const serviceKey = (s: Pick<Subject, 'tenant' | 'stack' | 'service'>): string => `s${s.tenant}/${s.stack}/${s.service}`;
export const nodeKey = (nodeId: string): string => `n${nodeId}`;

export class UsageLedger {
  /** Closed minute buckets, oldest first; the open minute is `open`. */
  readonly minutes: Bucket[] = [];
  readonly hours: Bucket[] = [];
  private open: Bucket | undefined;
  private readonly seen = new Map<string, Seen>();
  /** Cumulative sums per key since this ledger was made (Prometheus counters), bounded like buckets. */
  readonly totals = new Map<string, Acc>();
  private readonly totalKeys = new Map<string, number>();

  /**
   * Accounts one report of `nodeId` on `sessionId`, received at `nowMs`. `subjectOf` names what a
   * container is accounted to (undefined: not Baton's, skipped).
   */
  ingest(nodeId: string, sessionId: string, nowMs: number, containers: readonly MeteredContainer[], subjectOf: (c: MeteredContainer) => Subject | undefined): void {
    const bucket = this.bucketAt(nowMs);
    const minute = bucket.startMs;
    const node = emptyAcc();
    let any = false;
    for (const c of containers) {
      let s = this.seen.get(c.containerId);
      if (c.state !== 'running') {
        if (s) this.seen.delete(c.containerId);
        continue;
      }
      if (!s || s.subjectMinute !== minute) {
        const subject = subjectOf(c);
        if (!subject) continue;
        const fresh = { key: serviceKey(subject), cpuMillis: subject.cpuMillis, memoryBytes: subject.memoryBytes, subjectMinute: minute };
        if (s) Object.assign(s, fresh);
        else {
          // First sight: a baseline only (nothing before it is known).
          this.seen.set(c.containerId, { sessionId, atMs: nowMs, cpuNs: c.cpuUsageNs ?? 0, ...fresh });
          continue;
        }
      }
      const d = measure(s, sessionId, nowMs, c);
      s.sessionId = sessionId;
      s.atMs = nowMs;
      if (c.cpuUsageNs) s.cpuNs = c.cpuUsageNs;
      if (!d) continue;
      any = true;
      add(bucket.groups, s.key, d);
      addAcc(node, d);
    }
    if (any) add(bucket.groups, nodeKey(nodeId), node);
  }

  /** Forgets containers not reported for a while (removed, or their node gone). */
  forgetBefore(cutoffMs: number): void {
    for (const [id, s] of this.seen) if (s.atMs < cutoffMs) this.seen.delete(id);
  }

  /**
   * Closes the open minute when `nowMs` is past it, and applies retention: minutes older than
   * MINUTE_RETENTION_MS fold into their hour, hours older than HOUR_RETENTION_MS are dropped.
   * Returns whether anything closed (so there is something new to write).
   */
  roll(nowMs: number): boolean {
    let changed = false;
    if (this.open && nowMs >= this.open.startMs + MINUTE_MS) {
      this.closeOpen();
      changed = true;
    }
    while (this.minutes.length > 0 && this.minutes[0]!.startMs < nowMs - MINUTE_RETENTION_MS) {
      const m = this.minutes.shift()!;
      mergeInto(this.hours, Math.floor(m.startMs / HOUR_MS) * HOUR_MS, m.groups);
      changed = true;
    }
    while (this.hours.length > 0 && this.hours[0]!.startMs < nowMs - HOUR_RETENTION_MS) {
      this.hours.shift();
      changed = true;
    }
    return changed;
  }

  /** Closes the open minute as it is (at shutdown: its partial sums are kept, and merged with more of the same minute after a restart). */
  closeOpen(): void {
    if (!this.open) return;
    const o = this.open;
    this.open = undefined;
    mergeInto(this.minutes, o.startMs, o.groups);
    // The totals count every minute once, as it closes.
    this.countTotals(o.groups);
  }

  /** Every bucket overlapping [fromMs, toMs), the open one included, with its resolution. */
  buckets(fromMs: number, toMs: number): { bucket: Bucket; spanMs: number }[] {
    const out: { bucket: Bucket; spanMs: number }[] = [];
    for (const b of this.hours) if (b.startMs + HOUR_MS > fromMs && b.startMs < toMs) out.push({ bucket: b, spanMs: HOUR_MS });
    for (const b of this.minutes) if (b.startMs + MINUTE_MS > fromMs && b.startMs < toMs) out.push({ bucket: b, spanMs: MINUTE_MS });
    if (this.open && this.open.startMs < toMs && this.open.startMs + MINUTE_MS > fromMs) out.push({ bucket: this.open, spanMs: MINUTE_MS });
    return out;
  }

  /** Adds kept buckets back (after a restart); a bucket for a start already held is summed into it. */
  restore(minutes: readonly Bucket[], hours: readonly Bucket[]): void {
    for (const b of minutes) mergeInto(this.minutes, b.startMs, b.groups);
    for (const b of hours) mergeInto(this.hours, b.startMs, b.groups);
  }

  private bucketAt(nowMs: number): Bucket {
    const start = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    if (this.open && this.open.startMs !== start) {
      // A report for a later minute closes the open one (roll() may not have run yet); one for an
      // earlier minute (a clock step back) goes into the open bucket rather than rewriting history.
      if (start > this.open.startMs) this.closeOpen();
      else return this.open;
    }
    this.open ??= { startMs: start, groups: new Map() };
    return this.open;
  }

  /** Adds to the cumulative totals, at most MAX_GROUPS_PER_BUCKET keys per dimension (later ones go to `other`). */
  private countTotals(groups: ReadonlyMap<string, Acc>): void {
    for (const [k, a] of groups) {
      let t = this.totals.get(k);
      if (!t) {
        const dim = k[0]!;
        const key = (this.totalKeys.get(dim) ?? 0) >= MAX_GROUPS_PER_BUCKET ? dim + OTHER : k;
        if (key === k) this.totalKeys.set(dim, (this.totalKeys.get(dim) ?? 0) + 1);
        t = this.totals.get(key);
        if (!t) this.totals.set(key, (t = emptyAcc()));
      }
      addAcc(t, a);
    }
  }

  /** Totals including the open minute (closed minutes are counted as they close). */
  counters(): Map<string, Acc> {
    const out = new Map<string, Acc>();
    for (const [k, a] of this.totals) out.set(k, { ...a });
    for (const [k, a] of this.open?.groups ?? []) {
      const key = out.has(k) || (this.totalKeys.get(k[0]!) ?? 0) < MAX_GROUPS_PER_BUCKET ? k : k[0] + OTHER;
      const t = out.get(key) ?? emptyAcc();
      addAcc(t, a);
      out.set(key, t);
    }
    return out;
  }

}

/** The usage since the container's previous report, or undefined for none (a first sight or a gap). */
function measure(s: Seen, sessionId: string, nowMs: number, c: MeteredContainer): Acc | undefined {
  const sameSession = s.sessionId === sessionId;
  const dtMs = nowMs - s.atMs;
  const intervalS = sameSession && dtMs > 0 ? Math.min(dtMs, MAX_INTERVAL_MS) / 1000 : 0;
  let cpu: number;
  let cpuS = intervalS;
  if (c.cpuUsageNs) {
    // The counter's delta, on any session: measured by the kernel, so neither lost nor counted twice.
    cpu = s.cpuNs > 0 && c.cpuUsageNs >= s.cpuNs ? (c.cpuUsageNs - s.cpuNs) / 1e9 : s.cpuNs > 0 ? c.cpuUsageNs / 1e9 : 0;
    // A delta no host could produce in the time (a bogus counter) is dropped rather than booked.
    if (dtMs > 0 && cpu > (dtMs / 1000) * 1024) cpu = 0;
    if (s.cpuNs > 0 && dtMs > 0) cpuS = dtMs / 1000;
  } else {
    cpu = (c.cpuPercent / 100) * intervalS;
  }
  if (cpu === 0 && intervalS === 0) return undefined;
  return { cpu, cpuRes: (s.cpuMillis / 1000) * intervalS, mem: c.memoryBytes * intervalS, memRes: s.memoryBytes * intervalS, n: intervalS, cpuS };
}

function add(groups: Map<string, Acc>, key: string, a: Readonly<Acc>): void {
  let t = groups.get(key);
  if (!t) groups.set(key, (t = emptyAcc()));
  addAcc(t, a);
}

/** Sums `groups` into the bucket of `list` starting at `startMs` (made, in order, when missing), then caps it. */
function mergeInto(list: Bucket[], startMs: number, groups: ReadonlyMap<string, Acc>): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.startMs > startMs) i--;
  let b = i > 0 && list[i - 1]!.startMs === startMs ? list[i - 1]! : undefined;
  if (!b) {
    b = { startMs, groups: new Map() };
    list.splice(i, 0, b);
  }
  for (const [k, a] of groups) add(b.groups, k, a);
  b.groups = capped(b.groups);
}

/** At most MAX_GROUPS_PER_BUCKET groups per dimension, the biggest (CPU, then memory) kept, the rest summed into `other`. */
export function capped(groups: Map<string, Acc>): Map<string, Acc> {
  const byDim = new Map<string, [string, Acc][]>();
  for (const e of groups) {
    const d = e[0][0]!;
    let l = byDim.get(d);
    if (!l) byDim.set(d, (l = []));
    l.push(e);
  }
  if ([...byDim.values()].every((l) => l.length <= MAX_GROUPS_PER_BUCKET)) return groups;
  const out = new Map<string, Acc>();
  for (const [d, l] of byDim) {
    if (l.length <= MAX_GROUPS_PER_BUCKET) {
      for (const [k, a] of l) out.set(k, a);
      continue;
    }
    const other = d + OTHER;
    l.sort((x, y) => (x[0] === other ? 1 : y[0] === other ? -1 : y[1].cpu - x[1].cpu || y[1].mem - x[1].mem));
    const rest = emptyAcc();
    for (const [i, [k, a]] of l.entries()) {
      if (i < MAX_GROUPS_PER_BUCKET - 1 && k !== other) out.set(k, a);
      else addAcc(rest, a);
    }
    out.set(other, rest);
  }
  return out;
}
