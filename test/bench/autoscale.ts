// bench:autoscale: how fast autoscaling follows a load, on three testbed hosts. A busybox service
// (0.5-core reservation, target cpu 50%, averaging window 15 s) starts at 1 replica; at the onset
// that replica burns a core (docker exec touch /tmp/burn). The load is that one replica's, whatever
// the count: L cores against 0.25 core per replica at target need ceil(L / 0.25) replicas (4 on an
// idle machine). L is measured with `docker stats` on its host (a busy machine gives the burner less
// than a core), so the count needed does not come from Baton. Each host's Docker is sampled every
// 250 ms for running replicas (not Baton's view).
// Prints {reactMs, overshootReplicas, settleMs, ...}: reactMs from the onset until the needed
// replicas run; overshootReplicas the most ever running beyond that; settleMs until the count last
// changed; changesAfterReact the changes after the needed count first ran (no oscillation: at most one, within the band).
// Target (issue 12): reactMs <= 20000 and no oscillation.
// Usage: npm run bench:autoscale -- [--window 15] [--observe 45]
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { runBaton, sleep, waitFor } from '../fixtures/processes.js';
import { argNumber, startCluster } from '../fixtures/testbed-cluster.js';

const windowS = argNumber('window', 15);
const observeS = argNumber('observe', 45);
const PER_REPLICA_CORES = 0.25;
const BURN = `trap 'exit 0' TERM; while true; do if [ -f /tmp/burn ]; then while [ -f /tmp/burn ]; do :; done; fi; sleep 0.2; done`;
const STACK = `name: bench
services:
  burn:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", ${JSON.stringify(BURN)}]
    stop_grace_period: 1s
    deploy:
      resources:
        reservations: { cpus: "0.5", memory: 16M }
    x-baton:
      autoscale: { min: 1, max: 8, cpu: "50%", window: ${windowS}s }
`;

const c = await startCluster(3, { images: [TEST_IMAGE] });
try {
  const file = join(c.dir, 'bench.yaml');
  await writeFile(file, STACK);
  const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], c.env);
  if (r.code !== 0) throw new Error(`deploy failed: ${r.stdout}${r.stderr}`);
  const burning = async () => (await c.running(c.tb.hosts, 'bench')).filter((x) => x.service === 'burn');
  const [first] = await waitFor('one replica', async () => {
    const rs = await burning();
    return rs.length === 1 ? rs : undefined;
  }, 30_000);
  // The coordinator's first window (and the replica's warm-up) pass before the load begins.
  await sleep((windowS + 2) * 1000);
  const touched = await first!.host.docker(['exec', first!.id, 'touch', '/tmp/burn']);
  if (touched.code !== 0) throw new Error(`docker exec: ${touched.stderr}`);
  const onset = Date.now();
  // The burner's use from its own engine, sampled beside the count while the load runs.
  const cores: number[] = [];
  let measuring = true;
  const measured = (async () => {
    while (measuring) {
      const st = await first!.host.docker(['stats', '--no-stream', '--format', '{{.CPUPerc}}', first!.id]);
      const pct = Number.parseFloat(st.stdout);
      if (Number.isFinite(pct)) cores.push(pct / 100);
    }
  })();
  const counts: { atMs: number; n: number }[] = [{ atMs: 0, n: 1 }];
  let grew: number | null = null;
  let firstNewMs: number | null = null;
  const deadline = onset + (windowS * 4 + observeS) * 1000;
  let settledAt = 0;
  while (Date.now() < deadline) {
    const n = (await burning()).length;
    const at = Date.now() - onset;
    if (n !== counts.at(-1)!.n) {
      counts.push({ atMs: at, n });
      settledAt = at;
    }
    if (firstNewMs === null && n > 1) firstNewMs = at;
    if (grew === null && n > 1) grew = at;
    // Done once the count has held for --observe seconds after it first grew.
    if (grew !== null && at - settledAt >= observeS * 1000) break;
    await sleep(250);
  }
  measuring = false;
  await measured;
  const loadCores = cores.reduce((a, b) => a + b, 0) / Math.max(1, cores.length);
  // The proportional answer from 1 replica is ceil(L / 0.25); the least count the 10% band holds is ceil(L / 0.25 / 1.1).
  const exact = loadCores / PER_REPLICA_CORES;
  const proportional = Math.max(1, Math.ceil(exact));
  const NEEDED = Math.max(1, Math.ceil(exact / 1.1));
  const reactAt = counts.find((x) => x.n >= NEEDED);
  const reactMs = reactAt ? reactAt.atMs : null;
  const peak = Math.max(...counts.map((x) => x.n));
  const afterSettle = counts.filter((x) => reactMs !== null && x.atMs > reactMs).length;
  const events = (await runBaton(['events', '--json'], c.env)).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; at: string; message: string }).filter((e) => e.type === 'autoscale.scaled');
  const out = {
    reactMs,
    overshootReplicas: Math.max(0, peak - proportional),
    settleMs: settledAt,
    firstNewReplicaMs: firstNewMs,
    neededReplicas: NEEDED,
    proportionalReplicas: proportional,
    loadCores: Math.round(loadCores * 100) / 100,
    finalReplicas: counts.at(-1)!.n,
    changesAfterReact: afterSettle,
    counts,
    windowMs: windowS * 1000,
    observedMs: observeS * 1000,
    target: { reactMs: 20_000, oscillation: 'none' },
    meetsTarget: reactMs !== null && reactMs <= 20_000 && afterSettle <= 1 && peak <= proportional,
    events: events.map((e) => `${new Date(Date.parse(e.at)).toISOString()} ${e.message}`),
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} finally {
  await c.stop();
}
