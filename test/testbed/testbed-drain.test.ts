// Issue 13 on the multi-host testbed: `baton node drain` moves a host's replicas to the other hosts
// start-first (Docker on the hosts never runs fewer than desired), follows the drain to its end,
// and leaves the host drained (no new work) through a coordinator restart until `baton node
// uncordon`; cordon keeps new work off a host; a host whose engine dies under a running agent
// turns unhealthy and its replicas run on the others, and it is back after its healthy hold; a
// host cut off from the coordinator stops a replica with on_disconnect.stop_after by itself; a host
// whose link drops twice is held out of new placements as flapping.
// What runs where is read from each host's Docker.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { drainRun } from '../fixtures/drain-run.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';

const skip = await testbedSkip(t);

t.test('drain and cordon on three namespace hosts', { skip }, async (t) => {
  // Short unhealthy bounds, for the last case (an engine killed under a running agent).
  const c = await startCluster(3, { images: [TEST_IMAGE], coordinatorArgs: ['--unhealthy-engine-after', '4s', '--healthy-hold', '4s'] });
  t.teardown(() => c.stop());
  const [h1, h2, h3] = [c.tb.host(1), c.tb.host(2), c.tb.host(3)];

  const r = await drainRun(c, { stack: 'dr', replicas: 4, parallelism: 1 });
  t.equal(r.cli.code, 0, r.cli.stdout + r.cli.stderr);
  t.match(r.cli.stdout, `draining ${h1.name}: 4 replicas left`);
  t.match(r.cli.stdout, `drained ${h1.name}`);
  t.ok(r.samples > 3, `Docker polled ${r.samples} times during the drain`);
  t.equal(r.minRunningDuringDrain, 4, 'never fewer than the 4 desired running on the hosts (start-first)');
  t.same(r.after[h1.name] ?? 0, 0, `no replica left on ${h1.name}'s Docker when the drain command returns`);
  t.equal((r.after[h2.name] ?? 0) + (r.after[h3.name] ?? 0), 4, 'all four on the other hosts');

  const nodes = await runBaton(['nodes'], c.env);
  t.match(nodes.stdout, new RegExp(`${h1.name}\\s+\\S+\\s+ready\\s+\\S+\\s+drained`), nodes.stdout);
  await c.restartCoordinator();
  await waitFor('h1 back', async () => byName(await listNodes(c.target))[h1.name]?.status === 'ready', 30_000, 200);
  const again = await runBaton(['nodes', '--json'], c.env);
  t.equal((JSON.parse(again.stdout) as { name: string; schedule: string }[]).find((n) => n.name === h1.name)?.schedule, 'drained', 'still drained after a coordinator restart');

  // Drained = cordoned: a new service does not go to h1; uncordon lets it, nothing moves back.
  const file = join(c.dir, 'more.yaml');
  await writeFile(file, `name: more\nservices:\n  x:\n    image: ${TEST_IMAGE}\n    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    stop_grace_period: 1s\n    deploy:\n      replicas: 3\n      placement: { max_replicas_per_node: 1 }\n      resources: { reservations: { cpus: "0.01", memory: 4M } }\n`);
  const d = await runBaton(['deploy', '-f', file, '--timeout', '10'], c.env);
  t.not(d.code, 0, 'one of three replicas cannot be placed (max 1 per node, h1 drained)');
  t.match(d.stdout + d.stderr, /draining|drained|cordoned/, d.stdout + d.stderr);
  await waitFor('two x running', async () => (await c.running(c.tb.hosts, 'more')).length === 2, 30_000, 200);
  t.same((await c.running([h1], 'more')).length, 0, `nothing new on ${h1.name}`);
  const u = await runBaton(['node', 'uncordon', h1.name], c.env);
  t.equal(u.code, 0, u.stderr);
  t.match(u.stdout, `uncordoned ${h1.name}`);
  await waitFor('third x on h1', async () => (await c.running([h1], 'more')).length === 1, 30_000, 200);
  t.same((await c.running([h1], 'dr')).length, 0, 'the drained service did not move back');

  // An engine killed while its agent keeps reporting: unhealthy after the bound, replicas elsewhere.
  const dr2 = (await c.running([h2], 'dr')).length;
  const dr3 = (await c.running([h3], 'dr')).length;
  const victim = dr2 >= dr3 ? h2 : h3;
  const onVictim = Math.max(dr2, dr3);
  t.ok(onVictim > 0, `${victim.name} runs ${onVictim} dr replicas before its engine dies`);
  await victim.killEngine();
  await waitFor(`${victim.name} unhealthy`, async () => {
    const n = (JSON.parse((await runBaton(['nodes', '--json'], c.env)).stdout) as { name: string; unhealthy: string }[]).find((x) => x.name === victim.name);
    return /^engine unreachable for \d+ s \(bound 4 s\)$/.test(n?.unhealthy ?? '');
  }, 30_000, 250);
  const others = c.tb.hosts.filter((h) => h !== victim);
  await waitFor('all four dr replicas on the other hosts', async () => (await c.running(others, 'dr')).length === 4, 60_000, 250);
  t.pass(`the ${victim.name} replicas run on the other hosts' engines`);
  const ev = await runBaton(['events', '--json'], c.env);
  t.match(ev.stdout, /"type":"node\.unhealthy"/);
  await victim.startEngine();
  await waitFor(`${victim.name} healthy again after its hold`, async () => {
    const n = (JSON.parse((await runBaton(['nodes', '--json'], c.env)).stdout) as { name: string; unhealthy: string }[]).find((x) => x.name === victim.name);
    return n?.unhealthy === '';
  }, 60_000, 250);
  t.match((await runBaton(['events', '--json'], c.env)).stdout, /"type":"node\.healthy"/);

  // x-baton.on_disconnect.stop_after: a host cut off from the coordinator stops that replica
  // itself after the bound; the one without it keeps running; on reconnect exactly one copy runs.
  const cutFile = join(c.dir, 'cut.yaml');
  const loop = `command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n    stop_grace_period: 1s`;
  await writeFile(cutFile, `name: cut\nservices:\n  single:\n    image: ${TEST_IMAGE}\n    ${loop}\n    deploy:\n      placement: { constraints: ["node.hostname == ${h1.name}"] }\n      resources: { reservations: { cpus: "0.01", memory: 4M } }\n    x-baton: { on_disconnect: { stop_after: 2s, replace_after: never } }\n  keeps:\n    image: ${TEST_IMAGE}\n    ${loop}\n    deploy:\n      placement: { constraints: ["node.hostname == ${h1.name}"] }\n      resources: { reservations: { cpus: "0.01", memory: 4M } }\n`);
  const cd = await runBaton(['deploy', '-f', cutFile, '--timeout', '30'], c.env);
  t.equal(cd.code, 0, cd.stdout + cd.stderr);
  const onH1 = async (service: string) => {
    const r = await h1.docker(['ps', '-a', '--filter', `label=io.baton.stack=cut`, '--filter', `label=io.baton.service=${service}`, '--format', '{{.ID}} {{.State}}']);
    return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]);
  };
  const [single0] = await onH1('single');
  const [keeps0] = await onH1('keeps');
  t.equal(single0?.[1], 'running');
  t.equal(keeps0?.[1], 'running');
  const label = await h1.docker(['inspect', '--format', '{{index .Config.Labels "io.baton.stop-after-disconnect-ms"}}', single0![0]]);
  t.equal(label.stdout.trim(), '2000', 'the bound travels on the container');
  const cutAt = Date.now();
  await h1.cut();
  try {
    await waitFor('single stopped by its cut-off agent', async () => (await onH1('single')).every(([, state]) => state === 'exited'), 30_000, 250);
    const stoppedAfter = Date.now() - cutAt;
    t.ok(stoppedAfter >= 2000, `stopped ${stoppedAfter} ms after the cut (bound 2 s, plus the time to notice the lost session)`);
    t.same((await onH1('keeps')).map(([id, state]) => `${id} ${state}`), [`${keeps0![0]} running`], 'keeps runs on through the cut');
  } finally {
    await h1.restore();
  }
  await waitFor('single running again, one copy', async () => (await c.running(c.tb.hosts, 'cut')).filter((x) => x.service === 'single').length === 1, 60_000, 250);
  await new Promise((r) => setTimeout(r, 2000));
  const after = await c.running(c.tb.hosts, 'cut');
  t.same(after.filter((x) => x.service === 'single').map((x) => x.host.name), [h1.name], 'exactly one single, on its host');
  t.same(after.filter((x) => x.service === 'keeps').map((x) => x.id), [keeps0![0]], 'keeps: still the same one container');
  t.match((await runBaton(['events', '--json'], c.env)).stdout, /"type":"replica\.failed".*stopped by its agent: cut off from the coordinator for \d+ s \(x-baton\.on_disconnect\.stop_after 2 s\)/, 'the reason reaches the coordinator on reconnect');

  // That cut took h1 down once (silent past --down-after-ms, 5 s); a second one makes it a flapping
  // node: held out of new placements on its return, with the reason shown by `baton nodes`.
  const nodeOf = async (name: string) => (JSON.parse((await runBaton(['nodes', '--json'], c.env)).stdout) as { name: string; status: string; held: { until: string; reason: string } | null }[]).find((n) => n.name === name);
  await waitFor('h1 ready again', async () => (await nodeOf(h1.name))?.status === 'ready', 30_000, 250);
  await h1.cut();
  try {
    await waitFor('h1 down a second time', async () => (await nodeOf(h1.name))?.status === 'down', 30_000, 250);
  } finally {
    await h1.restore();
  }
  await waitFor('h1 back', async () => (await nodeOf(h1.name))?.status === 'ready', 30_000, 250);
  const held = await nodeOf(h1.name);
  t.match(held?.held?.reason ?? '', /^flapping: 2 downs in 10 min$/, JSON.stringify(held));
  t.ok(Date.parse(held!.held!.until) - Date.now() > 10_000, `held until ${held?.held?.until}`);
  t.match((await runBaton(['nodes'], c.env)).stdout, new RegExp(`${h1.name}.*held \\d+s \\(flapping: 2 downs in 10 min\\)`));
  t.match((await runBaton(['events', '--json'], c.env)).stdout, /"type":"node\.held"/);
  // What ran there stays; new work avoids it while held.
  t.same((await c.running([h1], 'cut')).map((x) => x.service).sort(), ['keeps', 'single'], 'its replicas still run on h1');
  const flapFile = join(c.dir, 'flap.yaml');
  await writeFile(flapFile, `name: flap\nservices:\n  y:\n    image: ${TEST_IMAGE}\n    ${loop}\n    deploy:\n      replicas: 3\n      placement: { max_replicas_per_node: 1 }\n      resources: { reservations: { cpus: "0.01", memory: 4M } }\n`);
  const fd = await runBaton(['deploy', '-f', flapFile, '--timeout', '4'], c.env);
  t.not(fd.code, 0, 'one of three (one per node) has nowhere to go while h1 is held');
  t.match(fd.stdout + fd.stderr, /held|flapping|cordoned/, fd.stdout + fd.stderr);
  t.same((await c.running([h1], 'flap')).length, 0, 'nothing new on the held h1');
  t.equal((await c.running(c.tb.hosts, 'flap')).length, 2, 'the other two run on the other hosts');

  const bad = await runBaton(['node', 'drain', h1.name, '--deadline', 'soon'], c.env);
  t.equal(bad.code, 2);
  t.match(bad.stderr, '--deadline: expected a duration such as 10m or 90s, got "soon"');
  const none = await runBaton(['node', 'cordon', 'no-such-node'], c.env);
  t.not(none.code, 0);
  t.match(none.stderr, 'no node with id or name "no-such-node"');
});
