// The StartReplica mapping round-trips: spec -> toStartReplica -> bytes on the real proto (the
// serializer grpc uses for the coordinator's stream) -> fromStartReplica gives the same spec back.
// Table cases for every form the spec distinguishes, real parser output, a seeded property over
// random specs, and the refusals of malformed messages, each naming its field.
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as protoLoader from '@grpc/proto-loader';
import t from 'tap';
import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_MS } from '../../shared/compose/defaults.js';
import type { HealthcheckSpec, HealthProbeSpec, RestartPolicySpec } from '../../shared/compose/types.js';
import type { CoordinatorMessage } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { CoordinatorMessage__Output } from '../../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import type { StartReplica, StartReplica__Output } from '../../shared/grpc/gen/baton/v1/StartReplica.js';
import { loaderOptions, packageRoot } from '../../shared/grpc/load.js';
import type { ReplicaPort, ReplicaSpec } from '../../shared/model/replica-spec.js';
import { seededRng, type Rng } from '../../shared/random.js';
import { ok } from '../../shared/result.js';
import { fromStartReplica, toStartReplica, type AllocationRef, type ReplicaTemplate } from '../../shared/wire/replica.js';
import { webService } from '../fixtures/compose/docs.js';

// The coordinator writes Connect's responses with this serializer and the agent reads them with
// this deserializer: the same functions grpc-js calls, built from the same loader options.
const def = protoLoader.loadSync(join(packageRoot(), 'proto', 'baton.proto'), loaderOptions());
const connect = (def['baton.v1.AgentService'] as protoLoader.ServiceDefinition)['Connect']!;

function overTheWire(start: StartReplica): StartReplica__Output {
  const message: CoordinatorMessage = { command: { command_id: 'c-1', start } };
  const decoded = connect.responseDeserialize(connect.responseSerialize(message)) as CoordinatorMessage__Output;
  return decoded.command!.start!;
}

/** The coordinator's side of a spec: which allocation, and what of the service. Written apart from the mapping. */
function allocationOf(s: ReplicaSpec): AllocationRef {
  return { id: s.allocationId, generation: s.generation, stack: s.stack, service: s.service, replica: s.replica };
}

function templateOf(s: ReplicaSpec): ReplicaTemplate {
  return {
    image: s.image,
    ...(s.command ? { command: s.command } : {}),
    ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
    environment: s.environment,
    ports: s.ports,
    labels: s.labels,
    limits: { ...(s.cpuLimitMillis !== undefined ? { cpuMillis: s.cpuLimitMillis } : {}), ...(s.memoryLimitBytes !== undefined ? { memoryBytes: s.memoryLimitBytes } : {}) },
    restartPolicy: s.restartPolicy,
    ...(s.healthcheck ? { healthcheck: s.healthcheck } : {}),
    stopGraceMs: s.stopGraceMs,
    ...(s.container ? { container: s.container } : {}),
    ...(s.mounts ? { mounts: s.mounts } : {}),
    ...(s.stopAfterDisconnectMs !== undefined ? { onDisconnect: { stopAfterMs: s.stopAfterDisconnectMs } } : {}),
  };
}

const roundTrip = (s: ReplicaSpec) => fromStartReplica(overTheWire(toStartReplica(allocationOf(s), templateOf(s))));

const base: ReplicaSpec = {
  allocationId: '3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f',
  generation: 3,
  stack: 'shop',
  service: 'web',
  replica: 2,
  image: 'nginx:1.27',
  environment: {},
  ports: [],
  labels: {},
  restartPolicy: DEFAULT_RESTART_POLICY,
  stopGraceMs: DEFAULT_STOP_GRACE_MS,
};
const spec = (patch: Partial<ReplicaSpec>): ReplicaSpec => ({ ...base, ...patch });
const health = (patch: Partial<HealthcheckSpec>): HealthcheckSpec => ({ test: [], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, disable: false, ...patch });
const policy = (patch: Partial<RestartPolicySpec>): RestartPolicySpec => ({ ...DEFAULT_RESTART_POLICY, ...patch });

const TWO_32 = 2 ** 32;

