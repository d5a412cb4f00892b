// Issue 11: the keys `docker stack deploy` passes to Docker, and env_file, as the parser reads them
// (the agent's mapping to Docker's create request is checked against a real engine in
// test/docker/container-settings.test.ts).
import t from 'tap';
import { parseCompose } from '../../shared/compose/index.js';
import { parseEnvFile } from '../../shared/compose/env-file.js';
import { createOptions } from '../../agent/executor/docker/create-options.js';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)]));
const parse = (service: string, f: Record<string, string> = {}, env: Record<string, string> = {}) =>
  parseCompose(`name: s\nservices:\n  web:\n    image: busybox\n${service}`, { file: 'c.yaml', env, files: files(f) });

t.test('every pass-through key lands in spec.container as Docker will take it', async (t) => {
  const r = parse(`    user: 1000
    working_dir: /srv
    stop_signal: SIGINT
    ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: 512 }
    sysctls: [net.core.somaxconn=1024]
    cap_add: [NET_ADMIN]
    cap_drop: [NET_RAW]
    dns: 10.0.0.2
    dns_search: [example.com]
    dns_opt: [ndots:2]
    extra_hosts: ["db.local:10.1.2.3", "v6=[::1]"]
    read_only: true
    init: true
    tmpfs: [/run, "/tmp:size=1m"]
    hostname: web-host
    domainname: example.com
    shm_size: 64M
    logging: { driver: json-file, options: { max-size: 1m, max-file: 2 } }
    network_mode: host
`);
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.strictSame(r.warnings, []);
  t.strictSame(r.stack.services[0]!.container, {
    user: '1000', workingDir: '/srv', stopSignal: 'SIGINT', ulimits: { nofile: { soft: 1024, hard: 4096 }, nproc: { soft: 512, hard: 512 } },
    sysctls: { 'net.core.somaxconn': '1024' }, capAdd: ['NET_ADMIN'], capDrop: ['NET_RAW'], dns: ['10.0.0.2'], dnsSearch: ['example.com'], dnsOptions: ['ndots:2'],
    extraHosts: ['db.local:10.1.2.3', 'v6:::1'], readOnly: true, init: true, tmpfs: { '/run': '', '/tmp': 'size=1m' }, hostname: 'web-host', domainname: 'example.com',
    shmSizeBytes: 64 * 1024 * 1024, logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '2' } }, networkMode: 'host',
  });
});

t.test('a service without them has no container settings (its spec hash is what it was)', async (t) => {
  const r = parse('    read_only: false\n    network_mode: bridge\n');
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.equal(r.stack.services[0]!.container, undefined);
});

t.test('bad values are refused naming the key', async (t) => {
  const cases: [string, string][] = [
    ['    working_dir: srv\n', 'services.web.working_dir: must be an absolute path in the container'],
    ['    stop_signal: "kill it"\n', 'services.web.stop_signal: must be a signal name such as SIGTERM or SIGINT, or a number'],
    ['    ulimits: { nofile: { soft: 10, hard: 5 } }\n', 'services.web.ulimits.nofile: soft must not be above hard'],
    ['    tmpfs: run\n', 'services.web.tmpfs: must be an absolute path in the container, got "run"'],
    ['    extra_hosts: [nohost]\n', 'services.web.extra_hosts.0: must be "hostname:address" (or hostname=address), got "nohost"'],
    ['    network_mode: none\n', 'services.web.network_mode: "none" is not supported'],
    ['    shm_size: lots\n', 'services.web.shm_size:'],
  ];
  for (const [yaml, want] of cases) {
    const r = parse(yaml);
    t.notOk(r.ok, yaml.trim());
    if (!r.ok) t.match(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), want, yaml.trim());
  }
});

t.test('env_file: read from the files the CLI sent, in order, environment wins', async (t) => {
  const r = parse('    env_file: [a.env, { path: missing.env, required: false }, b.env]\n    environment: { C: from-file-loses }\n', {
    'a.env': '# comment\nA=1\nexport B="two words" # kept\nC=3\nQ=\'${NOT}\'\n',
    'b.env': 'A=${HOME_DIR:-/home}/x\nD=$A\nBARE\n',
  }, { BARE: 'from-env' });
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.strictSame(r.stack.services[0]!.environment, { A: '/home/x', B: 'two words', C: 'from-file-loses', Q: '${NOT}', D: '/home/x', BARE: 'from-env' });
  const missing = parse('    env_file: gone.env\n');
  t.notOk(missing.ok);
  if (!missing.ok) t.match(missing.errors[0]!.message, '"gone.env" cannot be read');
  const broken = parse('    env_file: x.env\n', { 'x.env': 'OK=1\nBAD="never closed\n' });
  if (!broken.ok) t.match(broken.errors[0]!.message, '"x.env": line 2: the double quote that opens the value of BAD is never closed');
  else t.fail('unclosed quote accepted');
});

