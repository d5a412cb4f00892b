// bench:deploy: 30 replicas of a local image over three testbed hosts; the time from `baton
// deploy` to each container running (Docker's own StartedAt), over several rounds.
// Prints {replicas, rounds, p50Ms, p99Ms, maxMs, engineOnlyP50Ms, engineOnlyP99Ms}. Usage: npm run bench:deploy -- [--replicas 30] [--rounds 3]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { argNumber, percentile, startCluster } from '../fixtures/testbed-cluster.js';

const replicas = argNumber('replicas', 30);
const rounds = argNumber('rounds', 3);
const cluster = await startCluster(3);
const latencies: number[] = [];
const baseline: number[] = [];
try {
  // The engines' own floor: the same number of containers started with plain `docker run`,
  // concurrently, spread evenly over the hosts, measured the same way (StartedAt - t0).
  {
    const t0 = Date.now();
    const ids = await Promise.all(
      Array.from({ length: replicas }, (_, i) => {
        const h = cluster.tb.hosts[i % cluster.tb.hosts.length]!;
        return h.docker(['run', '-d', '--label', 'bench.baseline=1', TEST_IMAGE, 'sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"]).then((r) => ({ h, id: r.stdout.trim() }));
      }),
    );
    for (const { h, id } of ids) baseline.push(Date.parse((await h.docker(['inspect', '--format', '{{.State.StartedAt}}', id])).stdout.trim()) - t0);
    for (const h of cluster.tb.hosts) {
      const left = (await h.docker(['ps', '-aq', '--filter', 'label=bench.baseline=1'])).stdout.trim();
      if (left) await h.docker(['rm', '-f', ...left.split('\n')]);
    }
  }
  for (let round = 1; round <= rounds; round++) {
    const stack = `bench${round}`;
    const file = join(cluster.dir, `${stack}.yaml`);
    await writeFile(file, `name: ${stack}\nservices:\n  app:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: ${replicas}\n      resources:\n        reservations: { cpus: "0.01", memory: 4M }\n`);
    const t0 = Date.now();
    const r = await runBaton(['deploy', '-f', file, '--detach'], cluster.env);
    if (r.code !== 0) throw new Error(`deploy failed: ${r.stderr}`);
    const all = await waitFor(`${replicas} running`, async () => {
      const rs = await cluster.running(cluster.tb.hosts, stack);
      return rs.length === replicas && rs;
    }, 120_000, 50);
    for (const c of all) {
      const started = (await c.host.docker(['inspect', '--format', '{{.State.StartedAt}}', c.id])).stdout.trim();
      latencies.push(Date.parse(started) - t0);
    }
    await runBaton(['rm', '--stack', stack], cluster.env);
    await waitFor('removed', async () => (await cluster.running(cluster.tb.hosts, stack)).length === 0, 60_000, 200);
  }
  console.log(
    JSON.stringify({
      replicas, rounds, hosts: 3,
      p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: Math.max(...latencies),
      engineOnlyP50Ms: percentile(baseline, 50), engineOnlyP99Ms: percentile(baseline, 99),
      note: 'engineOnly*: the same containers started with plain concurrent docker run on the same hosts: the floor set by the engines on this machine',
    }),
  );
} finally {
  await cluster.stop();
}
process.exit(0);