const cases: { name: string; spec: ReplicaSpec }[] = [
  { name: 'defaults only', spec: base },
  // ---------------------------------------------------------------- restart policy
  { name: 'condition any, non-default numbers', spec: spec({ restartPolicy: { condition: 'any', delayMs: 250, maxAttempts: 4, windowMs: 60_000 } }) },
  { name: 'condition none', spec: spec({ restartPolicy: policy({ condition: 'none' }) }) },
  { name: 'condition on-failure (on_failure on the wire)', spec: spec({ restartPolicy: { condition: 'on-failure', delayMs: 200, maxAttempts: 2, windowMs: 0 } }) },
  // Every field at its proto zero: the message is present but encodes to no bytes.
  { name: 'policy of all zeros is not the default policy', spec: spec({ restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } }) },
  { name: 'delay and window above 2^32 ms', spec: spec({ restartPolicy: policy({ delayMs: TWO_32 + 1, windowMs: Number.MAX_SAFE_INTEGER }) }) },
  // ---------------------------------------------------------------- healthcheck
  { name: 'no healthcheck (the image decides)', spec: base },
  { name: 'CMD-SHELL with timings', spec: spec({ healthcheck: health({ test: ['CMD-SHELL', 'wget -q -O- localhost || exit 1'], intervalMs: 5_000, timeoutMs: 2_000, retries: 5, startPeriodMs: 10_000 }) }) },
  { name: 'CMD form', spec: spec({ healthcheck: health({ test: ['CMD', 'pg_isready', '-U', 'postgres'] }) }) },
  { name: 'timings only (the image test runs)', spec: spec({ healthcheck: health({ intervalMs: 1_000 }) }) },
  { name: 'disabled (NONE or disable: true)', spec: spec({ healthcheck: health({ disable: true }) }) },
  { name: 'zero retries and zero start period', spec: spec({ healthcheck: health({ test: ['CMD', 'true'], retries: 0, startPeriodMs: 0, intervalMs: 0, timeoutMs: 0 }) }) },
  { name: 'start_interval set (unset is the case above)', spec: spec({ healthcheck: health({ test: ['CMD', 'true'], startPeriodMs: 30_000, startIntervalMs: 500 }) }) },
  { name: 'start_interval 0 is set, not unset', spec: spec({ healthcheck: health({ test: ['CMD', 'true'], startIntervalMs: 0 }) }) },
  { name: "Baton's http check with a Host header", spec: spec({ healthcheck: health({ intervalMs: 1000, probe: { kind: 'http', port: 8080, path: '/healthz?x=1', statusMin: 200, statusMax: 399, host: 'web.example' } }) }) },
  { name: "Baton's http check, one status, no Host", spec: spec({ healthcheck: health({ probe: { kind: 'http', port: 1, path: '/', statusMin: 204, statusMax: 204 } }) }) },
  { name: "Baton's tcp check", spec: spec({ healthcheck: health({ startIntervalMs: 100, probe: { kind: 'tcp', port: 65535 } }) }) },
  // ---------------------------------------------------------------- ports
  { name: 'published tcp port', spec: spec({ ports: [{ target: 80, published: 8080, protocol: 'tcp' }] }) },
  { name: 'unpublished port (Docker chooses)', spec: spec({ ports: [{ target: 80, protocol: 'tcp' }] }) },
  { name: 'udp with a host IP, and IPv6', spec: spec({ ports: [{ target: 53, published: 5353, protocol: 'udp', hostIp: '127.0.0.1' }, { target: 443, published: 443, protocol: 'tcp', hostIp: '::1' }] }) },
  { name: 'host IP without a published port; port 1 and 65535', spec: spec({ ports: [{ target: 1, protocol: 'tcp', hostIp: '10.0.0.1' }, { target: 65535, published: 65535, protocol: 'udp' }] }) },
  // ---------------------------------------------------------------- environment and labels
  { name: 'environment: empty value, "=" and spaces in values, unicode', spec: spec({ environment: { EMPTY: '', EQ: 'a=b=c', SPACED: ' x y ', UNI: 'grüße ✓', lower_case: '1' } }) },
  { name: 'labels, including one in Baton namespace (dropped later, by the executor)', spec: spec({ labels: { team: 'edge', 'io.baton.allocation': 'spoofed', 'com.example/x': '' } }) },
  // ---------------------------------------------------------------- limits
  { name: 'CPU limit only', spec: spec({ cpuLimitMillis: 250 }) },
  { name: 'memory limit only', spec: spec({ memoryLimitBytes: 32 * 1024 * 1024 }) },
  { name: 'both limits, memory above 2^32 bytes', spec: spec({ cpuLimitMillis: 1, memoryLimitBytes: 64 * 1024 ** 3 }) },
  // ---------------------------------------------------------------- argv, grace, identity
  { name: 'command and entrypoint', spec: spec({ command: ['sleep', '600'], entrypoint: ['/bin/sh', '-c'] }) },
  { name: 'empty entrypoint (clears the image one) differs from none', spec: spec({ entrypoint: [] }) },
  { name: 'empty command', spec: spec({ command: [] }) },
  { name: 'argv with empty strings and quotes', spec: spec({ command: ['', 'a b', '"q"', "'s'"] }) },
  { name: 'stop grace 0 (kill at once) is not the default', spec: spec({ stopGraceMs: 0 }) },
  { name: 'stop grace above 2^32 ms', spec: spec({ stopGraceMs: TWO_32 * 3 }) },
  { name: 'generation above 2^32, replica 0', spec: spec({ generation: TWO_32 * 1024 + 7, replica: 0 }) },
  { name: 'on_disconnect.stop_after (unset is never)', spec: spec({ stopAfterDisconnectMs: 30_000 }) },
  // ---------------------------------------------------------------- container settings and mounts (issue 11)
  {
    name: 'every pass-through container setting',
    spec: spec({
      container: {
        user: '1000:1000', workingDir: '/srv', stopSignal: 'SIGINT', ulimits: { nofile: { soft: 1024, hard: 4096 } }, sysctls: { 'net.core.somaxconn': '1024' },
        capAdd: ['NET_ADMIN'], capDrop: ['NET_RAW'], dns: ['10.0.0.2'], dnsSearch: ['example.com'], dnsOptions: ['ndots:2'], extraHosts: ['db.local:10.1.2.3'],
        readOnly: true, init: true, tmpfs: { '/run': 'size=1m', '/tmp': '' }, hostname: 'web-host', domainname: 'example.com', shmSizeBytes: 64 * 1024 * 1024,
        logging: { driver: 'json-file', options: { 'max-size': '1m' } }, networkMode: 'host',
      },
    }),
  },
  { name: 'logging options with the default driver', spec: spec({ container: { logging: { driver: '', options: { 'max-file': '2' } } } }) },
  {
    name: 'named, external and anonymous volumes, a bind and a tmpfs mount',
    spec: spec({
      mounts: [
        { type: 'volume', source: 'shop_data', target: '/data', volume: { name: 'data', driver: 'local', driverOptions: { type: 'tmpfs', device: 'tmpfs' } }, noCopy: true, subpath: 'a' },
        { type: 'volume', source: 'shared', target: '/shared', readOnly: true, volume: { name: 'shared', driver: '', driverOptions: {}, external: true } },
        { type: 'volume', target: '/anon' },
        { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true, propagation: 'rprivate' },
        { type: 'tmpfs', target: '/cache', tmpfsSizeBytes: 1024 * 1024, tmpfsMode: 0o1777 },
      ],
    }),
  },
];

