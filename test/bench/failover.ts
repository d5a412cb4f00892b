// bench:failover: on the testbed, the time from a host's death (agent and engine killed at once,
// as when power fails) to the coordinator evicting it (detectMs) and to all its replicas running
// on other hosts (replacedMs), over several runs with default intervals.
// Prints {runs, detectMs, replacedMs, detectMsRuns, replacedMsRuns}. Usage: npm run bench:failover -- [--runs 3]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { argNumber, percentile, startCluster } from '../fixtures/testbed-cluster.js';

const runs = argNumber('runs', 3);
const cluster = await startCluster(3);
const detect: number[] = [];
const replaced: number[] = [];
try {
  const stack = 'failover';
  const file = join(cluster.dir, 'failover.yaml');
  await writeFile(file, `name: ${stack}\nservices:\n  app:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: 9\n      x-baton-note: spread so every host runs some\n      resources:\n        reservations: { cpus: "0.01", memory: 4M }\n    x-baton: { placement: spread }\n`.replace('      x-baton-note: spread so every host runs some\n', ''));
  const r = await runBaton(['deploy', '-f', file, '--timeout', '120'], cluster.env);
  if (r.code !== 0) throw new Error(`deploy failed: ${r.stdout}${r.stderr}`);
  for (let run = 0; run < runs; run++) {
    const victim = cluster.tb.hosts[run % cluster.tb.hosts.length]!;
    const others = cluster.tb.hosts.filter((h) => h !== victim);
    const lost = (await cluster.running([victim], stack)).map((c) => c.replica);
    const t0 = Date.now();
    cluster.agents.get(victim.name)!.kill('SIGKILL');
    await victim.killEngine();
    const detectedAt = await waitFor('victim down', async () => byName(await listNodes(cluster.target))[victim.name]?.status === 'down' && Date.now(), 30_000, 20);
    const replacedAt = await waitFor('replicas elsewhere', async () => {
      const now = (await cluster.running(others, stack)).map((c) => c.replica);
      return lost.every((rep) => now.includes(rep)) && Date.now();
    }, 60_000, 50);
    detect.push(detectedAt - t0);
    replaced.push(replacedAt - t0);
    // Bring the host back and let the cluster settle before the next run.
    await victim.startEngine();
    cluster.startAgent(victim);
    await waitFor('converged', async () => {
      const rs = await cluster.running(cluster.tb.hosts, stack);
      return rs.length === 9 && byName(await listNodes(cluster.target))[victim.name]?.status === 'ready';
    }, 60_000, 200);
  }
  console.log(JSON.stringify({ runs, detectMs: percentile(detect, 50), replacedMs: percentile(replaced, 50), detectMsMax: Math.max(...detect), replacedMsMax: Math.max(...replaced), detectMsRuns: detect, replacedMsRuns: replaced }));
} finally {
  await cluster.stop();
}
process.exit(0);
