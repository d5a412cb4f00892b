// The Docker executor against the real engine: what it creates (checked with `docker inspect`),
// idempotency under concurrency, stop with a grace period, and its error values.
import t from 'tap';
import { DockerExecutor } from '../../agent/executor/docker/docker-executor.js';
import { containerName } from '../../agent/executor/labels.js';
import { requireDocker } from '../fixtures/docker-env.js';
import {
  containersWithLabel,
  dockerInspect,
  docker,
  freePort,
  removeStack,
  replicaSpec,
  uniqueAllocationId,
  uniqueStack,
} from '../fixtures/executor/replicas.js';

const executor = new DockerExecutor();

t.test('creates a container with limits, ports, env, labels, command and healthcheck', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('create');
  t.teardown(() => removeStack(stack));
  const port = await freePort();
  const spec = replicaSpec(stack, {
    service: 'web',
    replica: 2,
    command: ['httpd', '-f', '-p', '80'],
    environment: { GREETING: 'hello world', EMPTY: '' },
    ports: [
      { target: 80, published: port, protocol: 'tcp', hostIp: '127.0.0.1' },
      // No published port: Docker picks one.
      { target: 81, protocol: 'tcp' },
    ],
    labels: { team: 'edge', 'io.baton.allocation': 'spoofed' },
    cpuLimitMillis: 250,
    memoryLimitBytes: 64 * 1024 * 1024,
    healthcheck: { test: ['CMD-SHELL', 'true'], intervalMs: 1000, timeoutMs: 500, retries: 2, startPeriodMs: 0, disable: false },
    stopGraceMs: 3000,
  });

  const result = await executor.ensureRunning(spec);
  if (!result.ok) return t.fail(`ensureRunning failed: ${result.error}`);
  t.equal(result.created, true);
  t.equal(result.started, true);

  const c = await dockerInspect(result.containerId);
  t.equal(c.Name, `/${containerName(spec)}`);
  t.match(c.Name, new RegExp(`^/baton-${stack}-web-2-[0-9a-f]{8}-[0-9a-f]{3}$`));
  t.equal(c.State.Running, true);
  // 250 millicpu = 0.25 CPU = 250 * 1e6 ns of CPU per second
  t.equal(c.HostConfig.NanoCpus, 250_000_000);
  t.equal(c.HostConfig.Memory, 67_108_864);
  t.equal(c.HostConfig.RestartPolicy.Name, 'no', 'Baton restarts, not Docker');
  t.same(c.Config.Cmd, ['httpd', '-f', '-p', '80']);
  t.ok(c.Config.Env.includes('GREETING=hello world'));
  t.ok(c.Config.Env.includes('EMPTY='));
  t.match(c.Config.Labels, {
    team: 'edge',
    'io.baton.allocation': spec.allocationId,
    'io.baton.generation': '1',
    'io.baton.stack': stack,
    'io.baton.service': 'web',
    'io.baton.replica': '2',
    'io.baton.managed': 'true',
  });
  t.same(c.HostConfig.PortBindings['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(port) }]);
  t.same(c.HostConfig.PortBindings['81/tcp'], [{ HostIp: '', HostPort: '' }]);
  t.equal(c.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort, String(port));
  t.match(c.NetworkSettings.Ports['81/tcp']?.[0]?.HostPort, /^[1-9]\d*$/, 'Docker picked a host port');
  // ms -> ns: 1000 ms = 1e9 ns
  t.match(c.Config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Timeout: 5e8, Retries: 2 });
  t.equal(c.Config.StopTimeout, 3);

  // The executor's own views agree with Docker's.
  const listed = (await executor.list()).find((r) => r.allocationId === spec.allocationId);
  t.match(listed, { containerId: result.containerId, generation: 1, stack, service: 'web', replica: 2, running: true, dockerState: 'running' });
  const inspected = await executor.inspect(spec.allocationId);
  t.match(inspected, { containerId: result.containerId, running: true, image: spec.image });
  t.equal(await executor.inspect(uniqueAllocationId()), undefined, 'unknown allocation: undefined');
});

t.test('ensureRunning is idempotent: sequential, concurrent, and across two executors', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('idem');
  t.teardown(() => removeStack(stack));

  const spec = replicaSpec(stack);
  const first = await executor.ensureRunning(spec);
  const second = await executor.ensureRunning(spec);
  if (!first.ok || !second.ok) return t.fail('ensureRunning failed');
  t.equal(second.containerId, first.containerId);
  t.match(second, { created: false, started: false });

  // A stopped container is started again, not replaced.
  await executor.stop(spec.allocationId, 0);
  const third = await executor.ensureRunning(spec);
  t.match(third, { ok: true, containerId: first.containerId, created: false, started: true });

  const concurrent = replicaSpec(stack, { replica: 1 });
  const results = await Promise.all(Array.from({ length: 5 }, () => executor.ensureRunning(concurrent)));
  t.ok(results.every((r) => r.ok));
  t.equal(new Set(results.map((r) => (r.ok ? r.containerId : ''))).size, 1, 'one container id for all calls');
  t.equal(results.filter((r) => r.ok && r.created).length, 1, 'created exactly once');
  t.equal((await containersWithLabel(`io.baton.allocation=${concurrent.allocationId}`)).length, 1);

  // Two executors (as after an agent restart racing its predecessor) meet at the container name.
  const other = new DockerExecutor();
  const raced = replicaSpec(stack, { replica: 2 });
  const pair = await Promise.all([executor.ensureRunning(raced), other.ensureRunning(raced), executor.ensureRunning(raced)]);
  t.ok(pair.every((r) => r.ok), 'all calls succeed');
  t.equal(new Set(pair.map((r) => (r.ok ? r.containerId : ''))).size, 1);
  t.equal((await containersWithLabel(`io.baton.allocation=${raced.allocationId}`)).length, 1);
});

