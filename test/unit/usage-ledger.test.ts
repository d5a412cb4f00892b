// The usage ledger and its reports, table-driven with time passed in (no clock is read, nothing sleeps).
import t from 'tap';
import { HOUR_MS, MAX_GROUPS_PER_BUCKET, MINUTE_MS, MINUTE_RETENTION_MS, HOUR_RETENTION_MS, UsageLedger, capped, emptyAcc, type MeteredContainer, type Subject, type Acc } from '../../coordinator/usage/ledger.js';
import { cappedSeries, counterSeries, hints, parseGroupBy, percentile, topRows, usageRows, type LiveReplica } from '../../coordinator/usage/report.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const web: Subject = { tenant: 'acme', stack: 'shop', service: 'web', cpuMillis: 500, memoryBytes: 256 * 2 ** 20 };
const subjectOf = () => web;
const MiB = 2 ** 20;
const c = (cpuUsageNs: number | undefined, memoryBytes: number, extra: Partial<MeteredContainer> = {}): MeteredContainer => ({ containerId: 'c1', state: 'running', cpuPercent: 0, memoryBytes, ...(cpuUsageNs !== undefined ? { cpuUsageNs } : {}), ...extra });

/** Reports as [atMs after T0, session, container] -> the service's sums in the open/closed buckets. */
interface Row {
  name: string;
  reports: [number, string, MeteredContainer][];
  want: Partial<Acc>;
}

const rows: Row[] = [
  {
    // One core for 60 s: the counter advances 1e9 ns per second; 61 reports, 60 deltas of 1 core-s.
    name: 'counter: one core for 60 s is 60 core-seconds; memory 64 MiB x 60 s',
    reports: Array.from({ length: 61 }, (_, i) => [i * 1000, 's1', c(1e12 + i * 1e9, 64 * MiB)] as [number, string, MeteredContainer]),
    want: { cpu: 60, mem: 64 * MiB * 60, n: 60, cpuS: 60, cpuRes: 0.5 * 60, memRes: 256 * MiB * 60 },
  },
  {
    // Reports at 0, 1, 2 then none until 10 (same session): the counter delta 2->10 still counts
    // 8 core-s; memory and reservations count at most MAX_INTERVAL_MS (5 s) of the 8 s gap: 1+1+5 = 7 s.
    name: 'counter: a missed report loses no CPU; memory counts at most 5 s of a gap',
    reports: [[0, 's1', c(1e9, MiB)], [1000, 's1', c(2e9, MiB)], [2000, 's1', c(3e9, MiB)], [10_000, 's1', c(11e9, MiB)]],
    want: { cpu: 10, mem: 7 * MiB, n: 7 },
  },
  {
    // Disconnected 2 s -> 30 s, back on session s2: the kernel's counter says 28 core-s more, counted
    // once; memory is a gap (new session: no interval), then 1 s more on s2.
    name: 'reconnect: CPU by the counter counted once, memory over the disconnect is a gap',
    reports: [[0, 's1', c(1e9, MiB)], [1000, 's1', c(2e9, MiB)], [2000, 's1', c(3e9, MiB)], [30_000, 's2', c(31e9, MiB)], [31_000, 's2', c(32e9, MiB)]],
    // cpu: 1 + 1 + 28 + 1 = 31; mem intervals: 1 + 1 + 0 + 1 = 3 s; the CPU covers 1 + 1 + 28 + 1 = 31 s
    // (so its per-replica average stays 1 core, not 31 over 3 observed seconds).
    want: { cpu: 31, mem: 3 * MiB, n: 3, cpuS: 31 },
  },
  {
    // The same report delivered twice (same counter) adds nothing the second time.
    name: 'a repeated report counts nothing twice',
    reports: [[0, 's1', c(1e9, MiB)], [1000, 's1', c(2e9, MiB)], [1000, 's2', c(2e9, MiB)]],
    want: { cpu: 1, mem: MiB, n: 1 },
  },
  {
    // Restarted in place: the counter falls from 5e9 to 0.5e9; the new value is what it used since.
    name: 'a counter that goes backwards starts again from its value',
    reports: [[0, 's1', c(4e9, 0)], [1000, 's1', c(5e9, 0)], [2000, 's1', c(0.5e9, 0)]],
    want: { cpu: 1.5, n: 2 },
  },
  {
    // No counter (older agent): cpu_percent x interval, 150% for 4 intervals of 1 s = 6 core-s.
    name: 'without a counter: cpu_percent x the interval within the session',
    reports: Array.from({ length: 5 }, (_, i) => [i * 1000, 's1', c(undefined, 0, { cpuPercent: 150 })] as [number, string, MeteredContainer]),
    want: { cpu: 6, n: 4 },
  },
  {
    // Not running: nothing, and the next running report is a new baseline.
    name: 'stopped containers are not accounted',
    reports: [[0, 's1', c(1e9, MiB)], [1000, 's1', c(2e9, MiB, { state: 'exited' })], [2000, 's1', c(3e9, MiB)], [3000, 's1', c(4e9, MiB)]],
    want: { cpu: 1, mem: MiB, n: 1 },
  },
];

