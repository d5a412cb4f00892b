// Autoscaling (x-baton.autoscale) on the multi-host testbed: two namespace hosts with their own
// dockerd and agent, the coordinator a real process outside. A busybox service burns a core while
// /tmp/burn exists (created with docker exec on the host); the CPU figures are the agents' own
// stream. It scales up to max under load, holds across a coordinator kill -9 (a fresh window, no
// burst of decisions), and back down to min once the load stops, with its events in order. Every
// count is read from each host's own engine and compared with what Baton reports.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, sleep, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';

const skip = await testbedSkip(t);

/** Burns one core while /tmp/burn exists; exits at once on TERM. */
export const BURN_COMMAND = `trap 'exit 0' TERM; while true; do if [ -f /tmp/burn ]; then while [ -f /tmp/burn ]; do :; done; fi; sleep 0.2; done`;

const STACK = `name: load
services:
  burn:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", ${JSON.stringify(BURN_COMMAND)}]
    stop_grace_period: 1s
    deploy:
      resources:
        reservations: { cpus: "0.1", memory: 16M }
    x-baton:
      autoscale: { min: 1, max: 3, cpu: "20%", window: 5s, scale_down_window: 10s }
`;

interface ServiceJson {
  name: string;
  desired: number;
  running: number;
  autoscale?: { min: number; max: number; cpuTargetPercent?: number };
}
interface EventJson {
  type: string;
  from: string;
  to: string;
  message: string;
}

t.test('autoscaling on load, on two namespace hosts', { skip }, async (t) => {
  const c = await startCluster(2);
  t.teardown(() => c.stop());
  const env = c.env;
  const file = join(c.dir, 'load.yaml');
  const burning = () => c.running(c.tb.hosts, 'load').then((rs) => rs.filter((r) => r.service === 'burn'));
  const service = async () => (JSON.parse((await runBaton(['services', '--json'], env)).stdout) as ServiceJson[]).find((s) => s.name === 'burn')!;
  const scaledEvents = async () =>
    (await runBaton(['events', '--json'], env)).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventJson).filter((e) => e.type === 'autoscale.scaled');
  /** Docker on the hosts runs `n`, and Baton says desired n, running n. */
  const settledAt = (n: number, what: string, timeoutMs: number) =>
    waitFor(what, async () => {
      const real = await burning();
      const s = await service();
      return real.length === n && s.desired === n && s.running === n ? real : undefined;
    }, timeoutMs, 250);

  await writeFile(file, STACK);
  const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], env);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const [first] = await settledAt(1, 'one replica (min)', 30_000);

  await t.test('baton services marks it; a manual scale is refused', async (t) => {
    t.match(await service(), { desired: 1, autoscale: { min: 1, max: 3, cpuTargetPercent: 20 } });
    t.match((await runBaton(['services'], env)).stdout, /1\/1 \(auto 1-3, cpu 20%\)/);
    const scale = await runBaton(['scale', 'burn=2'], env);
    t.equal(scale.code, 2, 'bad input');
    t.match(scale.stderr, /burn: is autoscaled \(x-baton.autoscale min 1, max 3\): change min\/max in the Compose file and deploy it/);
  });

  await t.test('load: up to max, as Docker on the hosts runs it', async (t) => {
    // A core on a 0.1-core reservation = 1000%, target 20: ceil(1 × 50) -> max 3. The reservation is
    // small so that a burner given much less than a core on a busy machine still asks for max
    // (0.1 core: ratio 5).
    const touched = await first!.host.docker(['exec', first!.id, 'touch', '/tmp/burn']);
    t.equal(touched.code, 0, touched.stderr);
    const onset = Date.now();
    const real = await settledAt(3, 'three replicas', 45_000);
    t.pass(`3 running ${Date.now() - onset} ms after the load began`);
    t.ok(real.some((x) => x.id === first!.id), 'the loaded replica is kept');
    // One burning, two idle: mean 1000/3 = 333% of reservation, ratio 16.7 -> max 3: it stays (down to 0.066 core for the burner).
    await sleep(6000);
    t.equal((await burning()).length, 3, 'holds at max under load');
    const status = JSON.parse((await runBaton(['autoscale', 'status', 'load/burn', '--json'], env)).stdout) as { replicas: number; last: { kind: string; reason: string } | null; lastChange: { from: number; to: number } | null }[];
    t.match(status[0], { replicas: 3, lastChange: { to: 3 } });
    t.match(status[0]!.last?.reason, /cpu \d+% of target \(\d+% of reservation, target 20%\) over 3 replicas \(window 5 s\) → 3 replicas \(max 3\)/, 'status shows what it saw');
  });

  await t.test('a coordinator kill -9: a fresh window, no burst', async (t) => {
    const before = (await scaledEvents()).length;
    await c.restartCoordinator();
    const status = JSON.parse((await runBaton(['autoscale', 'status', '--json'], env)).stdout) as { last: { kind: string } | null }[];
    t.ok(status[0]!.last === null || status[0]!.last.kind === 'wait', `waits for a fresh window (${JSON.stringify(status[0]!.last)})`);
    await sleep(8000);
    t.equal((await scaledEvents()).length, before, 'no decision changed the count after the restart');
    t.equal((await burning()).length, 3, 'still 3 on the hosts');
  });

  await t.test('the load stops: back to min, events in order', async (t) => {
    const stopped = await first!.host.docker(['exec', first!.id, 'rm', '-f', '/tmp/burn']);
    t.equal(stopped.code, 0, stopped.stderr);
    const offAt = Date.now();
    // After the 10 s down window of low recommendations (and a fresh 5 s window after the restart).
    await settledAt(1, 'back to one replica', 60_000);
    t.ok(Date.now() - offAt >= 9000, `not before the down window (${Date.now() - offAt} ms)`);
    const events = await scaledEvents();
    t.ok(events.length >= 2, `${events.length} autoscale events`);
    const moves = events.map((e) => [Number(e.from), Number(e.to)] as const);
    t.equal(moves[0]![0], 1, 'the first from min');
    const top = moves.findIndex(([, to]) => to === 3);
    t.ok(top >= 0 && moves.slice(0, top + 1).every(([from, to]) => to > from), `up to 3 first: ${JSON.stringify(moves)}`);
    t.ok(moves.slice(top + 1).every(([from, to]) => to < from), 'then only down');
    t.equal(moves.at(-1)![1], 1, 'ending at min');
    t.match(events.at(-1)!.message, /^load\/burn: cpu \d+% of target .* → 1 replica/);
    for (const e of events) t.match(e.message, /^load\/burn: cpu \d+% of target \(\d+% of reservation, target 20%\) over \d+ replicas? .*\(window 5 s\) → \d+ replicas?/, e.message);
    await sleep(3000);
    t.equal((await burning()).length, 1, 'Docker still runs exactly 1');
    t.match(await service(), { desired: 1, running: 1 });
  });
});