t.test('parseEnvFile: quoting, escapes, raw format', async (t) => {
  t.strictSame(parseEnvFile('M="a\\nb"\nS=\'a\\nb\'\nU=a b  # c\nE=\n', {}), { ok: true, value: { M: 'a\nb', S: 'a\\nb', U: 'a b', E: '' } });
  t.strictSame(parseEnvFile('R="$X" # y', { X: '1' }, 'raw'), { ok: true, value: { R: '"$X" # y' } });
  t.strictSame(parseEnvFile('ML="one\ntwo"\n', {}), { ok: true, value: { ML: 'one\ntwo' } });
  t.match(parseEnvFile('1X=2', {}), { ok: false, error: 'line 1: "1X" is not a variable name' });
});

t.test('the agent maps them to the create request; host network publishes nothing', async (t) => {
  const r = parse('    user: "1000:1000"\n    init: true\n    read_only: true\n    network_mode: host\n    ports: ["8080:80"]\n    logging: { options: { max-size: 1m } }\n');
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  const svc = r.stack.services[0]!;
  const o = createOptions({ allocationId: 'a', generation: 1, stack: 's', service: 'web', replica: 1, image: 'busybox', environment: {}, ports: [{ target: 80, published: 8080, protocol: 'tcp' }], labels: {}, restartPolicy: svc.restartPolicy, stopGraceMs: 1000, container: svc.container! }, 'n');
  t.equal(o.User, '1000:1000');
  t.equal(o.HostConfig?.Init, true);
  t.equal(o.HostConfig?.ReadonlyRootfs, true);
  t.equal(o.HostConfig?.NetworkMode, 'host');
  t.equal(o.HostConfig?.PortBindings, undefined);
  t.strictSame(o.HostConfig?.LogConfig, { Type: '', Config: { 'max-size': '1m' } });
});

t.test('volumes: named (stack-scoped, name:, external), anonymous, bind, tmpfs; short and long syntax', async (t) => {
  const r = parseCompose(`name: shop
services:
  web:
    image: busybox
    volumes:
      - data:/data
      - cache:/cache:ro,nocopy
      - /scratch
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - { type: bind, source: /srv/www, target: /www, bind: { propagation: rshared } }
      - { type: tmpfs, target: /tmp, tmpfs: { size: 1m, mode: 0o1777 } }
      - { type: volume, source: shared, target: /shared, read_only: true }
volumes:
  data: { driver: local, driver_opts: { type: tmpfs, device: tmpfs, o: size=10m } }
  cache: { name: global-cache }
  shared: { external: true }
`, { file: 'c.yaml' });
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.strictSame(r.stack.services[0]!.mounts, [
    { type: 'volume', source: 'shop_data', volume: { name: 'data', driver: 'local', driverOptions: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m' } }, target: '/data' },
    { type: 'volume', source: 'global-cache', volume: { name: 'cache', driver: '', driverOptions: {} }, target: '/cache', readOnly: true, noCopy: true },
    { type: 'volume', target: '/scratch' },
    { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
    { type: 'bind', source: '/srv/www', target: '/www', propagation: 'rshared' },
    { type: 'tmpfs', target: '/tmp', tmpfsSizeBytes: 1024 * 1024, tmpfsMode: 0o1777 },
    { type: 'volume', source: 'shared', volume: { name: 'shared', driver: '', driverOptions: {}, external: true }, target: '/shared', readOnly: true },
  ]);
});

t.test('volumes: what stack deploy would refuse in a cluster is refused with the path', async (t) => {
  const cases: [string, string][] = [
    ['      - ./data:/data\n', 'services.web.volumes.0: bind mount source "./data" must be an absolute path on the node'],
    ['      - undefined:/data\n', 'services.web.volumes.0: volume "undefined" is not defined under the top-level volumes'],
    ['      - data:relative\n', 'services.web.volumes.0: the target "relative" must be an absolute path in the container'],
    ['      - data:/a:rx\n', 'services.web.volumes.0: unknown mode "rx"'],
    ['      - { type: npipe, source: x, target: /x }\n', 'services.web.volumes.0.type: npipe mounts are for Windows hosts'],
    ['      - data:/a\n      - /b:/a\n', 'services.web.volumes.1: /a is already mounted by volumes.0'],
  ];
  for (const [items, want] of cases) {
    const r = parseCompose(`name: s\nservices:\n  web:\n    image: busybox\n    volumes:\n${items}volumes:\n  data: {}\n`, { file: 'c.yaml' });
    t.notOk(r.ok, items.trim());
    if (!r.ok) t.match(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), want, items.trim());
  }
  const ext = parseCompose('name: s\nservices:\n  web:\n    image: busybox\nvolumes:\n  data: { external: true, driver: local }\n', { file: 'c.yaml' });
  if (!ext.ok) t.match(ext.errors[0]!.message, 'an external volume already exists on the node');
  else t.fail('external with a driver accepted');
});
