// Health checks end to end on the agent: the real agent process (built) and a real engine, commands
// from a scripted coordinator, health read from what the agent sends (events and reports) and from
// `docker inspect` as the independent witness. Docker's CMD check on busybox httpd turns healthy,
// unhealthy when the served file is removed (restarted in place), healthy again; Baton's own http
// and tcp checks on an image without a shell turn healthy, and a check of a closed port unhealthy.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Healthcheck } from '../../shared/grpc/gen/baton/v1/Healthcheck.js';
import type { RestartPolicy } from '../../shared/grpc/gen/baton/v1/RestartPolicy.js';
import { NOSHELL_IMAGE, TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { startBaton, waitFor } from '../fixtures/processes.js';
import { ScriptedCoordinator } from '../fixtures/scripted-coordinator.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const run = `hc${process.pid}`;
const containerOf = (allocationId: string) => docker('ps', '-aq', '--no-trunc', '--filter', `label=io.baton.allocation=${allocationId}`);
const inspect = (id: string) =>
  JSON.parse(docker('inspect', id))[0] as { State: { Status: string; StartedAt: string; Health?: { Status: string } }; Config: { Healthcheck?: { Test?: string[] } } };

t.test('health checks on a real engine', { skip }, async (t) => {
  try {
    docker('image', 'inspect', NOSHELL_IMAGE);
  } catch {
    t.fail(`image ${NOSHELL_IMAGE} missing (run scripts/ci-setup.sh)`);
    return;
  }
  const coord = await ScriptedCoordinator.start();
  t.teardown(() => coord.stop());
  const agent = startBaton(['agent', '--insecure', '--coordinator', `127.0.0.1:${coord.port}`, '--name', run, '--data-dir', join(await mkdtemp(join(tmpdir(), 'baton-hc-')), 'a')], { BATON_LOG_LEVEL: 'warn' });
  t.teardown(async () => {
    await agent.kill('SIGKILL');
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${run}`);
    if (left) docker('rm', '-f', ...left.split('\n'));
  });
  await waitFor('agent connected', () => coord.connected, 20_000);

  let seq = 0;
  const start = (allocationId: string, image: string, healthcheck: Healthcheck, restart: RestartPolicy, command?: string[]) =>
    coord.send({
      command: {
        command_id: `cmd-${++seq}`,
        start: {
          allocation_id: allocationId,
          generation: 1,
          stack: run,
          service: allocationId,
          replica: 0,
          image,
          ...(command ? { command: { args: command } } : {}),
          restart_policy: restart,
          healthcheck,
          stop_grace_ms: 1000,
        },
      },
    });
  const trail = (id: string) => coord.events(id).map((e) => `${e.state}/${e.restarts}/${e.health}`);
  /** The latest report's view of the allocation's container. */
  const reported = (id: string) => coord.describedContainer(id);
  const timings = { interval_ms: 1000, timeout_ms: 1000, retries: 2, start_period_ms: 0 };

  await t.test('CMD check: healthy as Docker says; the served file removed: unhealthy, restarted, healthy again', async (t) => {
    const id = `${run}-cmd`;
    // The start writes the file the check fetches, so a restart in place brings it back.
    start(id, TEST_IMAGE, { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health.html'], ...timings, start_interval_ms: 500 }, { condition: 'any', delay_ms: 200 }, [
      'sh',
      '-c',
      'echo ok > /www/health.html && exec httpd -f -p 8080 -h /www',
    ]);
    await waitFor('healthy event', () => coord.events(id).some((e) => e.health === 'healthy'), 20_000);
    const container = containerOf(id);
    t.equal(inspect(container).State.Health?.Status, 'healthy', 'docker inspect agrees');
    t.same(trail(id).slice(0, 3), ['starting/0/none', 'running/0/starting', 'running/0/healthy']);
    await waitFor('a report carrying the health', () => reported(id)?.health === 'healthy', 5_000);
    const startedBefore = inspect(container).State.StartedAt;

    docker('exec', container, 'rm', '/www/health.html');
    await waitFor('unhealthy event', () => coord.events(id).some((e) => e.health === 'unhealthy'), 20_000);
    const unhealthy = coord.events(id).find((e) => e.health === 'unhealthy')!;
    t.equal(unhealthy.state, 'running', 'reported unhealthy while it still runs');
    t.match(unhealthy.health_output, /404|wget/, `the check's output travels with it: ${JSON.stringify(unhealthy.health_output)}`);
    await waitFor('healthy again after a restart', () => coord.events(id).some((e) => e.restarts === 1 && e.health === 'healthy'), 30_000);
    t.same(trail(id).slice(3), ['running/0/unhealthy', 'exited/0/unhealthy', 'starting/1/none', 'running/1/starting', 'running/1/healthy']);
    t.match(coord.events(id).find((e) => e.state === 'exited')?.error, /^unhealthy: /);
    // Unlike a crash, an unhealthy replica restarts from a fresh container (Swarm: a new task;
    // Kubernetes: a new container), so what broke in its writable layer is gone.
    const fresh = containerOf(id);
    t.not(fresh, container, 'restarted from a fresh container');
    t.equal(execFileSync('docker', ['ps', '-aq', '--filter', `id=${container}`], { encoding: 'utf8' }).trim(), '', 'the unhealthy container is gone');
    const after = inspect(fresh);
    t.not(after.State.StartedAt, startedBefore, 'started again');
    t.equal(after.State.Health?.Status, 'healthy', 'docker inspect: healthy again');
    const [major = 0, minor = 0] = docker('version', '--format', '{{.Server.APIVersion}}').split('.').map(Number);
    if (major > 1 || minor >= 44) t.equal((inspect(fresh).Config.Healthcheck as { StartInterval?: number }).StartInterval, 5e8, 'start_interval passed to Docker');
    else t.match(agent.output(), /start_interval needs Docker API 1\.44 or later; this engine speaks 1\.\d+/, 'an engine before API 1.44: the agent warns that start_interval is not honoured');
  });

  await t.test("Baton's http and tcp checks on an image without a shell become healthy", async (t) => {
    const http = `${run}-http`;
    const tcp = `${run}-tcp`;
    start(http, NOSHELL_IMAGE, { ...timings, http: { port: 8080, path: '/index.html', status_min: 200, status_max: 399, host: 'web.example' } }, { condition: 'any', delay_ms: 200 });
    start(tcp, NOSHELL_IMAGE, { ...timings, tcp: { port: 8080 } }, { condition: 'any', delay_ms: 200 });
    await waitFor('both healthy', () => [http, tcp].every((id) => coord.events(id).some((e) => e.health === 'healthy')), 20_000);
    for (const id of [http, tcp]) {
      t.same(trail(id).slice(0, 3), ['starting/0/none', 'running/0/starting', 'running/0/healthy'], `${id}: starting, then healthy`);
      t.same(inspect(containerOf(id)).Config.Healthcheck?.Test, ['NONE'], `${id}: Docker's own check is off`);
    }
    t.throws(() => execFileSync('docker', ['exec', containerOf(http), '/bin/sh', '-c', 'true'], { stdio: 'ignore' }), 'the image has no shell');
    t.match(coord.events(http).find((e) => e.health === 'healthy')?.health_output, /^GET http:\/\/[\d.]+:8080\/index\.html: 200 OK$/);
    t.match(coord.events(tcp).find((e) => e.health === 'healthy')?.health_output, /^connected to [\d.]+:8080$/);
    await waitFor('reports carry the output of the last check', () => /200 OK/.test(reported(http)?.health_output ?? ''), 5_000);
    await waitFor('docker ps cannot show it; the report does', () => reported(tcp)?.health === 'healthy', 5_000);
  });

  await t.test('a check of a closed port turns unhealthy; with condition none it is stopped and failed', async (t) => {
    const http = `${run}-badhttp`;
    const tcp = `${run}-badtcp`;
    start(http, NOSHELL_IMAGE, { ...timings, http: { port: 9999, path: '/', status_min: 200, status_max: 399 } }, { condition: 'none' });
    start(tcp, NOSHELL_IMAGE, { ...timings, tcp: { port: 9999 } }, { condition: 'none' });
    await waitFor('both failed', () => [http, tcp].every((id) => coord.events(id).some((e) => e.state === 'failed')), 20_000);
    for (const id of [http, tcp]) {
      // retries 2 at interval 1 s: unhealthy after the second failed check.
      t.same(trail(id), ['starting/0/none', 'running/0/starting', 'running/0/unhealthy', 'failed/0/unhealthy'], `${id}: never healthy`);
      t.match(coord.events(id).at(-1)?.error, /^unhealthy: .*9999.*ECONNREFUSED.*; restart policy condition is none$/);
      await waitFor(`${id} stopped`, () => inspect(containerOf(id)).State.Status === 'exited', 10_000);
    }
  });
});