t.test('table: each form the spec distinguishes comes back as it went', async (t) => {
  for (const c of cases) t.strictSame(roundTrip(c.spec), ok(c.spec), c.name);
});

t.test('the parser output of a full service travels intact', async (t) => {
  const service = webService({
    command: 'nginx -g "daemon off;"',
    entrypoint: [],
    environment: { A: '1', B: '' },
    // '53/udp' (short syntax, so ingress) is an error since issue 9: the same port in long syntax, mode: host.
    ports: ['127.0.0.1:8080:80', { target: 53, protocol: 'udp', mode: 'host' }],
    labels: { team: 'edge' },
    healthcheck: { test: ['NONE'] },
    stop_grace_period: '0s',
    deploy: { resources: { limits: { cpus: '0.5', memory: '64M' } }, restart_policy: { condition: 'on-failure', delay: '1s', max_attempts: 3, window: '2m' } },
  });
  const allocation: AllocationRef = { id: 'a-9', generation: 4, stack: 'demo', service: 'web', replica: 1 };
  t.strictSame(
    fromStartReplica(overTheWire(toStartReplica(allocation, service))),
    ok({
      allocationId: 'a-9',
      generation: 4,
      stack: 'demo',
      service: 'web',
      replica: 1,
      image: 'nginx:1.27',
      command: ['nginx', '-g', 'daemon off;'],
      entrypoint: [],
      environment: { A: '1', B: '' },
      ports: [
        { target: 80, published: 8080, protocol: 'tcp', hostIp: '127.0.0.1' },
        { target: 53, protocol: 'udp' },
      ],
      labels: { team: 'edge' },
      cpuLimitMillis: 500,
      memoryLimitBytes: 64 * 1024 * 1024,
      // 1s = 1000 ms; 2m = 120 000 ms.
      restartPolicy: { condition: 'on-failure', delayMs: 1_000, maxAttempts: 3, windowMs: 120_000 },
      // NONE: disabled, no test; timings are Docker's defaults (unused).
      healthcheck: { test: [], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, disable: true },
      stopGraceMs: 0,
    }),
  );
});