t.test('metering', async (t) => {
  for (const r of rows) {
    const l = new UsageLedger();
    for (const [at, session, cont] of r.reports) l.ingest('node-1', session, T0 + at, [cont], subjectOf);
    const sum = emptyAcc();
    for (const { bucket } of l.buckets(0, Infinity)) {
      const a = bucket.groups.get('sacme/shop/web');
      if (a) for (const k of Object.keys(sum) as (keyof Acc)[]) sum[k] += a[k];
    }
    for (const [k, v] of Object.entries(r.want)) t.ok(Math.abs(sum[k as keyof Acc] - v) < 1e-6, `${r.name}: ${k} ${sum[k as keyof Acc]} = ${v}`);
    // The node's bucket holds the same sums.
    const node = emptyAcc();
    for (const { bucket } of l.buckets(0, Infinity)) {
      const a = bucket.groups.get('nnode-1');
      if (a) for (const k of Object.keys(node) as (keyof Acc)[]) node[k] += a[k];
    }
    t.ok(Math.abs(node.cpu - sum.cpu) < 1e-6, `${r.name}: node sum`);
  }
});

t.test('containers without a subject are skipped', async (t) => {
  const l = new UsageLedger();
  l.ingest('n', 's', T0, [c(1e9, 1)], () => undefined);
  l.ingest('n', 's', T0 + 1000, [c(2e9, 1)], () => undefined);
  t.equal(l.buckets(0, Infinity).length, 1);
  t.equal(l.buckets(0, Infinity)[0]!.bucket.groups.size, 0);
});

t.test('roll-up: minutes close, fold into hours after 24 h, hours drop after 30 d', async (t) => {
  const l = new UsageLedger();
  // 2 reports per minute for 3 minutes: each minute gets 1 core-s.
  for (let m = 0; m < 3; m++) {
    l.ingest('n', 's', T0 + m * MINUTE_MS, [c(1e9 * (2 * m + 1), 0)], subjectOf);
    l.ingest('n', 's', T0 + m * MINUTE_MS + 1000, [c(1e9 * (2 * m + 2), 0)], subjectOf);
  }
  t.equal(l.minutes.length, 2, 'two minutes closed by later reports');
  t.equal(l.roll(T0 + 3 * MINUTE_MS), true, 'the open minute closes once its time is over');
  t.equal(l.minutes.length, 3);
  t.equal(l.roll(T0 + 3 * MINUTE_MS + 1), false, 'nothing more to close');
  // minute 1 and 2 each got: the delta from the previous minute's last report (1 core-s) + 1.
  t.same(l.minutes.map((b) => b.groups.get('sacme/shop/web')!.cpu), [1, 2, 2]);
  t.equal(l.roll(T0 + MINUTE_RETENTION_MS + 1 * MINUTE_MS + 1), true);
  t.equal(l.minutes.length, 1, 'minutes older than 24 h fold into their hour');
  t.equal(l.hours.length, 1);
  t.equal(l.hours[0]!.startMs, Math.floor(T0 / HOUR_MS) * HOUR_MS);
  t.equal(l.hours[0]!.groups.get('sacme/shop/web')!.cpu, 3);
  // usage over everything is unchanged by the fold (disjoint buckets).
  t.equal(usageRows(l.buckets(0, Infinity).map((b) => b.bucket), 'service', (x) => x)[0]!.cpu, 5);
  l.roll(T0 + HOUR_RETENTION_MS + 2 * HOUR_MS);
  t.equal(l.hours.length, 0, 'hours older than 30 d are dropped');
  t.equal(l.minutes.length, 0);
});

