// bench:rollout: 9 replicas of a web image (node-web, keep-alive) over three testbed hosts,
// health-checked every second, updated v1 -> v2 with Baton's default update_config (parallelism 1,
// start-first, rollback on failure); then a broken version (exits at once) that must roll back by
// itself. Serving replicas are sampled from each host throughout (each container asked on the port
// Docker published for it: not Baton's view), and a traffic client sends requests through every
// node's ingress (published 8080; keep-alive and new connections, no retries) during both.
// Prints {desired, parallelism, rolloutMs, minHealthyDuringRollout, failedRequests, rollbackMs,
// minHealthyDuringRollback, failedRequestsDuringRollback, ...}; failedRequests is null, with
// ingressError, when no node answers on the published port (no ingress in this build).
// --no-traffic: no published port (the container's 8080 only on Docker's ephemeral host port), no
// traffic: the rollout figures alone, on a build without the ingress.
// Usage: npm run bench:rollout -- [--replicas 9] [--no-traffic]
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { sampleReplicas, startSampler, type HealthProbe } from '../fixtures/replica-sampler.js';
import { argNumber, startCluster } from '../fixtures/testbed-cluster.js';
import { startTraffic, type TrafficRun, type TrafficSummary } from '../fixtures/traffic-client.js';
import { NODE_WEB_BROKEN, NODE_WEB_V1, NODE_WEB_V2, nodeWebStack } from '../fixtures/web-stack.js';

const desired = argNumber('replicas', 9);
const parallelism = 1; // Baton's default: the file sets no update_config.
const V1 = NODE_WEB_V1;
const V2 = NODE_WEB_V2;
const PUBLISHED = 8080;
const PROBE: HealthProbe = { target: 8080, path: '/health' };
const withTraffic = !process.argv.includes('--no-traffic');
const stack = (image: string, extra = '') => nodeWebStack({ stack: 'bench', image, replicas: desired, extra, published: withTraffic ? PUBLISHED : 'none' });

const c = await startCluster(3, { images: [TEST_IMAGE, V1, V2] });
const file = join(c.dir, 'bench.yaml');
const web = async () => (await sampleReplicas(c.tb.hosts, 'bench', PROBE)).filter((r) => r.service === 'web');
const through = c.tb.hosts.map((h) => `http://${h.ip}:${PUBLISHED}`);
/** Traffic through every node's ingress, or undefined (with the reason kept) when there is none. */
let ingressError: string | undefined = withTraffic ? undefined : 'not measured (--no-traffic)';
const traffic = (): TrafficRun | undefined =>
  ingressError === undefined ? startTraffic({ targets: through, keepAliveWorkers: 3, newConnectionWorkers: 3, maxDurationMs: 300_000, timeoutMs: 2000, pauseMs: 5 }) : undefined;
