// Issue 8 on the multi-host testbed: health checks as each host's Docker reports them, depends_on
// across hosts, health-gated rolling updates (v1 -> v2 of a web image), automatic rollback of a
// failing version, and a coordinator kill -9 in the middle of a rollout. Every assertion about
// containers asks each host's own engine.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NOSHELL_IMAGE, TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, sleep, waitFor } from '../fixtures/processes.js';
import { sampleReplicas, startSampler } from '../fixtures/replica-sampler.js';
import { startCluster } from '../fixtures/testbed-cluster.js';
import { WEB_V1, WEB_V2, webStack as webStackOf } from '../fixtures/web-stack.js';

const skip = await testbedSkip(t);
const V1 = WEB_V1;
const V2 = WEB_V2;
const webStack = (image: string, extra = '', healthTest?: string) =>
  webStackOf({ stack: 'roll', image, replicas: 3, extra, restartPolicy: '{ condition: any, delay: 500ms }', ...(healthTest ? { healthTest } : {}) });

t.test('health, dependencies and rollouts on three namespace hosts', { skip }, async (t) => {
  const c = await startCluster(3, { images: [TEST_IMAGE, V1, V2, NOSHELL_IMAGE] });
  t.teardown(() => c.stop());
  const env = c.env;
  const file = join(c.dir, 'roll.yaml');
  const web = async () => (await sampleReplicas(c.tb.hosts, 'roll')).filter((r) => r.service === 'web');

  await t.test('deploy v1: healthy in baton ps as Docker on each host reports it', async (t) => {
    await writeFile(file, webStack(V1));
    const r = await runBaton(['deploy', '-f', file, '--timeout', '90'], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const real = await waitFor('3 healthy v1 replicas', async () => {
      const rs = await web();
      return rs.length === 3 && rs.every((x) => x.health === 'healthy' && x.image === V1) && rs;
    }, 30_000);
    t.equal(new Set(real.map((x) => x.host)).size, 3, 'spread: one replica on each host');
    const ps = JSON.parse((await runBaton(['ps', 'web', '--json'], env)).stdout) as { containerId: string; health: string; state: string }[];
    for (const x of real) {
      const row = ps.find((p) => x.id.startsWith(p.containerId));
      t.equal(row?.health, 'healthy', `${x.allocation} on ${x.host}: baton ps says healthy, as Docker does`);
    }
    const services = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; healthy: number }[];
    t.equal(services.find((s) => s.name === 'web')?.healthy, 3, 'baton services counts 3 healthy');
  });

  await t.test('a broken check: unhealthy, restarted by its agent, healthy again', async (t) => {
    const victim = (await web())[0]!;
    const host = c.tb.hosts.find((h) => h.name === victim.host)!;
    const startedBefore = Date.parse(JSON.parse((await host.docker(['inspect', victim.id])).stdout)[0].State.StartedAt as string);
    await host.docker(['exec', victim.id, 'rm', '/www/version']);
    await waitFor('the replica reported unhealthy', async () => {
      const ps = JSON.parse((await runBaton(['ps', 'web', '--json'], env)).stdout) as { allocationId: string; health: string; restarts: number }[];
      const row = ps.find((p) => p.allocationId === victim.allocation);
      return row && (row.health === 'unhealthy' || row.restarts > 0);
    }, 20_000);
    // A restart brings back the image's file: the same allocation runs healthy again on the same host,
    // in a container started after the check broke.
    const after = await waitFor('healthy again', async () => (await sampleReplicas([host], 'roll')).find((x) => x.allocation === victim.allocation && x.health === 'healthy'), 30_000);
    const inspect = JSON.parse((await host.docker(['inspect', after.id])).stdout)[0];
    t.ok(Date.parse(inspect.State.StartedAt as string) > startedBefore, `restarted: ${victim.id} started ${new Date(startedBefore).toISOString()}, now ${after.id} started ${inspect.State.StartedAt}`);
    const ps = JSON.parse((await runBaton(['ps', 'web', '--json'], env)).stdout) as { allocationId: string; restarts: number }[];
    t.ok((ps.find((p) => p.allocationId === victim.allocation)?.restarts ?? 0) >= 1, 'baton ps counts the restart');
    t.equal(after.host, victim.host, 'on its own host');
  });

  await t.test("Baton's own http and tcp checks on an image with no shell, run by each host's agent", async (t) => {
    const probeFile = join(c.dir, 'probe.yaml');
    const probeStack = (httpPort: number) => `name: probe
services:
  http:
    image: ${NOSHELL_IMAGE}
    x-baton:
      placement: spread
      healthcheck: { http: { port: ${httpPort}, path: /index.html }, interval: 1s, timeout: 1s, retries: 2 }
    deploy:
      replicas: 2
      restart_policy: { condition: none }
  tcp:
    image: ${NOSHELL_IMAGE}
    x-baton:
      healthcheck: { tcp: { port: 8080 }, interval: 1s, timeout: 1s, retries: 2 }
`;
    await writeFile(probeFile, probeStack(8080));
    const r = await runBaton(['deploy', '-f', probeFile, '--timeout', '60'], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const healthy = await waitFor('http and tcp replicas healthy in baton ps', async () => {
      const ps = JSON.parse((await runBaton(['ps', '--json'], env)).stdout) as { stack: string; service: string; health: string; node: string; containerId: string }[];
      const mine = ps.filter((p) => p.stack === 'probe');
      return mine.length === 3 && mine.every((p) => p.health === 'healthy') && mine;
    }, 30_000);
    const real = await sampleReplicas(c.tb.hosts, 'probe');
    for (const p of healthy) t.ok(real.some((x) => x.host === p.node && x.id.startsWith(p.containerId)), `${p.service} runs on ${p.node} as Docker there says`);
    // The image has no shell: Docker itself has no check for it (its health is Baton's alone).
    t.ok(real.every((x) => x.health === 'none'), 'Docker runs no check of its own in these containers');
    // A port nothing listens on: the new http replica's check fails, so the update rolls back.
    await writeFile(probeFile, probeStack(8081));
    await runBaton(['deploy', '-f', probeFile, '--detach'], env);
    const status = await waitFor('the closed-port update rolled back', async () => {
      const r = await runBaton(['rollout', 'status', 'probe/http', '--json'], env);
      const st = r.code === 0 ? (JSON.parse(r.stdout) as { state: string; reason: string }) : undefined;
      return st?.state === 'rolled-back' && st;
    }, 30_000);
    t.match(status.reason, /unhealthy/, `the new replica's check failed: ${status.reason}`);
    await runBaton(['rm', '--stack', 'probe'], env);
  });

  await t.test('rolling update v1 -> v2: never fewer than replicas - parallelism healthy; ends all on v2', async (t) => {
    await writeFile(file, webStack(V2));
    const sampler = startSampler(c.tb.hosts, 'roll', 'web', 150);
    const r = await runBaton(['deploy', '-f', file, '--timeout', '120'], env);
    await sleep(1000);
    const { minHealthy, samples } = await sampler.stop();
    t.equal(r.code, 0, r.stdout + r.stderr);
    t.match(r.stdout, /rolled out generation/);
    t.ok(samples > 20, `${samples} samples taken`);
    t.ok(minHealthy >= 2, `at least 3 - 1 = 2 healthy at every sample (lowest: ${minHealthy})`);
    const end = await waitFor('only v2 left', async () => {
      const rs = await web();
      return rs.length === 3 && rs.every((x) => x.image === V2 && x.health === 'healthy') && rs;
    }, 30_000);
    t.equal(new Set(end.map((x) => x.replica)).size, 3, 'slots 1..3, each once');
    const status = JSON.parse((await runBaton(['rollout', 'status', 'web', '--json'], env)).stdout) as { state: string; updated: number; total: number };
    t.same([status.state, status.updated, status.total], ['completed', 3, 3]);
  });

  await t.test('a version that exits at once rolls back by itself; the old version keeps serving', async (t) => {
    await writeFile(file, webStack(V2, '    command: ["sh", "-c", "echo broken; exit 3"]\n'));
    const sampler = startSampler(c.tb.hosts, 'roll', 'web', 150);
    const r = await runBaton(['deploy', '-f', file, '--timeout', '120'], env);
    const { minHealthy } = await sampler.stop();
    t.not(r.code, 0, 'deploy exits non-zero');
    t.match(r.stdout + r.stderr, /rolled back to generation/, r.stdout + r.stderr);
    t.ok(minHealthy >= 2, `the old replicas kept serving (lowest healthy: ${minHealthy})`);
    await waitFor('3 healthy replicas of the previous spec', async () => {
      const rs = await web();
      return rs.length === 3 && rs.every((x) => x.image === V2 && x.health === 'healthy');
    }, 30_000);
    const history = JSON.parse((await runBaton(['history', 'web', '--json'], env)).stdout) as { history: { outcome: string }[] };
    t.ok(history.history.some((h) => /rolled-back|rolled back/.test(h.outcome)), `history says how it ended: ${history.history.map((h) => h.outcome).join(', ')}`);
    const services = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; image: string }[];
    t.equal(services.find((s) => s.name === 'web')?.image, V2, 'baton services shows the previous spec');
  });

  for (const [what, text] of [
    ['an image that does not exist', webStack('baton/web:missing')],
    ['a health check that never passes', webStack(V2, '', '["CMD", "false"]')],
  ] as const) {
    await t.test(`${what}: rolled back by itself, the old replicas keep serving`, async (t) => {
      await writeFile(file, text);
      const sampler = startSampler(c.tb.hosts, 'roll', 'web', 150);
      const r = await runBaton(['deploy', '-f', file, '--timeout', '120'], env);
      const { minHealthy } = await sampler.stop();
      t.not(r.code, 0, 'deploy exits non-zero');
      t.match(r.stdout + r.stderr, /rolled back to generation/, r.stdout + r.stderr);
      t.ok(minHealthy >= 2, `never fewer than 2 healthy (lowest: ${minHealthy})`);
      await waitFor('3 healthy replicas of the previous spec', async () => {
        const rs = await web();
        return rs.length === 3 && rs.every((x) => x.image === V2 && x.health === 'healthy');
      }, 30_000);
      const services = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; image: string }[];
      t.equal(services.find((s) => s.name === 'web')?.image, V2, 'baton services shows the previous spec');
    });
  }

  await t.test('coordinator kill -9 mid-rollout: resumes, ends with exactly the desired replicas of the new version', async (t) => {
    await writeFile(file, webStack(V1));
    const r = await runBaton(['deploy', '-f', file, '--detach'], env);
    t.equal(r.code, 0, r.stderr);
    await waitFor('one replica on v1 healthy', async () => (await web()).some((x) => x.image === V1 && x.health === 'healthy'), 30_000);
    await c.restartCoordinator();
    const end = await waitFor('all on v1', async () => {
      const rs = await web();
      return rs.length === 3 && rs.every((x) => x.image === V1 && x.health === 'healthy') && rs;
    }, 60_000, 250);
    await sleep(3000);
    const settled = await web();
    t.equal(settled.length, 3, 'exactly three containers, no duplicates');
    t.same(settled.map((x) => x.id).sort(), end.map((x) => x.id).sort(), 'and they stay (no needless restarts)');
  });

  await t.test('depends_on service_healthy across hosts: api is not created until db is healthy on its host', async (t) => {
    const [h1, h2] = [c.tb.host(1), c.tb.host(2)];
    const depFile = join(c.dir, 'dep.yaml');
    await writeFile(depFile, `name: dep
services:
  api:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    depends_on:
      db: { condition: service_healthy }
    deploy:
      placement: { constraints: ["node.hostname == ${h2.name}"] }
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 4; touch /tmp/ready; while true; do sleep 1; done"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      retries: 30
    deploy:
      placement: { constraints: ["node.hostname == ${h1.name}"] }
`);
    const r = await runBaton(['deploy', '-f', depFile, '--timeout', '90'], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const db = (await sampleReplicas([h1], 'dep')).find((x) => x.service === 'db')!;
    const api = (await sampleReplicas([h2], 'dep')).find((x) => x.service === 'api')!;
    t.ok(db && api, 'db on host 1, api on host 2');
    const dbInspect = JSON.parse((await h1.docker(['inspect', db.id])).stdout)[0];
    const apiInspect = JSON.parse((await h2.docker(['inspect', api.id])).stdout)[0];
    const firstPass = (dbInspect.State.Health.Log as { ExitCode: number; End: string }[]).find((l) => l.ExitCode === 0);
    // Docker keeps the last 5 checks: with 1 s checks the first pass may have rotated out, so fall back to when db started + 4 s.
    const dbHealthyAt = firstPass ? Date.parse(firstPass.End) : Date.parse(dbInspect.State.StartedAt) + 4000;
    t.ok(Date.parse(apiInspect.Created) >= dbHealthyAt, `api created ${apiInspect.Created}, db healthy at ${new Date(dbHealthyAt).toISOString()}`);

    const cycle = join(c.dir, 'cycle.yaml');
    await writeFile(cycle, `name: cyc
services:
  a: { image: ${TEST_IMAGE}, depends_on: [b] }
  b: { image: ${TEST_IMAGE}, depends_on: [a] }
`);
    const bad = await runBaton(['deploy', '-f', cycle], env);
    t.equal(bad.code, 2, 'a cycle is bad input');
    t.match(bad.stderr, /dependency cycle: a -> b -> a/);
  });
});
