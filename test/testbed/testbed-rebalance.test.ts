// Issue 13 on the multi-host testbed: `baton rebalance`. Six replicas spread two per host (x-baton
// placement spread), each reserving half of a host's two CPUs, so bin-packed they fit two hosts.
// `--dry-run` shows the moves and the gain and changes nothing on any host's Docker; `baton
// rebalance --strategy binpack` moves them start-first (Docker on the hosts never runs fewer than
// the six desired) and follows the moves to the end; then one host's Docker runs none of them and
// `baton ps` agrees. Bad input is refused, naming the flag. What runs where is read from Docker.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';

const skip = await testbedSkip(t);

t.test('rebalance on three namespace hosts', { skip }, async (t) => {
  const c = await startCluster(3, { images: [TEST_IMAGE] });
  t.teardown(() => c.stop());
  const hosts = c.tb.hosts;
  const file = join(c.dir, 'rb.yaml');
  await writeFile(file, `name: rb
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    healthcheck: { test: ["CMD", "true"], interval: 1s, timeout: 1s, retries: 2 }
    x-baton: { placement: spread }
    deploy:
      replicas: 6
      update_config: { parallelism: 1 }
      resources: { reservations: { cpus: "0.5", memory: 4M } }
`);
  const d = await runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
  t.equal(d.code, 0, d.stdout + d.stderr);
  const perHost = async () => {
    const out: Record<string, number> = {};
    for (const x of await c.running(hosts, 'rb')) out[x.host.name] = (out[x.host.name] ?? 0) + 1;
    return out;
  };
  await waitFor('two per host', async () => {
    const p = await perHost();
    return hosts.every((h) => p[h.name] === 2);
  }, 60_000, 200);
  const idsBefore = (await c.running(hosts, 'rb')).map((x) => x.id).sort();

  // Bad input: exit 2, the flag named; nothing asked of the coordinator for a bad strategy.
  const badStrategy = await runBaton(['rebalance', '--dry-run', '--strategy', 'random'], c.env);
  t.equal(badStrategy.code, 2);
  t.match(badStrategy.stderr, '--strategy: expected binpack or spread, got "random"');
  const badStack = await runBaton(['rebalance', '--dry-run', '--stack', 'nope'], c.env);
  t.equal(badStack.code, 2, badStack.stderr);
  t.match(badStack.stderr, 'stack: no stack named "nope"');

  // Spread is what they have: nothing to gain.
  const spread = await runBaton(['rebalance', '--dry-run', '--strategy', 'spread'], c.env);
  t.equal(spread.code, 0, spread.stderr);
  t.match(spread.stdout, /^nothing to move \(spread\): already balanced/);

  const dry = await runBaton(['rebalance', '--dry-run', '--stack', 'rb', '--strategy', 'binpack'], c.env);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /SERVICE\s+REPLICA\s+FROM\s+TO/);
  const freed = /nodes used 3 -> 2 \(frees (\S+)\)/.exec(dry.stdout)?.[1];
  t.ok(freed && hosts.some((h) => h.name === freed), `frees a host: ${dry.stdout}`);
  t.match(dry.stdout, /max node load cpu 50% -> 100%/);
  t.equal(dry.stdout.split('\n').filter((l) => l.startsWith('rb/app ')).length, 2, 'two moves: the freed host\'s two replicas');
  t.match(dry.stdout, 'dry run: nothing moved');
  await new Promise((r) => setTimeout(r, 2000));
  t.same((await c.running(hosts, 'rb')).map((x) => x.id).sort(), idsBefore, 'a dry run changes nothing on any host\'s Docker');

  let min = Number.POSITIVE_INFINITY;
  let samples = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      min = Math.min(min, (await c.running(hosts, 'rb')).length);
      samples++;
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  const t0 = Date.now();
  const run = await runBaton(['rebalance', '--strategy', 'binpack'], c.env);
  const tookMs = Date.now() - t0;
  polling = false;
  await poll;
  t.equal(run.code, 0, run.stdout + run.stderr);
  t.match(run.stdout, /rebalance \S+: 0 done, 2 pending of 2/);
  t.match(run.stdout, /rebalance \S+ done in/);
  t.ok(samples > 3, `Docker polled ${samples} times during the ${tookMs} ms rebalance`);
  t.equal(min, 6, 'never fewer than the 6 desired running on the hosts (start-first)');
  const after = await perHost();
  t.equal(after[freed!] ?? 0, 0, `${freed}'s Docker runs none of them: ${JSON.stringify(after)}`);
  t.equal(Object.values(after).reduce((a, b) => a + b, 0), 6, 'six running');
  const ps = await runBaton(['ps', 'rb/app', '--json'], c.env);
  const rows = JSON.parse(ps.stdout) as { node: string; state: string }[];
  t.equal(rows.length, 6, ps.stdout);
  t.notOk(rows.some((r) => r.node === freed), '`baton ps` agrees: nothing on the freed host');

  // Done: nothing left to gain, and nothing moves by itself.
  const again = await runBaton(['rebalance', '--dry-run'], c.env);
  t.match(again.stdout, /^nothing to move \(binpack\): already balanced/);
});