t.test('restore sums into buckets of the same start (a minute split by a restart)', async (t) => {
  const a = new UsageLedger();
  a.ingest('n', 's', T0, [c(1e9, 0)], subjectOf);
  a.ingest('n', 's', T0 + 1000, [c(3e9, 0)], subjectOf);
  a.closeOpen();
  const b = new UsageLedger();
  b.restore(a.minutes, a.hours);
  b.ingest('n', 's2', T0 + 20_000, [c(5e9, 0)], subjectOf);
  b.ingest('n', 's2', T0 + 21_000, [c(6e9, 0)], subjectOf);
  b.closeOpen();
  t.equal(b.minutes.length, 1);
  // 2 before the restart, the first report after is a baseline (restart: nothing known), then 1.
  t.equal(b.minutes[0]!.groups.get('sacme/shop/web')!.cpu, 3);
});

t.test('capped: at most MAX_GROUPS_PER_BUCKET groups per dimension, the smallest summed into other', async (t) => {
  const g = new Map<string, Acc>();
  for (let i = 0; i < MAX_GROUPS_PER_BUCKET + 10; i++) g.set(`st/s/${i}`, { ...emptyAcc(), cpu: i });
  g.set('nnode', { ...emptyAcc(), cpu: 1 });
  const out = capped(g);
  const services = [...out.keys()].filter((k) => k[0] === 's');
  t.equal(services.length, MAX_GROUPS_PER_BUCKET);
  t.ok(out.has('sother'));
  t.ok(out.has(`st/s/${MAX_GROUPS_PER_BUCKET + 9}`), 'the biggest kept');
  t.notOk(out.has('st/s/0'), 'the smallest summed');
  const total = (m: Map<string, Acc>) => [...m].filter(([k]) => k[0] === 's').reduce((s, [, a]) => s + a.cpu, 0);
  t.equal(total(out), total(g), 'nothing lost');
  t.ok(out.has('nnode'), 'the other dimension untouched');
});

t.test('usageRows groups by service, stack, tenant and node', async (t) => {
  const g = new Map<string, Acc>([
    ['sacme/shop/web', { cpu: 10, cpuRes: 20, mem: 1, memRes: 2, n: 1, cpuS: 1 }],
    ['sacme/shop/db', { cpu: 5, cpuRes: 5, mem: 1, memRes: 2, n: 1, cpuS: 1 }],
    ['sacme/blog/web', { cpu: 1, cpuRes: 1, mem: 1, memRes: 1, n: 1, cpuS: 1 }],
    ['sdefault/x/y', { cpu: 30, cpuRes: 1, mem: 1, memRes: 1, n: 1, cpuS: 1 }],
    ['nid-1', { cpu: 46, cpuRes: 27, mem: 4, memRes: 6, n: 4, cpuS: 4 }],
  ]);
  const b = [{ startMs: T0, groups: g }];
  const cases: [Parameters<typeof usageRows>[1], [string, number][]][] = [
    ['service', [['default/x/y', 30], ['acme/shop/web', 10], ['acme/shop/db', 5], ['acme/blog/web', 1]]],
    ['stack', [['default/x', 30], ['acme/shop', 15], ['acme/blog', 1]]],
    ['tenant', [['default', 30], ['acme', 16]]],
    ['node', [['host-one', 46]]],
  ];
  for (const [by, want] of cases) t.same(usageRows(b, by, (id) => (id === 'id-1' ? 'host-one' : id)).map((r) => [r.group, r.cpu]), want, by);
  t.equal(parseGroupBy(''), 'service');
  t.throws(() => parseGroupBy('pod'), /by: expected one of service, stack, tenant, node, got "pod"/);
});