const failures = (s: TrafficSummary | undefined) => (s ? { failed: s.failed, requests: s.requests, byReason: s.byReason } : undefined);
const allHealthyOn = (image: string) => async () => {
  const rs = await web();
  return rs.length === desired && rs.every((x) => x.image === image && x.health === 'healthy');
};
try {
  await writeFile(file, stack(V1));
  const first = await runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
  if (first.code !== 0) {
    const out = first.stdout + first.stderr;
    const hint = withTraffic && /host port \d+ in use/.test(out) ? `\n(${desired} replicas publishing ${PUBLISHED} do not fit one per host: this build has no ingress (issue 9); --no-traffic measures the rollout alone)` : '';
    throw new Error(`first deploy failed: ${out}${hint}`);
  }
  await waitFor(`${desired} healthy on v1`, allHealthyOn(V1), 60_000);
  // One heartbeat for every node to have the endpoints, then each node must answer on the port.
  await new Promise((r) => setTimeout(r, 1500));
  const probes = withTraffic ? await Promise.all(through.map(answer)) : [];
  const refused = probes.map((p, i) => (p === true ? undefined : `${through[i]}: ${p}`)).filter(Boolean);
  if (refused.length) ingressError = `no ingress on port ${PUBLISHED} (${refused.join('; ')}): the ingress (issue 9) is not active in this build, failedRequests not measured`;

  await writeFile(file, stack(V2));
  let sampler = startSampler(c.tb.hosts, 'bench', 'web', 150, PROBE);
  let load = traffic();
  let t0 = Date.now();
  const update = await runBaton(['deploy', '-f', file, '--detach'], c.env);
  if (update.code !== 0) throw new Error(`update failed: ${update.stderr}`);
  await waitFor(`${desired} healthy on v2`, allHealthyOn(V2), 180_000, 100);
  const rolloutMs = Date.now() - t0;
  const rollout = await sampler.stop();
  const rolloutTraffic = await load?.stop();
  if (process.argv.includes('--trace')) await trace(t0);

  // Broken: the new containers exit at once. The old replicas must keep serving, and the rollback
  // ends when the rollout says so and every replica runs the old spec healthy.
  await writeFile(file, stack(V2, NODE_WEB_BROKEN));
  sampler = startSampler(c.tb.hosts, 'bench', 'web', 150, PROBE);
  load = traffic();
  t0 = Date.now();
  const broken = await runBaton(['deploy', '-f', file, '--detach'], c.env);
  if (broken.code !== 0) throw new Error(`broken deploy failed: ${broken.stderr}`);
  await waitFor('rolled back', async () => {
    const s = await runBaton(['rollout', 'status', 'web', '--json'], c.env);
    if (s.code !== 0) return false;
    const st = JSON.parse(s.stdout) as { state: string };
    return st.state === 'rolled-back' && (await allHealthyOn(V2)());
  }, 120_000, 100);
  const rollbackMs = Date.now() - t0;
  const rollback = await sampler.stop();
  const rollbackTraffic = await load?.stop();

  console.log(
    JSON.stringify({
      desired,
      parallelism,
      rolloutMs,
      minHealthyDuringRollout: rollout.minHealthy,
      failedRequests: rolloutTraffic ? rolloutTraffic.failed : null,
      rollbackMs,
      minHealthyDuringRollback: rollback.minHealthy,
      failedRequestsDuringRollback: rollbackTraffic ? rollbackTraffic.failed : null,
      traffic: { rollout: failures(rolloutTraffic), rollback: failures(rollbackTraffic), through },
      ...(ingressError ? { ingressError } : {}),
      targets: { minHealthy: desired - parallelism, rolloutMs: 30_000, rollbackMs: 15_000, failedRequests: 0 },
    }),
  );
} finally {
  await c.stop();
}

/** One GET / on a new connection: true, or why not. */
function answer(base: string): Promise<true | string> {
  return new Promise((resolve) => {
    const req = get(`${base}/`, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? true : `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** --trace: each new container's created / started / first healthy check, ms after the deploy (stderr). */
async function trace(t0: number): Promise<void> {
  const rows: string[] = [];
  for (const x of await web()) {
    const h = c.tb.hosts.find((y) => y.name === x.host)!;
    const i = JSON.parse((await h.docker(['inspect', x.id])).stdout)[0];
    const firstPass = (i.State.Health?.Log as { ExitCode: number; Start: string; End: string }[] | undefined)?.find((l) => l.ExitCode === 0);
    const rel = (iso: string | undefined) => (iso ? Date.parse(iso) - t0 : NaN);
    rows.push(`${String(rel(i.Created)).padStart(6)} created  ${String(rel(i.State.StartedAt)).padStart(6)} started  ${String(rel(firstPass?.End)).padStart(6)} healthy  ${x.host} slot ${x.replica}`);
  }
  process.stderr.write(rows.sort((a, b) => parseInt(a) - parseInt(b)).join('\n') + '\n');
  // With BATON_BENCH_LOG_LEVEL=info: when the coordinator placed each new replica.
  for (const line of c.coordinatorLog().split('\n')) {
    if (!line.includes('"placed"')) continue;
    const l = JSON.parse(line) as { time: number; replica: number; node: string };
    if (l.time >= t0) process.stderr.write(`${String(l.time - t0).padStart(6)} placed   slot ${l.replica} on ${l.node}\n`);
  }
}
