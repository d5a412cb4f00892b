// Table-driven tests of the executor's pure parts: the restart decision, Baton's labels and names,
// and the spec -> container definition mapping. Nothing here talks to Docker.
import t from 'tap';
import { apiAtLeast, createOptions, healthConfig } from '../../agent/executor/docker/create-options.js';
import { eventNotice } from '../../agent/executor/docker/exit-watcher.js';
import { containerLabels, containerName, dockerSafe, parseBatonLabels } from '../../agent/executor/labels.js';
import { decideRestart, decideUnhealthyRestart, type RestartHistory } from '../../agent/supervisor/restart-policy.js';
import type { RestartPolicySpec } from '../../shared/compose/types.js';
import { replicaSpec } from '../fixtures/executor/replicas.js';

const P = (p: Partial<RestartPolicySpec>): RestartPolicySpec => ({ condition: 'any', delayMs: 1000, maxAttempts: 0, windowMs: 0, ...p });
const H = (restartTimesMs: number[] = [], quickExits = 1): RestartHistory => ({ restartTimesMs, quickExits });

interface Row {
  name: string;
  policy: RestartPolicySpec;
  exitCode: number | undefined;
  history: RestartHistory;
  nowMs?: number;
  maxDelayMs?: number;
  want: { restart: true; delayMs: number; attempt: number } | { restart: false; reason: RegExp };
}

const rows: Row[] = [
  { name: 'none never restarts', policy: P({ condition: 'none' }), exitCode: 1, history: H(), want: { restart: false, reason: /condition is none/ } },
  { name: 'on-failure skips exit 0', policy: P({ condition: 'on-failure' }), exitCode: 0, history: H(), want: { restart: false, reason: /on-failure/ } },
  { name: 'on-failure restarts exit 3', policy: P({ condition: 'on-failure' }), exitCode: 3, history: H(), want: { restart: true, delayMs: 1000, attempt: 1 } },
  { name: 'on-failure restarts a vanished container', policy: P({ condition: 'on-failure' }), exitCode: undefined, history: H(), want: { restart: true, delayMs: 1000, attempt: 1 } },
  { name: 'any restarts exit 0', policy: P({}), exitCode: 0, history: H(), want: { restart: true, delayMs: 1000, attempt: 1 } },
  // 2 restarts so far, max 2 -> done
  { name: 'max_attempts reached (window 0 = forever)', policy: P({ maxAttempts: 2 }), exitCode: 1, history: H([10, 20]), nowMs: 1e9, want: { restart: false, reason: /2 of 2 restarts used$/ } },
  { name: 'max_attempts not yet reached', policy: P({ maxAttempts: 3 }), exitCode: 1, history: H([10, 20]), want: { restart: true, delayMs: 1000, attempt: 3 } },
  // window 60 s at now=100 s: restarts at 30 s (outside) and 50 s (inside: 50 > 40) -> 1 counted of 2
  { name: 'only restarts within the window count', policy: P({ maxAttempts: 2, windowMs: 60_000 }), exitCode: 1, history: H([30_000, 50_000]), nowMs: 100_000, want: { restart: true, delayMs: 1000, attempt: 2 } },
  { name: 'window full', policy: P({ maxAttempts: 2, windowMs: 60_000 }), exitCode: 1, history: H([45_000, 50_000]), nowMs: 100_000, want: { restart: false, reason: /2 of 2 restarts used within 60000 ms/ } },
  // backoff: delay * 2^(quickExits-1): 1000, 2000, 4000 ...
  { name: 'second quick exit doubles the delay', policy: P({}), exitCode: 1, history: H([], 2), want: { restart: true, delayMs: 2000, attempt: 1 } },
  { name: 'fourth quick exit: 1000 * 2^3', policy: P({}), exitCode: 1, history: H([], 4), want: { restart: true, delayMs: 8000, attempt: 1 } },
  { name: 'a stable run resets the backoff', policy: P({}), exitCode: 1, history: H([], 0), want: { restart: true, delayMs: 1000, attempt: 1 } },
  // 1000 * 2^19 is far past 5 min -> capped at 300 000
  { name: 'backoff capped at 5 min', policy: P({}), exitCode: 1, history: H([], 20), want: { restart: true, delayMs: 300_000, attempt: 1 } },
  { name: 'maxDelayMs 0 keeps Swarm fixed delay', policy: P({}), exitCode: 1, history: H([], 20), maxDelayMs: 0, want: { restart: true, delayMs: 1000, attempt: 1 } },
  { name: 'cap never below the policy delay', policy: P({ delayMs: 600_000 }), exitCode: 1, history: H([], 3), want: { restart: true, delayMs: 600_000, attempt: 1 } },
  // delay 0 backs off from 100 ms: 100 * 2^2 = 400
  { name: 'delay 0 still backs off a crash loop', policy: P({ delayMs: 0 }), exitCode: 1, history: H([], 3), want: { restart: true, delayMs: 400, attempt: 1 } },
  { name: 'delay 0, first exit: immediate', policy: P({ delayMs: 0 }), exitCode: 1, history: H([], 1), want: { restart: true, delayMs: 0, attempt: 1 } },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const got = decideRestart(row.policy, row.exitCode, row.history, row.nowMs ?? 0, row.maxDelayMs === undefined ? {} : { maxDelayMs: row.maxDelayMs });
    t.match(got, row.want);
  });
}