// ---------------------------------------------------------------- seeded property

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const chance = (rng: Rng, p: number): boolean => rng() < p;

/** Mostly small numbers, often the edges where encodings change width or precision ends. */
function count(rng: Rng, max = Number.MAX_SAFE_INTEGER): number {
  const edges = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 31, TWO_32 - 1, TWO_32, Number.MAX_SAFE_INTEGER].filter((n) => n <= max);
  return chance(rng, 0.3) ? pick(rng, edges) : int(rng, 0, Math.min(max, chance(rng, 0.5) ? 100_000 : max));
}

const CHARS = ['a', 'Z', '0', '-', '_', '.', '/', ' ', '=', '"', "'", '\\', 'é', '✓', '\n', '😀'];
function text(rng: Rng, min = 0, max = 12): string {
  return Array.from({ length: int(rng, min, max) }, () => pick(rng, CHARS)).join('');
}
function list(rng: Rng, max = 4): string[] {
  return Array.from({ length: int(rng, 0, max) }, () => text(rng));
}
/** Keys as a map may hold them; environment keys cannot be empty or hold "=" (Docker's KEY=value). */
function record(rng: Rng, key: () => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = int(rng, 0, 4); i > 0; i--) out[key()] = text(rng);
  return out;
}

function randomPort(rng: Rng): ReplicaPort {
  return {
    target: int(rng, 1, 65535),
    ...(chance(rng, 0.6) ? { published: int(rng, 1, 65535) } : {}),
    protocol: pick(rng, ['tcp', 'udp'] as const),
    ...(chance(rng, 0.3) ? { hostIp: pick(rng, ['127.0.0.1', '0.0.0.0', '::1', '', '10.1.2.3']) } : {}),
  };
}

function randomProbe(rng: Rng): HealthProbeSpec {
  if (chance(rng, 0.5)) return { kind: 'tcp', port: int(rng, 1, 65535) };
  const statusMin = int(rng, 100, 599);
  return {
    kind: 'http',
    port: int(rng, 1, 65535),
    path: '/' + text(rng),
    statusMin,
    statusMax: int(rng, statusMin, 599),
    ...(chance(rng, 0.5) ? { host: text(rng) } : {}),
  };
}

function randomHealthcheck(rng: Rng): HealthcheckSpec {
  const form = pick(rng, ['disabled', 'timings', 'CMD', 'CMD-SHELL', 'probe'] as const);
  const test = form === 'CMD' ? ['CMD', text(rng, 1), ...list(rng, 3)] : form === 'CMD-SHELL' ? ['CMD-SHELL', text(rng, 1)] : [];
  return {
    test,
    intervalMs: count(rng),
    timeoutMs: count(rng),
    retries: count(rng, TWO_32 - 1),
    startPeriodMs: count(rng),
    ...(chance(rng, 0.5) ? { startIntervalMs: count(rng) } : {}),
    disable: form === 'disabled',
    ...(form === 'probe' ? { probe: randomProbe(rng) } : {}),
  };
}

