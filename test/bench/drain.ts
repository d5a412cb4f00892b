// bench:drain (issue 13): drain a host running all 10 replicas of a 10-replica service on the
// testbed (update_config.parallelism 2, health-checked), with every host's Docker polled meanwhile.
// Prints {drainMs, minRunningDuringDrain, desired, parallelism}. Target: never below
// desired - parallelism, done in under 30 s. Usage: npm run bench:drain -- [--replicas 10] [--parallelism 2]
import { drainRun } from '../fixtures/drain-run.js';
import { TEST_IMAGE } from '../fixtures/docker-env.js';
import { argNumber, startCluster } from '../fixtures/testbed-cluster.js';

const replicas = argNumber('replicas', 10);
const parallelism = argNumber('parallelism', 2);
const cluster = await startCluster(3, { images: [TEST_IMAGE] });
try {
  const r = await drainRun(cluster, { stack: 'drainbench', replicas, parallelism });
  if (r.cli.code !== 0) throw new Error(`baton node drain failed: ${r.cli.stdout}${r.cli.stderr}`);
  console.log(JSON.stringify({ drainMs: r.drainMs, minRunningDuringDrain: r.minRunningDuringDrain, desired: r.desired, parallelism: r.parallelism, samples: r.samples, after: r.after }));
} finally {
  await cluster.stop();
}
process.exit(0);