t.test('hints: p95 per replica against the reservation', async (t) => {
  const bucket = (i: number, cpuCores: number, memBytes: number, res: { cpu: number; mem: number }, replicas = 2) => ({
    startMs: T0 + i * MINUTE_MS,
    // per minute, `replicas` replicas for 60 s each
    groups: new Map([['sacme/shop/web', { cpu: cpuCores * 60 * replicas, cpuRes: res.cpu * 60 * replicas, mem: memBytes * 60 * replicas, memRes: res.mem * 60 * replicas, n: 60 * replicas, cpuS: 60 * replicas }]]),
  });
  // 20 minutes at 0.1 core and 100 MiB per replica; one minute at 0.2 core (p95 of 20 samples = the 19th = 0.1).
  const over = Array.from({ length: 20 }, (_, i) => bucket(i, i === 19 ? 0.2 : 0.1, 100 * MiB, { cpu: 2, mem: 1024 * MiB }));
  const h = hints(over);
  t.equal(h.length, 2);
  // cpu: p95 0.1 x 1.2 = 0.12 cores suggested, reserved 2 -> under half: hint.
  t.match(h[0], { service: 'acme/shop/web', resource: 'cpu', reserved: 2, suggested: 0.12 });
  t.ok(Math.abs(h[0]!.p95 - 0.1) < 1e-9);
  t.match(h[0]!.message, /reserves 2 CPU cpu per replica but uses 0\.1 CPU \(p95\); reserve 0\.12 CPU/);
  // memory: 100 MiB x 1.2 = 120 MiB, reserved 1024 MiB: hint.
  t.match(h[1], { resource: 'memory', suggested: 120 * MiB });
  // Using more than reserved: a hint to reserve more.
  const under = Array.from({ length: 5 }, (_, i) => bucket(i, 1, 100 * MiB, { cpu: 0.5, mem: 110 * MiB }));
  const u = hints(under);
  t.equal(u.length, 1, 'memory 100 of 110 MiB is close enough');
  t.match(u[0], { resource: 'cpu', reserved: 0.5, suggested: 1.2 });
  t.match(u[0]!.message, /over its reservation/);
  t.same(hints(under.slice(0, 2)), [], 'too few samples: no hint');
  t.equal(percentile([5, 1, 4, 2, 3], 0.95), 5);
  t.equal(percentile([], 0.95), 0);
});

t.test('topRows: biggest first, shares of what the cluster uses', async (t) => {
  const r = (service: string, node: string, cpu: number, mem: number, tenant = 'acme'): LiveReplica => ({ tenant, stack: 'shop', service, node, cpuCores: cpu, memoryBytes: mem, cpuReservedCores: 0.5, memoryReservedBytes: 100 });
  const live = [r('web', 'a', 1, 100), r('web', 'b', 1, 100), r('db', 'a', 2, 600, 'other-co')];
  const rows = topRows(live, 'service');
  // Equal CPU (2 cores each): the bigger memory first.
  t.same(rows.map((x) => [x.group, x.replicas, x.cpuCores, x.cpuShare]), [['other-co/shop/db', 1, 2, 0.5], ['acme/shop/web', 2, 2, 0.5]]);
  t.same(topRows(live, 'node').map((x) => [x.group, x.cpuCores, x.memoryBytes, x.memoryShare]), [['a', 3, 700, 0.875], ['b', 1, 100, 0.125]]);
  t.same(topRows(live, 'tenant').map((x) => x.group), ['other-co', 'acme'], 'equal CPU: more memory first');
  t.same(topRows([], 'service'), []);
});

t.test('metric series are capped, the rest summed into other', async (t) => {
  const live: LiveReplica[] = Array.from({ length: 150 }, (_, i) => ({ tenant: 't', stack: 's', service: `svc${i}`, node: 'n', cpuCores: i, memoryBytes: 1, cpuReservedCores: 1, memoryReservedBytes: 1 }));
  const s = cappedSeries(topRows(live, 'service'), 'service', 100);
  t.equal(s.length, 100);
  t.same(s.at(-1)!.labels, { tenant: 'other', stack: 'other', service: 'other' });
  t.equal(s.at(-1)!.memoryBytes, 51, '51 services summed');
  t.equal(s.reduce((x, v) => x + v.cpuCores, 0), (149 * 150) / 2);
  const counters = counterSeries(new Map([['sa/s/x', { ...emptyAcc(), cpu: 2 }], ['sa/s/y', { ...emptyAcc(), cpu: 3 }], ['sother', { ...emptyAcc(), cpu: 1 }], ['nnode', { ...emptyAcc(), cpu: 6 }]]), 'tenant');
  t.same(counters.map((x) => [x.labels.tenant, x.acc.cpu]), [['a', 5], ['other', 1]]);
});

t.test('counters keep growing across minutes and cap their keys', async (t) => {
  const l = new UsageLedger();
  l.ingest('n', 's', T0, [c(1e9, 0)], subjectOf);
  l.ingest('n', 's', T0 + 1000, [c(2e9, 0)], subjectOf);
  t.equal(l.counters().get('sacme/shop/web')!.cpu, 1, 'the open minute counts');
  l.ingest('n', 's', T0 + MINUTE_MS, [c(4e9, 0)], subjectOf);
  t.equal(l.counters().get('sacme/shop/web')!.cpu, 3, 'closed plus open');
});