function randomSpec(rng: Rng): ReplicaSpec {
  return {
    allocationId: text(rng, 1),
    generation: count(rng),
    stack: text(rng),
    service: text(rng),
    replica: count(rng, TWO_32 - 1),
    image: text(rng, 1),
    ...(chance(rng, 0.5) ? { command: list(rng) } : {}),
    ...(chance(rng, 0.3) ? { entrypoint: list(rng) } : {}),
    environment: record(rng, () => text(rng, 1).replaceAll('=', '_')),
    ports: Array.from({ length: int(rng, 0, 3) }, () => randomPort(rng)),
    labels: record(rng, () => text(rng)),
    ...(chance(rng, 0.5) ? { cpuLimitMillis: Math.max(1, count(rng)) } : {}),
    ...(chance(rng, 0.5) ? { memoryLimitBytes: Math.max(1, count(rng)) } : {}),
    restartPolicy: { condition: pick(rng, ['any', 'none', 'on-failure'] as const), delayMs: count(rng), maxAttempts: count(rng, TWO_32 - 1), windowMs: count(rng) },
    ...(chance(rng, 0.5) ? { healthcheck: randomHealthcheck(rng) } : {}),
    stopGraceMs: count(rng),
  };
}

t.test('property: 2000 random specs round-trip exactly (seeded)', async (t) => {
  const rng = seededRng(0xba70);
  const changed: { i: number; spec: ReplicaSpec; back: unknown }[] = [];
  for (let i = 0; i < 2000; i++) {
    const s = randomSpec(rng);
    const back = roundTrip(s);
    if (!isDeepStrictEqual(back, ok(s))) changed.push({ i, spec: s, back });
  }
  t.strictSame(changed.slice(0, 3), [], 'no spec changed on the way (the first three that did are shown)');
});

// ---------------------------------------------------------------- refusals

const good = toStartReplica(allocationOf(base), templateOf(base));
/** A message as a sender might build it, over the real wire, into fromStartReplica. */
const decode = (patch: Partial<Record<keyof StartReplica, unknown>>) => fromStartReplica(overTheWire({ ...good, ...patch } as StartReplica));

t.test('unset fields mean what leaving them out of the spec means', async (t) => {
  const unset = decode({ restart_policy: null, stop_grace_ms: undefined, command: null, healthcheck: null });
  t.strictSame(unset, ok(base), 'default restart policy and stop grace, the image command, no healthcheck');
});

