// bench:rollout: 9 replicas of a web image over three testbed hosts, health-checked every second,
// updated v1 -> v2 with Baton's default update_config (parallelism 1, start-first, rollback on
// failure); then a broken version (exits at once) that must roll back by itself. Healthy replicas
// are sampled from each host's own Docker throughout.
// Prints {desired, parallelism, rolloutMs, minHealthyDuringRollout, rollbackMs, minHealthyDuringRollback}.
// Usage: npm run bench:rollout -- [--replicas 9]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { sampleReplicas, startSampler } from '../fixtures/replica-sampler.js';
import { argNumber, startCluster } from '../fixtures/testbed-cluster.js';
import { WEB_V1, WEB_V2, webStack } from '../fixtures/web-stack.js';

const desired = argNumber('replicas', 9);
const parallelism = 1; // Baton's default: the file sets no update_config.
const V1 = WEB_V1;
const V2 = WEB_V2;
const stack = (image: string, extra = '') => webStack({ stack: 'bench', image, replicas: desired, extra, cpus: '0.05' });

const c = await startCluster(3, { images: [TEST_IMAGE, V1, V2] });
const file = join(c.dir, 'bench.yaml');
const web = async () => (await sampleReplicas(c.tb.hosts, 'bench')).filter((r) => r.service === 'web');
const allHealthyOn = (image: string) => async () => {
  const rs = await web();
  return rs.length === desired && rs.every((x) => x.image === image && x.health === 'healthy');
};
try {
  await writeFile(file, stack(V1));
  const first = await runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
  if (first.code !== 0) throw new Error(`first deploy failed: ${first.stdout}${first.stderr}`);
  await waitFor(`${desired} healthy on v1`, allHealthyOn(V1), 60_000);

  await writeFile(file, stack(V2));
  let sampler = startSampler(c.tb.hosts, 'bench', 'web', 150);
  let t0 = Date.now();
  const update = await runBaton(['deploy', '-f', file, '--detach'], c.env);
  if (update.code !== 0) throw new Error(`update failed: ${update.stderr}`);
  await waitFor(`${desired} healthy on v2`, allHealthyOn(V2), 180_000, 100);
  const rolloutMs = Date.now() - t0;
  const rollout = await sampler.stop();
  if (process.argv.includes('--trace')) await trace(t0);

  // Broken: the new containers exit at once. The old replicas must keep serving, and the rollback
  // ends when the rollout says so and every replica runs the old spec healthy.
  await writeFile(file, stack(V2, '    command: ["sh", "-c", "echo broken; exit 3"]\n'));
  sampler = startSampler(c.tb.hosts, 'bench', 'web', 150);
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

  console.log(
    JSON.stringify({
      desired,
      parallelism,
      rolloutMs,
      minHealthyDuringRollout: rollout.minHealthy,
      rollbackMs,
      minHealthyDuringRollback: rollback.minHealthy,
      targets: { minHealthy: desired - parallelism, rolloutMs: 30_000, rollbackMs: 15_000 },
    }),
  );
} finally {
  await c.stop();
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