t.test('stop honours the grace period, then kills', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('stop');
  t.teardown(() => removeStack(stack));

  const stubborn = replicaSpec(stack, { command: ['sh', '-c', 'trap "" TERM; sleep 600'] });
  const polite = replicaSpec(stack, { replica: 1, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done'] });
  const started = await Promise.all([executor.ensureRunning(stubborn), executor.ensureRunning(polite)]);
  t.ok(started.every((r) => r.ok));

  const [s, p] = await Promise.all([timed(() => executor.stop(stubborn.allocationId, 1000)), timed(() => executor.stop(polite.allocationId, 5000))]);
  t.match(s.value, { ok: true, wasRunning: true, killed: true, exitCode: 137 });
  // TERM is ignored: the full 1 s grace passes, then SIGKILL; 3 s of margin for a busy host.
  t.ok(s.ms >= 900 && s.ms < 4000, `ignoring container stopped after ${s.ms} ms (grace 1000)`);
  t.match(p.value, { ok: true, wasRunning: true, killed: false, exitCode: 0 });
  t.ok(p.ms < 4000, `TERM-handling container stopped after ${p.ms} ms, well inside its 5 s grace`);
  t.equal((await dockerInspect(started[0]!.ok ? started[0]!.containerId : '')).State.Running, false);
  t.ok(executor.stopRequested(stubborn.allocationId));

  // Already stopped: Docker's 304 is success.
  t.match(await executor.stop(stubborn.allocationId, 1000), { ok: true, wasRunning: false, killed: false });
  t.match(await executor.remove(stubborn.allocationId), { ok: true, existed: true });
  t.match(await executor.remove(stubborn.allocationId), { ok: true, existed: false });
});

t.test('stop and remove of containers that do not exist succeed', async (t) => {
  if (!(await requireDocker(t))) return;
  const id = uniqueAllocationId();
  t.same(await executor.stop(id, 1000), { ok: true, wasRunning: false, killed: false });
  t.same(await executor.remove(id), { ok: true, existed: false });

  // Removed behind the executor's back between lookup and action: 404 is still success.
  const stack = uniqueStack('gone');
  t.teardown(() => removeStack(stack));
  const spec = replicaSpec(stack);
  const r = await executor.ensureRunning(spec);
  if (!r.ok) return t.fail(r.error);
  await docker(['rm', '-f', r.containerId]);
  t.match(await executor.stop(spec.allocationId, 0), { ok: true, wasRunning: false });
  t.match(await executor.remove(spec.allocationId), { ok: true, existed: false });
});

t.test('a missing image that cannot be pulled is a clear error value, with no container left', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('noimage');
  t.teardown(() => removeStack(stack));
  const image = `baton/absent-${stack}:nope`;
  const spec = replicaSpec(stack, { image });

  const { value, ms } = await timed(() => executor.ensureRunning(spec));
  t.equal(value.ok, false);
  if (value.ok) return;
  t.equal(value.reason, 'image-unavailable');
  t.ok(value.error.startsWith(`image "${image}" is not present on this host and could not be pulled: `), value.error);
  t.ok(value.error.length > `image "${image}" is not present on this host and could not be pulled: `.length, 'with the reason');
  t.ok(ms < 15_000, `answered in ${ms} ms (one pull, no loop)`);
  t.same(await containersWithLabel(`io.baton.allocation=${spec.allocationId}`), []);

  // Concurrent calls for it share one pull and all get the value.
  const many = await Promise.all([executor.ensureRunning(replicaSpec(stack, { image })), executor.ensureRunning(replicaSpec(stack, { image }))]);
  t.ok(many.every((r) => !r.ok && r.reason === 'image-unavailable'));
  t.same(await containersWithLabel(`io.baton.stack=${stack}`), []);
});

t.test('a start Docker refuses (host port taken) is a value; the container is kept for stop/remove', async (t) => {
  if (!(await requireDocker(t))) return;
  const stack = uniqueStack('port');
  t.teardown(() => removeStack(stack));
  const port = await freePort();
  const a = replicaSpec(stack, { ports: [{ target: 80, published: port, protocol: 'tcp' }] });
  const b = replicaSpec(stack, { replica: 1, ports: [{ target: 80, published: port, protocol: 'tcp' }] });
  t.match(await executor.ensureRunning(a), { ok: true });
  const refused = await executor.ensureRunning(b);
  t.match(refused, { ok: false, reason: 'start-rejected', error: /cannot start container .*: .*/ });
  t.ok(!refused.ok && refused.containerId, 'the created container is reported');
  t.match(await executor.remove(b.allocationId), { ok: true, existed: true });
});

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - start };
}