t.test('labels: built, user labels cannot spoof them, parsed back', async (t) => {
  const spec = replicaSpec('shop', { service: 'api', replica: 3, generation: 7, labels: { tier: 'web', 'io.baton.allocation': 'evil', 'io.baton.x': 'y' } });
  const labels = containerLabels(spec);
  t.same(labels, {
    tier: 'web',
    'io.baton.allocation': spec.allocationId,
    'io.baton.generation': '7',
    'io.baton.stack': 'shop',
    'io.baton.service': 'api',
    'io.baton.replica': '3',
    'io.baton.managed': 'true',
  });
  t.same(parseBatonLabels(labels), { allocationId: spec.allocationId, generation: 7, stack: 'shop', service: 'api', replica: 3 });
  t.equal(parseBatonLabels({}), undefined);
  t.equal(parseBatonLabels(null), undefined);
  t.equal(parseBatonLabels({ ...labels, 'io.baton.generation': 'x' }), undefined);
  t.equal(parseBatonLabels({ ...labels, 'io.baton.replica': '-1' }), undefined);
});

t.test('container names are Docker-safe', async (t) => {
  const cases: [Parameters<typeof containerName>[0], boolean, string][] = [
    [{ allocationId: '0f8e7d6c-5b4a-4321-9876-fedcba987654', stack: 'shop', service: 'api', replica: 0 }, false, 'baton-shop-api-0-0f8e7d6c-5b4'],
    [{ allocationId: '0f8e7d6c-5b4a-4321-9876-fedcba987654', stack: 'shop', service: 'api', replica: 0 }, true, 'baton-shop-api-0-0f8e7d6c-5b4a-4321-9876-fedcba987654'],
    // ':' and ' ' are not allowed; the 12-char prefix 'a:b:c:d:e:f:' -> 'a-b-c-d-e-f-' -> trailing '-' dropped
    [{ allocationId: 'a:b:c:d:e:f:g', stack: 'my stack', service: 'web/v2', replica: 1 }, false, 'baton-my-stack-web-v2-1-a-b-c-d-e-f'],
    [{ allocationId: 'short', stack: '_x', service: 's', replica: 2 }, false, 'baton-x-s-2-short'],
  ];
  for (const [spec, full, want] of cases) {
    const name = containerName(spec, full);
    t.equal(name, want);
    t.match(name, /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
  }
  t.equal(dockerSafe('***'), 'x');
});

t.test('spec -> container definition', async (t) => {
  const spec = replicaSpec('s', {
    command: ['a', 'b'],
    entrypoint: ['/bin/sh', '-c'],
    environment: { A: '1' },
    ports: [
      { target: 53, published: 5353, protocol: 'udp' },
      { target: 53, published: 5354, protocol: 'udp', hostIp: '127.0.0.1' },
      { target: 80, protocol: 'tcp' },
    ],
    cpuLimitMillis: 1500,
    memoryLimitBytes: 1024,
    stopGraceMs: 2500,
  });
  const o = createOptions(spec, 'n');
  t.match(o, { name: 'n', Cmd: ['a', 'b'], Entrypoint: ['/bin/sh', '-c'], Env: ['A=1'], StopTimeout: 3 });
  t.same(o.ExposedPorts, { '53/udp': {}, '80/tcp': {} });
  t.same(o.HostConfig?.PortBindings, {
    '53/udp': [
      { HostIp: '', HostPort: '5353' },
      { HostIp: '127.0.0.1', HostPort: '5354' },
    ],
    '80/tcp': [{ HostIp: '', HostPort: '' }],
  });
  // 1500 millicpu -> 1.5e9 NanoCpus
  t.match(o.HostConfig, { NanoCpus: 1_500_000_000, Memory: 1024, RestartPolicy: { Name: 'no' } });
  t.equal(o.Healthcheck, undefined);

  const unlimited = createOptions(replicaSpec('s', { command: undefined }), 'n');
  t.equal(unlimited.HostConfig?.NanoCpus, undefined);
  t.equal(unlimited.HostConfig?.Memory, undefined);
  t.notOk('Cmd' in unlimited, 'no command: the image default');
});

t.test('healthcheck mapping (ms -> ns)', async (t) => {
  const base = { test: ['CMD', 'true'], intervalMs: 2000, timeoutMs: 100, retries: 4, startPeriodMs: 5000, disable: false };
  t.same(healthConfig(base), { Test: ['CMD', 'true'], Interval: 2e9, Timeout: 1e8, Retries: 4, StartPeriod: 5e9 });
  t.same(healthConfig({ ...base, disable: true }), { Test: ['NONE'] });
  t.same(healthConfig({ ...base, test: [] }), { Interval: 2e9, Timeout: 1e8, Retries: 4, StartPeriod: 5e9 }, 'timings only: image test kept');
  t.equal(healthConfig(undefined), undefined);
  // start_interval 250 ms = 2.5e8 ns, only for an engine with API 1.44+.
  t.same(healthConfig({ ...base, startIntervalMs: 250 }), { Test: ['CMD', 'true'], Interval: 2e9, Timeout: 1e8, Retries: 4, StartPeriod: 5e9, StartInterval: 2.5e8 });
  t.same(healthConfig({ ...base, startIntervalMs: 250 }, { startInterval: false }), { Test: ['CMD', 'true'], Interval: 2e9, Timeout: 1e8, Retries: 4, StartPeriod: 5e9 }, 'older engine: left out');
  t.same(healthConfig({ ...base, test: [], probe: { kind: 'tcp', port: 80 } }), { Test: ['NONE'] }, "Baton's own check turns Docker's (and the image's) off");
});

t.test('Docker API versions compare numerically', async (t) => {
  const rows: [string, string, boolean][] = [
    ['1.44', '1.44', true],
    ['1.45', '1.44', true],
    ['1.41', '1.44', false],
    // 1.100 > 1.44 as numbers, though not as text.
    ['1.100', '1.44', true],
    ['2.0', '1.44', true],
    ['0.99', '1.44', false],
  ];
  for (const [version, min, want] of rows) t.equal(apiAtLeast(version, min), want, `${version} >= ${min}`);
});

t.test('event lines: die and health_status of Baton containers, nothing else', async (t) => {
  const line = (Action: string, labels: Record<string, string> = { 'io.baton.allocation': 'a-1' }) => JSON.stringify({ Type: 'container', Action, Actor: { ID: 'c', Attributes: labels } });
  t.same(eventNotice(line('die')), { kind: 'container', allocationId: 'a-1' });
  t.same(eventNotice(line('health_status: unhealthy')), { kind: 'health', allocationId: 'a-1' });
  t.same(eventNotice(line('health_status: healthy')), { kind: 'health', allocationId: 'a-1' });
  t.equal(eventNotice(line('start')), undefined);
  t.equal(eventNotice(line('die', {})), undefined, 'not a Baton container');
  t.equal(eventNotice('{not json'), undefined);
});

t.test('restart decision for an unhealthy replica: a failure, except under condition none', async (t) => {
  // Same limits and backoff as a crash: 2 of 2 restarts used -> given up; second quick run doubles 1000 -> 2000.
  t.match(decideUnhealthyRestart(P({ condition: 'none' }), H(), 0), { restart: false, reason: /condition is none/ });
  t.match(decideUnhealthyRestart(P({ condition: 'on-failure' }), H(), 0), { restart: true, delayMs: 1000, attempt: 1 }, 'on-failure restarts it (an exit 0 would not be)');
  t.match(decideUnhealthyRestart(P({ condition: 'any' }), H([], 2), 0), { restart: true, delayMs: 2000, attempt: 1 });
  t.match(decideUnhealthyRestart(P({ maxAttempts: 2 }), H([10, 20]), 1e9), { restart: false, reason: /restart limit reached: 2 of 2/ });
});