t.test('malformed messages are refused with the field named', async (t) => {
  const refusals: { name: string; patch: Partial<Record<keyof StartReplica, unknown>>; error: RegExp }[] = [
    { name: 'no allocation id', patch: { allocation_id: '' }, error: /^start\.allocation_id: missing$/ },
    { name: 'no image', patch: { image: '' }, error: /^start\.image: missing$/ },
    // 2^64 - 1 decodes to 1.8e19: past 2^53 a JS number is no longer the sender's integer.
    { name: 'generation past 2^53', patch: { generation: '18446744073709551615' }, error: /^start\.generation: expected a whole number below 2\^53/ },
    { name: 'environment key with "="', patch: { environment: { 'A=B': '1' } }, error: /^start\.environment: "A=B" is not a variable name/ },
    { name: 'port 0', patch: { ports: [{ target: 0, protocol: 'tcp' }] }, error: /^start\.ports\.0\.target: expected a port 1-65535, got 0$/ },
    { name: 'port above 65535', patch: { ports: [{ target: 80, protocol: 'tcp' }, { target: 70000, protocol: 'tcp' }] }, error: /^start\.ports\.1\.target: expected a port 1-65535, got 70000$/ },
    { name: 'published 0 (set, not unset)', patch: { ports: [{ target: 80, published: 0, protocol: 'tcp' }] }, error: /^start\.ports\.0\.published: expected a port 1-65535/ },
    { name: 'protocol sctp', patch: { ports: [{ target: 80, protocol: 'sctp' }] }, error: /^start\.ports\.0\.protocol: expected tcp or udp, got "sctp"$/ },
    { name: 'protocol left empty', patch: { ports: [{ target: 80 }] }, error: /^start\.ports\.0\.protocol: expected tcp or udp, got ""$/ },
    { name: 'CPU limit 0 (set, not unset)', patch: { cpu_limit_millis: 0 }, error: /^start\.cpu_limit_millis: expected a positive whole number \(leave it unset for no limit\), got 0$/ },
    { name: 'negative memory limit', patch: { memory_limit_bytes: -1 }, error: /^start\.memory_limit_bytes: expected a positive whole number/ },
    // An enum number this build has no name for arrives as the number.
    { name: 'unknown restart condition', patch: { restart_policy: { condition: 7 } }, error: /^start\.restart_policy\.condition: unknown condition 7$/ },
    { name: 'restart delay past 2^53', patch: { restart_policy: { delay_ms: '18446744073709551615' } }, error: /^start\.restart_policy\.delay_ms: expected a whole number of milliseconds/ },
    { name: 'healthcheck interval past 2^53', patch: { healthcheck: { interval_ms: '9007199254740993' } }, error: /^start\.healthcheck\.interval_ms: expected a whole number of milliseconds/ },
    { name: 'healthcheck disabled with a test', patch: { healthcheck: { disable: true, test: ['CMD', 'true'] } }, error: /^start\.healthcheck\.test: must be empty when disable is set$/ },
    { name: 'healthcheck NONE as a test (the parser sends disable)', patch: { healthcheck: { test: ['NONE'] } }, error: /^start\.healthcheck\.test: expected a CMD or CMD-SHELL list, got "NONE" first$/ },
    { name: 'start_interval past 2^53', patch: { healthcheck: { start_interval_ms: '18446744073709551615' } }, error: /^start\.healthcheck\.start_interval_ms: expected a whole number of milliseconds/ },
    { name: 'http check on port 0', patch: { healthcheck: { http: { port: 0, path: '/', status_min: 200, status_max: 399 } } }, error: /^start\.healthcheck\.http\.port: expected a port 1-65535, got 0$/ },
    { name: 'http check path without "/"', patch: { healthcheck: { http: { port: 80, path: 'x', status_min: 200, status_max: 399 } } }, error: /^start\.healthcheck\.http\.path: expected a path starting with "\/"/ },
    { name: 'http check status range reversed', patch: { healthcheck: { http: { port: 80, path: '/', status_min: 399, status_max: 200 } } }, error: /^start\.healthcheck\.http\.status_min\/status_max: expected 100 <= min <= max <= 599, got 399-200$/ },
    { name: 'http check left unset (zeros)', patch: { healthcheck: { http: {} } }, error: /^start\.healthcheck\.http\.port: expected a port 1-65535, got 0$/ },
    { name: 'tcp check on port 70000', patch: { healthcheck: { tcp: { port: 70000 } } }, error: /^start\.healthcheck\.tcp\.port: expected a port 1-65535, got 70000$/ },
    { name: 'Baton check together with a Docker test', patch: { healthcheck: { test: ['CMD', 'true'], tcp: { port: 80 } } }, error: /^start\.healthcheck\.tcp: Baton's own check needs an empty test and disable unset$/ },
    { name: 'stop grace past 2^53', patch: { stop_grace_ms: '18446744073709551615' }, error: /^start\.stop_grace_ms: expected a whole number of milliseconds below 2\^53/ },
    { name: 'stop_after 0 (set, not unset)', patch: { stop_after_disconnect_ms: 0 }, error: /^start\.stop_after_disconnect_ms: expected a positive whole number of milliseconds \(leave it unset for never\), got 0$/ },
  ];
  for (const r of refusals) {
    const result = decode(r.patch);
    t.equal(result.ok, false, `${r.name}: refused`);
    if (!result.ok) t.match(result.error, r.error, `${r.name}: names the field`);
  }
});
