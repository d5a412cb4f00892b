// Every supported Compose key, its normalised form and its defaults; the realistic fixture stacks.

import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  DEFAULT_RESERVATION,
  DEFAULT_RESTART_POLICY,
  DEFAULT_ROLLBACK_CONFIG,
  formatIssue,
  parseCompose,
  type ServiceSpec,
} from '../../shared/compose/index.js';
import { FILE, errorLines, parse, stackYaml, warningLines, webService } from '../fixtures/compose/docs.js';

const MiB = 1024 * 1024;
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/compose/${name}`, import.meta.url), 'utf8');

t.test('a minimal service gets every default', async (t) => {
  const web = webService();
  t.same(web, {
    name: 'web',
    image: 'nginx:1.27',
    environment: {},
    ports: [],
    labels: {},
    dependsOn: [],
    replicas: 1,
    reserved: { cpuMillis: 100, memoryBytes: 64 * MiB },
    reservedFrom: 'default',
    reservedSources: { cpuMillis: 'default', memoryBytes: 'default' },
    limits: {},
    constraints: [],
    maxReplicasPerNode: 0,
    restartPolicy: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
    // Baton's defaults (issue 8), safer than Swarm's: start-first, roll back on failure.
    updateConfig: { parallelism: 1, delayMs: 0, failureAction: 'rollback', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' },
    rollbackConfig: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0, order: 'start-first' },
    placementStrategy: 'binpack',
    stopGraceMs: 10_000,
  } satisfies ServiceSpec);
  t.same(DEFAULT_RESERVATION, { cpuMillis: 100, memoryBytes: 64 * MiB });
});

// [description, web's fields, env, pick, expected]
type Case = [string, Record<string, unknown>, Record<string, string>, (s: ServiceSpec) => unknown, unknown];
const cases: Case[] = [
  ['command string is split shell-style', { command: `sh -c 'echo "a b" && exit 0'` }, {}, (s) => s.command, ['sh', '-c', 'echo "a b" && exit 0']],
  ['command with escapes', { command: 'printf "%s\\n" a\\ b "" x' }, {}, (s) => s.command, ['printf', '%s\\n', 'a b', '', 'x']],
  ['command list, numbers become strings', { command: ['sleep', 10] }, {}, (s) => s.command, ['sleep', '10']],
  ['empty command list', { command: [] }, {}, (s) => s.command, []],
  ['entrypoint string', { entrypoint: '/docker-entrypoint.sh nginx' }, {}, (s) => s.entrypoint, ['/docker-entrypoint.sh', 'nginx']],
  ['entrypoint list', { entrypoint: ['tini', '--'] }, {}, (s) => s.entrypoint, ['tini', '--']],
  ['null command is absent', { command: null }, {}, (s) => s.command, undefined],
  ['environment map, scalars stringified', { environment: { A: 'x', N: 5, B: true, E: '' } }, {}, (s) => s.environment, { A: 'x', N: '5', B: 'true', E: '' }],
  ['environment map null takes env', { environment: { HOME: null } }, { HOME: '/root' }, (s) => s.environment, { HOME: '/root' }],
  ['environment list', { environment: ['A=x', 'B=y=z', 'C='] }, {}, (s) => s.environment, { A: 'x', B: 'y=z', C: '' }],
  ['environment bare KEY from env', { environment: ['HOME', 'A=1'] }, { HOME: '/root' }, (s) => s.environment, { HOME: '/root', A: '1' }],
  ['environment later entry wins', { environment: ['A=1', 'A=2'] }, {}, (s) => s.environment, { A: '2' }],
  ['port number', { ports: [80] }, {}, (s) => s.ports, [{ target: 80, protocol: 'tcp', mode: 'ingress' }]],
  ['port "80"', { ports: ['80'] }, {}, (s) => s.ports, [{ target: 80, protocol: 'tcp', mode: 'ingress' }]],
  ['port "8080:80"', { ports: ['8080:80'] }, {}, (s) => s.ports, [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }]],
  // Was '127.0.0.1:8080:80/udp' (short syntax, so mode ingress): UDP ingress is an error since issue 9
  // (compose-errors.test.ts), so the same port is written in long syntax with mode: host here.
  [
    'port with host IP and udp',
    { ports: [{ target: 80, published: 8080, protocol: 'udp', mode: 'host', host_ip: '127.0.0.1' }] },
    {},
    (s) => s.ports,
    [{ target: 80, published: 8080, protocol: 'udp', mode: 'host', hostIp: '127.0.0.1' }],
  ],
  ['short syntax with host IP and tcp', { ports: ['127.0.0.1:8080:80/tcp'] }, {}, (s) => s.ports, [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress', hostIp: '127.0.0.1' }]],
  ['long syntax mode host', { ports: [{ target: 80, published: 8080, mode: 'host' }] }, {}, (s) => s.ports, [{ target: 80, published: 8080, protocol: 'tcp', mode: 'host' }]],
  ['long syntax mode ingress, no published port', { ports: [{ target: 80, mode: 'ingress' }] }, {}, (s) => s.ports, [{ target: 80, protocol: 'tcp', mode: 'ingress' }]],
  ['port with host IP, no host port', { ports: ['127.0.0.1::80'] }, {}, (s) => s.ports, [{ target: 80, protocol: 'tcp', mode: 'ingress', hostIp: '127.0.0.1' }]],
  ['port with IPv6 host IP', { ports: ['[::1]:8080:80'] }, {}, (s) => s.ports, [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress', hostIp: '::1' }]],
  [
    'port ranges expand pairwise',
    { ports: ['8000-8001:80-81'] },
    {},
    (s) => s.ports,
    [
      { target: 80, published: 8000, protocol: 'tcp', mode: 'ingress' },
      { target: 81, published: 8001, protocol: 'tcp', mode: 'ingress' },
    ],
  ],
  [
    'container range alone',
    { ports: ['90-91'] },
    {},
    (s) => s.ports.map((p) => p.target),
    [90, 91],
  ],
  [
    'long port syntax',
    { ports: [{ target: 80, published: 8080, protocol: 'udp', mode: 'host', host_ip: '0.0.0.0' }] },
    {},
    (s) => s.ports,
    [{ target: 80, published: 8080, protocol: 'udp', mode: 'host', hostIp: '0.0.0.0' }],
  ],
  ['long port syntax defaults', { ports: [{ target: '80', published: '8080' }] }, {}, (s) => s.ports, [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }]],
  ['same port on two host IPs', { ports: ['127.0.0.1:80:80', '10.0.0.1:80:81'] }, {}, (s) => s.ports.length, 2],
  // Was ['53:53/tcp', '53:53/udp']: the udp one is mode: host now (UDP ingress is an error since issue 9).
  ['same port, tcp and udp', { ports: ['53:53/tcp', { target: 53, published: 53, protocol: 'udp', mode: 'host' }] }, {}, (s) => s.ports.length, 2],
  ['no expose: undefined', {}, {}, (s) => s.expose, undefined],
  ['expose numbers and strings', { expose: [8080, '9090', '9091/tcp', '9091/TCP'] }, {}, (s) => s.expose, [8080, 9090, 9091]],
  ['expose range', { expose: ['3000-3002'] }, {}, (s) => s.expose, [3000, 3001, 3002]],
  ['empty expose list: undefined', { expose: [] }, {}, (s) => s.expose, undefined],
  ['no x-baton.ingress: undefined', {}, {}, (s) => s.ingress, undefined],
  ['x-baton.ingress defaults', { 'x-baton': { ingress: {} } }, {}, (s) => s.ingress, { prefer: 'any', constraints: [] }],
  [
    'x-baton.ingress prefer local and constraints',
    { 'x-baton': { ingress: { prefer: 'local', constraints: ['node.labels.edge==true', 'node.role != manager'] } } },
    {},
    (s) => s.ingress,
    {
      prefer: 'local',
      constraints: [
        { attribute: 'node.labels.edge', op: '==', value: 'true', text: 'node.labels.edge==true' },
        { attribute: 'node.role', op: '!=', value: 'manager', text: 'node.role != manager' },
      ],
    },
  ],
  ['x-baton.ingress prefer any', { 'x-baton': { ingress: { prefer: 'any' } } }, {}, (s) => s.ingress?.prefer, 'any'],
  ['deploy.endpoint_mode vip is what Baton does', { deploy: { endpoint_mode: 'vip' } }, {}, (s) => s.image, 'nginx:1.27'],
  ['labels map', { labels: { 'com.example.a': 'x', n: 1, e: null } }, {}, (s) => s.labels, { 'com.example.a': 'x', n: '1', e: '' }],
  ['labels list', { labels: ['a=1', 'flag'] }, {}, (s) => s.labels, { a: '1', flag: '' }],
  ['deploy labels merge, deploy wins', { labels: { a: '1', b: '1' }, deploy: { labels: ['b=2', 'c=3'] } }, {}, (s) => s.labels, { a: '1', b: '2', c: '3' }],
  [
    'healthcheck string is CMD-SHELL',
    { healthcheck: { test: 'curl -f localhost', interval: '10s', timeout: '2s', retries: 5, start_period: '1m' } },
    {},
    (s) => s.healthcheck,
    { test: ['CMD-SHELL', 'curl -f localhost'], intervalMs: 10_000, timeoutMs: 2000, retries: 5, startPeriodMs: 60_000, disable: false },
  ],
  ['healthcheck CMD list', { healthcheck: { test: ['CMD', 'true'] } }, {}, (s) => s.healthcheck?.test, ['CMD', 'true']],
  ['healthcheck CMD-SHELL list', { healthcheck: { test: ['CMD-SHELL', 'exit 0'] } }, {}, (s) => s.healthcheck?.test, ['CMD-SHELL', 'exit 0']],
  [
    'healthcheck NONE disables',
    { healthcheck: { test: ['NONE'] } },
    {},
    (s) => s.healthcheck,
    { test: [], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, disable: true },
  ],
  ['healthcheck disable: true', { healthcheck: { disable: true } }, {}, (s) => [s.healthcheck?.test, s.healthcheck?.disable], [[], true]],
  ['healthcheck timings only keep the image test', { healthcheck: { interval: '5s' } }, {}, (s) => [s.healthcheck?.test, s.healthcheck?.intervalMs], [[], 5000]],
  // start_interval: Docker API 1.44's StartInterval; left out of the spec when the file leaves it out.
  ['healthcheck start_interval', { healthcheck: { test: 'true', start_period: '30s', start_interval: '500ms' } }, {}, (s) => [s.healthcheck?.startPeriodMs, s.healthcheck?.startIntervalMs], [30_000, 500]],
  ['healthcheck without start_interval has none', { healthcheck: { test: 'true' } }, {}, (s) => s.healthcheck && 'startIntervalMs' in s.healthcheck, false],
  [
    'x-baton http check: defaults path /, status 200-399, Docker timing defaults',
    { 'x-baton': { healthcheck: { http: { port: 8080 } } } },
    {},
    (s) => s.healthcheck,
    { test: [], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, disable: false, probe: { kind: 'http', port: 8080, path: '/', statusMin: 200, statusMax: 399 } },
  ],
  [
    'x-baton http check, every key',
    { 'x-baton': { healthcheck: { http: { port: '80', path: '/healthz', status: 204, host: 'web.example' }, interval: '1s', timeout: '500ms', retries: 2, start_period: '5s', start_interval: '200ms' } } },
    {},
    (s) => s.healthcheck,
    {
      test: [],
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 2,
      startPeriodMs: 5000,
      startIntervalMs: 200,
      disable: false,
      probe: { kind: 'http', port: 80, path: '/healthz', statusMin: 204, statusMax: 204, host: 'web.example' },
    },
  ],
  ['x-baton http status range', { 'x-baton': { healthcheck: { http: { port: 80, status: '200-299' } } } }, {}, (s) => s.healthcheck?.probe, { kind: 'http', port: 80, path: '/', statusMin: 200, statusMax: 299 }],
  ['x-baton tcp check', { 'x-baton': { healthcheck: { tcp: { port: 5432 }, interval: '2s' } } }, {}, (s) => [s.healthcheck?.probe, s.healthcheck?.intervalMs], [{ kind: 'tcp', port: 5432 }, 2000]],
  [
    'depends_on list',
    { depends_on: ['db'] },
    {},
    (s) => s.dependsOn,
    [{ service: 'db', condition: 'service_started', required: true }],
  ],
  [
    'depends_on map',
    { depends_on: { db: { condition: 'service_healthy' }, cache: { condition: 'service_completed_successfully', required: false } } },
    {},
    (s) => s.dependsOn,
    [
      { service: 'db', condition: 'service_healthy', required: true },
      { service: 'cache', condition: 'service_completed_successfully', required: false },
    ],
  ],
  ['depends_on map with null value', { depends_on: { db: null } }, {}, (s) => s.dependsOn, [{ service: 'db', condition: 'service_started', required: true }]],
  ['depends_on list duplicates', { depends_on: ['db', 'db'] }, {}, (s) => s.dependsOn.length, 1],
  ['stop_grace_period', { stop_grace_period: '1m30s' }, {}, (s) => s.stopGraceMs, 90_000],
  ['deploy.mode replicated', { deploy: { mode: 'replicated', replicas: 0 } }, {}, (s) => s.replicas, 0],
  ['deploy.mode replicated leaves mode out (same spec hash as before modes)', { deploy: { mode: 'replicated' } }, {}, (s) => 'mode' in s, false],
  ['deploy.mode global', { deploy: { mode: 'global' } }, {}, (s) => [s.mode, s.replicas], ['global', 0]],
  ['placement.preferences spread', { deploy: { placement: { preferences: [{ spread: 'node.labels.zone' }, { spread: 'node.labels.rack' }] } } }, {}, (s) => s.spread, ['zone', 'rack']],
  ['no placement.preferences leaves spread out (same spec hash as before)', { deploy: { placement: { preferences: [] } } }, {}, (s) => 'spread' in s, false],
  ['deploy.mode global with constraints', { deploy: { mode: 'global', placement: { constraints: ['node.role == manager'] } } }, {}, (s) => [s.mode, s.constraints.map((c) => c.text)], ['global', ['node.role == manager']]],
  ['deploy.replicas', { deploy: { replicas: 5 } }, {}, (s) => s.replicas, 5],
  [
    'reservations win',
    { deploy: { resources: { reservations: { cpus: '0.5', memory: '128M' }, limits: { cpus: 1, memory: '1G' } } } },
    {},
    (s) => [s.reserved, s.reservedFrom, s.limits],
    [{ cpuMillis: 500, memoryBytes: 128 * MiB }, 'reservations', { cpuMillis: 1000, memoryBytes: 1024 * MiB }],
  ],
  [
    'limits stand in for missing reservations',
    { deploy: { resources: { limits: { cpus: 0.5, memory: '256m' } } } },
    {},
    (s) => [s.reserved, s.reservedFrom],
    [{ cpuMillis: 500, memoryBytes: 256 * MiB }, 'limits'],
  ],
  [
    'mixed sources: reservedFrom is the less explicit one',
    { deploy: { resources: { reservations: { cpus: 0.25 }, limits: { memory: '32M' } } } },
    {},
    (s) => [s.reserved, s.reservedFrom, s.reservedSources],
    [{ cpuMillis: 250, memoryBytes: 32 * MiB }, 'limits', { cpuMillis: 'reservations', memoryBytes: 'limits' }],
  ],
  [
    'default fills what neither gives',
    { deploy: { resources: { reservations: { memory: '1G' } } } },
    {},
    (s) => [s.reserved, s.reservedFrom, s.reservedSources],
    [{ cpuMillis: DEFAULT_RESERVATION.cpuMillis, memoryBytes: 1024 * MiB }, 'default', { cpuMillis: 'default', memoryBytes: 'reservations' }],
  ],
  ['reservation equal to limit', { deploy: { resources: { reservations: { cpus: 1 }, limits: { cpus: '1.0' } } } }, {}, (s) => s.reserved.cpuMillis, 1000],
  [
    'placement constraints, whitespace around the operator',
    { deploy: { placement: { constraints: ['node.labels.zone == edge', 'node.role!=manager', 'node.hostname==h1', 'node.id==abc', 'node.platform.os==linux', 'node.platform.arch != armv7l'] } } },
    {},
    (s) => s.constraints.map((c) => [c.attribute, c.op, c.value]),
    [
      ['node.labels.zone', '==', 'edge'],
      ['node.role', '!=', 'manager'],
      ['node.hostname', '==', 'h1'],
      ['node.id', '==', 'abc'],
      ['node.platform.os', '==', 'linux'],
      ['node.platform.arch', '!=', 'armv7l'],
    ],
  ],
  ['constraint keeps its text', { deploy: { placement: { constraints: ['node.labels.zone == edge'] } } }, {}, (s) => s.constraints[0]?.text, 'node.labels.zone == edge'],
  ['max_replicas_per_node', { deploy: { placement: { max_replicas_per_node: 1 } } }, {}, (s) => s.maxReplicasPerNode, 1],
  [
    'restart_policy',
    { deploy: { restart_policy: { condition: 'on-failure', delay: '10s', max_attempts: 3, window: '2m' } } },
    {},
    (s) => s.restartPolicy,
    { condition: 'on-failure', delayMs: 10_000, maxAttempts: 3, windowMs: 120_000 },
  ],
  ['restart_policy partial', { deploy: { restart_policy: { condition: 'none' } } }, {}, (s) => s.restartPolicy, { ...DEFAULT_RESTART_POLICY, condition: 'none' }],
  [
    'update_config',
    { deploy: { update_config: { parallelism: 2, delay: '10s', failure_action: 'rollback', monitor: '1m', max_failure_ratio: 0.5, order: 'start-first' } } },
    {},
    (s) => s.updateConfig,
    { parallelism: 2, delayMs: 10_000, failureAction: 'rollback', monitorMs: 60_000, maxFailureRatio: 0.5, order: 'start-first' },
  ],
  [
    'rollback_config',
    { deploy: { rollback_config: { parallelism: 0, failure_action: 'continue' } } },
    {},
    (s) => s.rollbackConfig,
    { ...DEFAULT_ROLLBACK_CONFIG, parallelism: 0, failureAction: 'continue' },
  ],
  ['x-baton placement spread', { 'x-baton': { placement: 'spread' } }, {}, (s) => s.placementStrategy, 'spread'],
  ['x-baton placement binpack', { 'x-baton': { placement: 'binpack' } }, {}, (s) => s.placementStrategy, 'binpack'],
  ['other x-* keys ignored', { 'x-team': { owner: 'me' }, deploy: { 'x-note': 1 } }, {}, (s) => s.image, 'nginx:1.27'],
  ['empty-valued unsupported keys are fine', { privileged: false, volumes: [], cap_add: [], networks: ['default'] }, {}, (s) => s.image, 'nginx:1.27'],
  ['networks map with only default', { networks: { default: null } }, {}, (s) => s.image, 'nginx:1.27'],
];

t.test('supported keys', async (t) => {
  for (const [name, web, env, pick, want] of cases) t.same(pick(webService(web, env)), want, name);
});

t.test('top level: name, version, x-*, stackName', async (t) => {
  const text = 'version: "3.8"\nx-anchors: { a: 1 }\nservices:\n  web:\n    image: nginx\n';
  const fromOption = parseCompose(text, { file: FILE, stackName: 'cli-name' });
  t.ok(fromOption.ok && fromOption.stack.name === 'cli-name');
  t.same(fromOption.warnings, []);
  const both = parseCompose(`name: file-name\n${text}`, { file: FILE, stackName: 'cli-name' });
  t.ok(both.ok && both.stack.name === 'file-name');
  t.same(warningLines(both), ['name: the file names the stack "file-name", which is used instead of "cli-name"']);
  t.same(errorLines(parseCompose(text, { file: FILE })), ['name: is required: set a top-level name in the file or pass a stack name']);
  const networks = parse('name: a\nnetworks:\n  default: {}\nservices:\n  web:\n    image: nginx\n');
  t.ok(networks.ok, 'an empty default network is fine');
});

t.test('services keep file order', async (t) => {
  const r = parse(stackYaml({}, {}, { zeta: { image: 'a' }, alpha: { image: 'b' }, mid: { image: 'c' } }));
  t.same(r.ok ? r.stack.services.map((s) => s.name) : r, ['web', 'zeta', 'alpha', 'mid']);
});

t.test('fixture: web + db stack', async (t) => {
  const r = parseCompose(fixture('web-db.compose.yaml'), { file: 'web-db.compose.yaml', env: { POSTGRES_PASSWORD: 's3cret' } });
  if (!r.ok) return t.fail(r.errors.map(formatIssue).join('\n'));
  t.same(r.warnings, []);
  t.equal(r.stack.name, 'shop');
  const [web, db] = r.stack.services;
  t.match(web, {
    name: 'web',
    image: 'ghcr.io/example/shop-web:1.4.2',
    command: ['node', 'server.js', '--port', '8080'],
    environment: { LOG_LEVEL: 'info', NODE_ENV: 'production' },
    ports: [
      { target: 8080, published: 80, protocol: 'tcp', mode: 'ingress' },
      { target: 9090, published: 9090, protocol: 'tcp', mode: 'host' },
    ],
    labels: { 'com.example.tier': 'web' },
    healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://localhost:8080/healthz'], intervalMs: 15_000, timeoutMs: 3000, retries: 3, startPeriodMs: 20_000 },
    dependsOn: [{ service: 'db', condition: 'service_healthy', required: true }],
    stopGraceMs: 30_000,
    replicas: 3,
    reserved: { cpuMillis: 250, memoryBytes: 256 * MiB },
    reservedFrom: 'reservations',
    limits: { cpuMillis: 1000, memoryBytes: 512 * MiB },
    maxReplicasPerNode: 2,
    restartPolicy: { condition: 'on-failure', delayMs: 10_000, maxAttempts: 5, windowMs: 120_000 },
    updateConfig: { parallelism: 1, delayMs: 10_000, failureAction: 'rollback', monitorMs: 30_000, maxFailureRatio: 0.2, order: 'start-first' },
    placementStrategy: 'spread',
  });
  t.same(web?.constraints.map((c) => c.text), ['node.labels.zone == north', 'node.role != manager']);
  t.match(db, {
    name: 'db',
    environment: { POSTGRES_USER: 'shop', POSTGRES_DB: 'shop', POSTGRES_PASSWORD: 's3cret' },
    healthcheck: { test: ['CMD-SHELL', 'pg_isready -U shop'], intervalMs: 5000 },
    reserved: { cpuMillis: 100, memoryBytes: 1024 * MiB },
    reservedFrom: 'default',
    reservedSources: { cpuMillis: 'default', memoryBytes: 'limits' },
  });
  const overridden = parseCompose(fixture('web-db.compose.yaml'), { file: 'web-db.compose.yaml', env: { WEB_TAG: '2.0.0', POSTGRES_PASSWORD: 'x' } });
  t.equal(overridden.ok && overridden.stack.services[0]?.image, 'ghcr.io/example/shop-web:2.0.0');
  const noPassword = parseCompose(fixture('web-db.compose.yaml'), { file: 'web-db.compose.yaml' });
  t.same(noPassword.warnings.map(formatIssue), [
    'web-db.compose.yaml: services.db.environment.2: "POSTGRES_PASSWORD" has no value here and is not set in the environment, so it is left out',
  ]);
});

t.test('fixture: edge stack', async (t) => {
  const r = parseCompose(fixture('edge.compose.yaml'), { file: 'edge.compose.yaml', env: { ZONE: 'south' }, stackName: 'edge' });
  if (!r.ok) return t.fail(r.errors.map(formatIssue).join('\n'));
  t.same(r.stack.services.map((s) => s.name), ['broker', 'collector', 'metrics']);
  const [broker, collector, metrics] = r.stack.services;
  t.match(broker, { reserved: { cpuMillis: 100, memoryBytes: 32 * MiB }, reservedFrom: 'reservations' });
  t.same(collector?.entrypoint, ['/bin/collector', '--broker', 'tcp://broker:1883', '--topic', 'sensors/#']);
  t.same(collector?.constraints.map((c) => c.text), ['node.labels.zone==south', 'node.platform.arch==aarch64']);
  t.match(collector, { replicas: 4, maxReplicasPerNode: 1, environment: { ZONE: 'south' }, restartPolicy: { condition: 'any', delayMs: 2000 } });
  t.same(metrics?.ports.map((p) => `${p.published}:${p.target}`), ['9100:9100', '9101:9101']);
  t.match(metrics, { reserved: { cpuMillis: 200, memoryBytes: 64 * MiB }, reservedFrom: 'limits' });
  const noZone = parseCompose(fixture('edge.compose.yaml'), { file: 'edge.compose.yaml', stackName: 'edge' });
  t.same(noZone.ok ? [] : noZone.errors.map(formatIssue), [
    'edge.compose.yaml: services.collector.environment.ZONE: required variable "ZONE" is not set: set ZONE to the zone being deployed',
    // The same unset variable also empties a constraint, which is caught on its own.
    'edge.compose.yaml: services.collector.deploy.placement.constraints.0: "node.labels.zone==" has no value after ==',
  ]);
  t.same(noZone.warnings.map(formatIssue), [
    'edge.compose.yaml: services.collector.deploy.placement.constraints.0: variable "ZONE" is not set, using an empty string',
  ]);
});
