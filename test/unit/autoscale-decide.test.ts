// The autoscaling rule (coordinator/autoscale/decide.ts) and the per-tick sample (sample.ts), table
// driven with the arithmetic in comments. Time is each row's `nowMs`; nothing sleeps.
import t from 'tap';
import { decide, prune, tickProposal, type AutoscaleSample, type DecideInput, type Recommendation } from '../../coordinator/autoscale/decide.js';
import { AUTOSCALE_WARMUP_MS, sampleOf, type ReplicaReading } from '../../coordinator/autoscale/sample.js';
import { DEFAULT_AUTOSCALE } from '../../shared/compose/defaults.js';
import type { AutoscaleSpec } from '../../shared/compose/types.js';

const T0 = 1_000_000;
const SPEC: AutoscaleSpec = { min: 1, max: 10, cpuPercent: 50, windowMs: 10_000, scaleUpWindowMs: 0, scaleDownWindowMs: 60_000, cooldownMs: 0, tolerance: 0.1 };

/** One sample a second over the window ending at `now`, every one at `cpu` % of reservation. */
function steady(cpu: number, counted: number, now: number, excluded = 0, windowMs = SPEC.windowMs): AutoscaleSample[] {
  return Array.from({ length: windowMs / 1000 }, (_, i) => ({ atMs: now - windowMs + 1000 * (i + 1), cpuPercent: cpu, counted, excluded }));
}

interface Row {
  name: string;
  spec?: Partial<AutoscaleSpec>;
  current: number;
  samples: AutoscaleSample[];
  recommendations?: Recommendation[];
  /** Defaults: the controller and the window started long ago. */
  windowStartMs?: number;
  startedAtMs?: number;
  lastChangeAtMs?: number;
  nowMs?: number;
  kind: 'wait' | 'hold' | 'scale';
  desired: number;
  recommendation?: number;
  reason?: RegExp;
}

const NOW = T0 + 600_000;
const LONG_AGO = T0;

const rows: Row[] = [
  // 3 replicas at 100% of reservation, target 50: ratio 2 -> ceil(3 × 2) = 6.
  { name: 'proportional scale-up', current: 3, samples: steady(100, 3, NOW), kind: 'scale', desired: 6, recommendation: 6, reason: /cpu 200% of target \(100% of reservation, target 50%\) over 3 replicas \(window 10 s\) → 6 replicas/ },
  // 3 at 71.5%: ratio 1.43 -> ceil(3 × 1.43) = ceil(4.29) = 5 (the example: 143% of target).
  { name: 'issue example: 143% of target over 3 -> 5', current: 3, samples: steady(71.5, 3, NOW), kind: 'scale', desired: 5, reason: /cpu 143% of target .* over 3 replicas \(window 10 s\) → 5 replicas/ },
  // 4 at 54%: ratio 1.08, |1.08 - 1| = 0.08 <= 0.1: no change.
  { name: 'within tolerance above', current: 4, samples: steady(54, 4, NOW), kind: 'hold', desired: 4, recommendation: 4 },
  // 4 at 46%: ratio 0.92, within 0.1: no change.
  { name: 'within tolerance below', current: 4, samples: steady(46, 4, NOW), kind: 'hold', desired: 4 },
  // 4 at 55.5%: ratio 1.11 > 1.1 -> ceil(4 × 1.11) = ceil(4.44) = 5.
  { name: 'just outside tolerance', current: 4, samples: steady(55.5, 4, NOW), kind: 'scale', desired: 5 },
  // 2 at 50% exactly: ratio 1 -> 2 (no float drift to 3).
  { name: 'exactly at target', current: 2, samples: steady(50, 2, NOW), kind: 'hold', desired: 2 },
  // Ticks alternate 20% and 180%: they propose ceil(2 × 0.4) = 1 and ceil(2 × 3.6) = 8; they do not
  // agree on a direction, so no change (the median, (20 + 180) / 2 = 100%, is what is shown).
  {
    name: 'ticks that disagree: no change',
    current: 2,
    samples: steady(100, 2, NOW).map((s, i) => ({ ...s, cpuPercent: i % 2 ? 180 : 20 })),
    kind: 'hold',
    desired: 2,
    reason: /cpu 200% of target \(100% of reservation/,
  },
  // Two ramp ticks at 60%, eight at 200% (one replica): all above; the median 200% sizes it: ceil(1 × 4) = 4
  // (the mean, 172%, would give ceil(3.44) = 4 here but one replica short with a longer ramp).
  {
    name: 'the ramp does not size the step',
    current: 1,
    samples: steady(200, 1, NOW).map((s, i) => ({ ...s, cpuPercent: i < 2 ? 60 : 200 })),
    kind: 'scale',
    desired: 4,
    reason: /cpu 400% of target \(200% of reservation/,
  },
  // Ticks at 60% and 140% (ratios 1.2, 2.8): all ask for more; the median ratio (1.2 + 2.8) / 2 = 2 sizes it: ceil(2 × 2) = 4.
  {
    name: 'all ticks above: sized by the median',
    current: 2,
    samples: steady(100, 2, NOW).map((s, i) => ({ ...s, cpuPercent: i % 2 ? 140 : 60 })),
    kind: 'scale',
    desired: 4,
  },
  // Load began 4 s ago (6 ticks at 0%, 4 at 200%, one replica): the window does not agree yet, no change.
  {
    name: 'a load that has just begun waits for the whole window',
    current: 1,
    samples: steady(200, 1, NOW).map((s, i) => ({ ...s, cpuPercent: i < 6 ? 0 : 200 })),
    kind: 'hold',
    desired: 1,
  },
  // All ticks below: 4 replicas at 10% and 20% (ratios 0.2, 0.4, median 0.3): ceil(4 × 0.3) = ceil(1.2) = 2.
  {
    name: 'all ticks below: sized by the median',
    current: 4,
    samples: steady(10, 4, NOW).map((s, i) => ({ ...s, cpuPercent: i % 2 ? 20 : 10 })),
    kind: 'scale',
    desired: 2,
  },
  // Samples older than the window are ignored: old 500% ticks, window at 50% -> ratio 1.
  { name: 'samples outside the window ignored', current: 2, samples: [...steady(500, 2, NOW - 10_000), ...steady(50, 2, NOW)], kind: 'hold', desired: 2 },
  // 2 at 400%: ratio 8 -> ceil(2 × 8) = 16, max 10 -> 10; the HPA's up step max(4, 2) = 4 first: 2 + 4 = 6.
  { name: 'default up step: max(4 pods, 100%)', current: 2, samples: steady(400, 2, NOW), kind: 'scale', desired: 6, recommendation: 16, reason: /max step 4/ },
  // 6 at 400%: ceil(6 × 8) = 48; step max(4, 6) = 6 -> 12; max 10 -> 10.
  { name: 'max bounds the step', current: 6, samples: steady(400, 6, NOW), kind: 'scale', desired: 10, reason: /max 10/ },
  // 2 at 400% with max_step 1 -> 3.
  { name: 'max_step', spec: { maxStep: 1 }, current: 2, samples: steady(400, 2, NOW), kind: 'scale', desired: 3, reason: /max step 1/ },
  // Scale-down to ceil(8 × 10/50) = ceil(1.6) = 2, max_step 3 -> 8 - 3 = 5.
  { name: 'max_step down', spec: { maxStep: 3 }, current: 8, samples: steady(10, 8, NOW), kind: 'scale', desired: 5 },
  // 4 at 0%: ceil(0) = 0 -> min 1; the down window holds only this recommendation (history empty).
  { name: 'down to min', current: 4, samples: steady(0, 4, NOW), kind: 'scale', desired: 1, recommendation: 0, reason: /min 1/ },
  // Down: highest recommendation of the last 60 s is 4 (30 s ago) -> stays 4 although now 1.
  {
    name: 'scale-down stabilisation: highest recommendation of the window',
    current: 4,
    samples: steady(12.5, 4, NOW),
    recommendations: [{ atMs: NOW - 30_000, replicas: 4 }, { atMs: NOW - 10_000, replicas: 2 }],
    kind: 'hold',
    desired: 4,
    recommendation: 1,
    reason: /scale-down window 60 s \(highest recommendation 4\)/,
  },
  // The 4 is 61 s old, out of the window: highest of {2, 1} = 2 -> 2.
  {
    name: 'scale-down stabilisation: the window moves on',
    current: 4,
    samples: steady(12.5, 4, NOW),
    recommendations: [{ atMs: NOW - 61_000, replicas: 4 }, { atMs: NOW - 10_000, replicas: 2 }],
    kind: 'scale',
    desired: 2,
  },
  // Up with a 30 s up window: lowest of {3 (20 s ago), 6 (now)} = 3 -> 3.
  {
    name: 'scale-up stabilisation: lowest recommendation of the window',
    spec: { scaleUpWindowMs: 30_000 },
    current: 2,
    samples: steady(150, 2, NOW),
    recommendations: [{ atMs: NOW - 20_000, replicas: 3 }],
    kind: 'scale',
    desired: 3,
  },
  // Up window 30 s, lowest recommendation 2 = current: no change yet.
  {
    name: 'scale-up stabilisation holds',
    spec: { scaleUpWindowMs: 30_000 },
    current: 2,
    samples: steady(150, 2, NOW),
    recommendations: [{ atMs: NOW - 5_000, replicas: 2 }],
    kind: 'hold',
    desired: 2,
    reason: /scale-up window 30 s/,
  },
  // Starting replicas are not in the averages: 2 counted at 100% (ratio 2), 2 starting count as 0
  // on a scale-up (HPA): 2 × 2 / 4 = 1, within the band -> 4.
  { name: 'excluded replicas: counted ones only', current: 4, samples: steady(100, 2, NOW, 2), kind: 'hold', desired: 4, reason: /over 2 replicas \(2 not counted\)/ },
  // 2 counted at 75% (ratio 1.5), 2 starting: rebalanced 1.5 × 2 / 4 = 0.75 < 1, the direction would turn: no change
  // (ceil(2 × 1.5) = 3 would be a scale-down of an overloaded service).
  { name: 'a ratio above 1 never scales down (HPA rebalancing)', current: 4, samples: steady(75, 2, NOW, 2), kind: 'hold', desired: 4 },
  // Same with 2 replicas not placed (no node fits): the count has 4, 2 counted, 0 excluded -> uncounted 2 -> hold.
  { name: 'unplaced replicas count as not counted', current: 4, samples: steady(75, 2, NOW, 0), kind: 'hold', desired: 4 },
  // 2 counted at 150% (ratio 3), 2 starting: rebalanced 3 × 2 / 4 = 1.5 -> ceil(1.5 × 4) = 6.
  { name: 'scale-up with starting replicas: they count as 0', current: 4, samples: steady(150, 2, NOW, 2), kind: 'scale', desired: 6 },
  // None counted (all starting): nothing to decide on.
  { name: 'no replica counted', current: 2, samples: steady(0, 0, NOW, 2).map(({ cpuPercent: _c, ...s }) => s), kind: 'hold', desired: 2, reason: /no replica counts yet \(2 starting/ },
  // A coordinator restart 5 s ago: the window is 10 s, so it waits.
  { name: 'fresh window after a restart', current: 2, samples: steady(400, 2, NOW).slice(-5), windowStartMs: NOW - 5_000, startedAtMs: NOW - 5_000, kind: 'wait', desired: 2, reason: /collecting a fresh window: 5 s of 10 s/ },
  // After a change 3 s ago the window restarts too.
  { name: 'fresh window after a change', current: 4, samples: steady(400, 4, NOW).slice(-3), windowStartMs: NOW - 3_000, lastChangeAtMs: NOW - 3_000, kind: 'wait', desired: 4 },
  // Restarted 20 s ago (window full) but the down window is 60 s: a scale-down waits for it; a scale-up does not.
  { name: 'scale-down after a restart waits a whole down window', current: 4, samples: steady(0, 4, NOW), windowStartMs: NOW - 20_000, startedAtMs: NOW - 20_000, kind: 'hold', desired: 4, reason: /scale-down waits for a full 60 s window/ },
  { name: 'scale-up after a restart once the window is full', current: 2, samples: steady(100, 2, NOW), windowStartMs: NOW - 20_000, startedAtMs: NOW - 20_000, kind: 'scale', desired: 4 },
  // Cooldown 60 s, last change 30 s ago (window restarted 15 s ago, full): held.
  { name: 'cooldown', spec: { cooldownMs: 60_000 }, current: 2, samples: steady(100, 2, NOW), windowStartMs: NOW - 15_000, lastChangeAtMs: NOW - 30_000, kind: 'hold', desired: 2, reason: /cooldown 60 s/ },
  // Two metrics: cpu 3 × 60/50 = 3.6 -> 4; memory 3 × 160/80 = 6 -> the larger, 6.
  {
    name: 'two metrics: the larger proposal',
    spec: { memoryPercent: 80 },
    current: 3,
    samples: steady(60, 3, NOW).map((s) => ({ ...s, memoryPercent: 160 })),
    kind: 'scale',
    desired: 6,
    reason: /cpu 120% of target .*, memory 200% of target/,
  },
  // Below min (a count from before the bounds): at target, but min 3 wins -> 3.
  { name: 'below min moves into the bounds', spec: { min: 3 }, current: 2, samples: steady(50, 2, NOW), kind: 'scale', desired: 3 },
];

for (const r of rows) {
  t.test(r.name, async (t) => {
    const input: DecideInput = {
      spec: { ...SPEC, ...r.spec },
      current: r.current,
      samples: r.samples,
      recommendations: r.recommendations ?? [],
      windowStartMs: r.windowStartMs ?? LONG_AGO,
      startedAtMs: r.startedAtMs ?? LONG_AGO,
      ...(r.lastChangeAtMs !== undefined ? { lastChangeAtMs: r.lastChangeAtMs } : {}),
      nowMs: r.nowMs ?? NOW,
    };
    const d = decide(input);
    t.equal(d.kind, r.kind, `kind (${d.reason})`);
    t.equal(d.desired, r.desired, `desired (${d.reason})`);
    if (r.recommendation !== undefined) t.equal(d.recommendation, r.recommendation, 'recommendation');
    if (r.reason) t.match(d.reason, r.reason);
  });
}

t.test('defaults are the HPA\'s where it has one', async (t) => {
  t.equal(DEFAULT_AUTOSCALE.tolerance, 0.1);
  t.equal(DEFAULT_AUTOSCALE.scaleUpWindowMs, 0);
  t.equal(DEFAULT_AUTOSCALE.scaleDownWindowMs, 300_000);
});

t.test('a steady high load changes the count once per window, then holds at max (no oscillation)', async (t) => {
  // Every replica at 100% of reservation whatever the count, target 50, max 8: 1 -> 2 -> 4 -> 8.
  const spec: AutoscaleSpec = { ...SPEC, max: 8 };
  let current = 1;
  let windowStartMs = T0;
  const samples: AutoscaleSample[] = [];
  const recs: Recommendation[] = [];
  const changes: { atMs: number; to: number }[] = [];
  for (let now = T0 + 1000; now <= T0 + 120_000; now += 1000) {
    samples.push({ atMs: now, cpuPercent: 100, counted: current, excluded: 0 });
    prune(samples, now, spec.windowMs);
    const d = decide({ spec, current, samples, recommendations: recs, windowStartMs, startedAtMs: T0, nowMs: now });
    if (d.recommendation !== undefined) recs.push({ atMs: now, replicas: d.recommendation });
    prune(recs, now, spec.scaleDownWindowMs);
    if (d.kind === 'scale') {
      changes.push({ atMs: now - T0, to: d.desired });
      current = d.desired;
      windowStartMs = now;
      samples.length = 0;
    }
  }
  // First decision once the 10 s window is full, then one per fresh window.
  t.same(changes, [{ atMs: 10_000, to: 2 }, { atMs: 20_000, to: 4 }, { atMs: 30_000, to: 8 }]);
});

t.test('sampleOf: which replicas count, and % of reservation', async (t) => {
  const spec = { reserved: { cpuMillis: 500, memoryBytes: 100 * 1024 * 1024 } };
  const now = T0 + 100_000;
  const warm = now - AUTOSCALE_WARMUP_MS;
  const rows: { name: string; replicas: ReplicaReading[]; healthcheck?: boolean; want: { counted: number; excluded: number; cpuPercent?: number; memoryPercent?: number } }[] = [
    // 100% of a core on a 0.5-core reservation: 100 × 1000 / 500 = 200%; 50 MiB of 100 MiB = 50%.
    { name: 'one running', replicas: [{ state: 'running', cpuPercent: 100, memoryBytes: 50 * 1024 * 1024, runningSinceMs: warm }], want: { counted: 1, excluded: 0, cpuPercent: 200, memoryPercent: 50 } },
    // (100 + 0) / 2 = 50% of a core -> 100%; the starting and the unreported ones are excluded.
    {
      name: 'starting and unreported excluded',
      replicas: [{ state: 'running', cpuPercent: 100, runningSinceMs: warm }, { state: 'running', cpuPercent: 0, runningSinceMs: warm }, { state: 'starting' }, {}],
      want: { counted: 2, excluded: 2, cpuPercent: 100, memoryPercent: 0 },
    },
    // Running for less than the warm-up: excluded.
    { name: 'in its warm-up', replicas: [{ state: 'running', cpuPercent: 90, runningSinceMs: now - 1000 }], want: { counted: 0, excluded: 1 } },
    // With a health check only healthy replicas count: 40% of a core -> 80%.
    {
      name: 'health checked: unhealthy and starting excluded',
      healthcheck: true,
      replicas: [{ state: 'running', health: 'healthy', cpuPercent: 40, runningSinceMs: warm }, { state: 'running', health: 'starting', cpuPercent: 5, runningSinceMs: warm }, { state: 'running', health: 'unhealthy', cpuPercent: 5, runningSinceMs: warm }],
      want: { counted: 1, excluded: 2, cpuPercent: 80, memoryPercent: 0 },
    },
  ];
  for (const r of rows) {
    const hc = r.healthcheck ? { healthcheck: { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0, disable: false } } : {};
    t.same(sampleOf({ ...spec, ...hc }, r.replicas, now), { atMs: now, ...r.want }, r.name);
  }
});

t.test('tickProposal: the HPA replica calculator, row by row', async (t) => {
  // [ratio, counted, uncounted, current, want]
  const rows: [number, number, number, number, number][] = [
    [2, 3, 0, 3, 6], // ceil(3 × 2) = 6
    [1.05, 3, 0, 3, 3], // within 10%
    [0.5, 4, 0, 4, 2], // ceil(4 × 0.5) = 2
    [0.5, 2, 2, 4, 1], // scale-down: the uncounted are dropped, ceil(2 × 0.5) = 1
    [1.2, 2, 1, 3, 3], // rebalanced 1.2 × 2 / 3 = 0.8 < 1: no change
    [4, 1, 2, 3, 4], // rebalanced 4 / 3 = 1.33 -> ceil(1.33 × 3) = 4
    [1.5, 2, 0, 4, 4], // 2 of 4 placed (uncounted passed as 2 by decide); here 0: ceil(3) = 3 < 4 -> never fewer on a ratio above 1
  ];
  for (const [ratio, counted, uncounted, current, want] of rows) t.equal(tickProposal(ratio, counted, uncounted, current, 0.1), want, `ratio ${ratio}, ${counted} counted, ${uncounted} not, count ${current}`);
});
