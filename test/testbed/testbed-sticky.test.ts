// Sticky named volumes on the multi-host testbed (three namespace hosts with their own dockerd and
// agent, the coordinator a real process outside): a replica of a service mounting a volume with
// `x-baton: { sticky: true }` stays with the host that holds its data. What runs is read from each
// host's own engine: with the home's agent stopped nothing is started on the other hosts; with the
// agent back the replica runs there again and finds its data; after `baton node rm` of the home it
// is placed on another host (a fresh volume there). `baton plan` explains the pin and warns about
// a bind mount.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';
import type { TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);

const STACK = 'keep';

t.test('a sticky replica stays with the host that holds its volume data', { skip }, async (t) => {
  const c = await startCluster(3, { t });
  t.teardown(() => c.stop());
  const hosts = c.tb.hosts;
  const file = join(c.dir, 'compose.yaml');
  await writeFile(file, `name: ${STACK}
services:
  db:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    volumes:
      - data:/data
    deploy:
      resources:
        limits: { cpus: "0.1", memory: 16M }
volumes:
  data:
    x-baton:
      sticky: true
`);
  const dbOn = async (hs: readonly TestbedHost[]) => (await c.running(hs, STACK)).filter((x) => x.service === 'db');
  const stopAgent = async (h: TestbedHost) => {
    const a = c.agents.get(h.name)!;
    const exited = new Promise((r) => a.once('exit', r));
    a.kill('SIGTERM');
    await exited;
    c.agents.delete(h.name);
  };

  const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], c.env);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const [first] = await waitFor('db running', async () => {
    const rs = await dbOn(hosts);
    return rs.length === 1 ? rs : undefined;
  }, 30_000);
  const home = first!.host;
  const others = hosts.filter((h) => h !== home);
  const marker = randomBytes(8).toString('hex');
  const w = await home.docker(['exec', first!.id, 'sh', '-c', `echo ${marker} > /data/marker`]);
  t.equal(w.code, 0, `data written into the volume on ${home.name}: ${w.stderr}`);

  await t.test('baton plan explains the pin and warns about a bind mount', async (t) => {
    const p = await runBaton(['plan', '-f', file], c.env);
    t.match(p.stdout, `db.1: pinned to ${home.name}, which holds its volume data (x-baton sticky volume "data")`);
    const bind = join(c.dir, 'bind.yaml');
    await writeFile(bind, `name: other\nservices:\n  proxy:\n    image: ${TEST_IMAGE}\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n`);
    const b = await runBaton(['plan', '-f', bind], c.env);
    t.match(b.stderr, /^warning: .*services\.proxy\.volumes\.0: /m);
    t.match(b.stderr, "services.proxy.volumes.0: bind mount /var/run/docker.sock gives the container the host's files; the path must exist on every node that runs it");
  });

  await t.test('home agent stopped: nothing is started on the other hosts; the replica waits, explained', async (t) => {
    await stopAgent(home);
    await waitFor(`${home.name} left`, async () => byName(await listNodes(c.target))[home.name]?.status === 'left', 15_000);
    // Several control-loop rounds (1 s apart) for a reschedule to happen if it were going to.
    await new Promise((res) => setTimeout(res, 4000));
    t.same(await dbOn(others), [], 'no db container on any other host\'s engine');
    const ps = JSON.parse((await runBaton(['ps', 'db', '--json'], c.env)).stdout) as { state: string; error: string; node: string }[];
    const waiting = ps.find((x) => x.state === 'unplaced');
    t.ok(waiting, 'baton ps shows the slot pending');
    t.match(waiting?.error, `pinned to ${home.name}, which holds its volume data (x-baton sticky volume "data"); ${home.name} has left (its agent stopped): waiting for it`);
  });

  await t.test('agent back: the replica runs on its home again and finds its data', async (t) => {
    c.startAgent(home);
    const [back] = await waitFor('db back on its home', async () => {
      const rs = await dbOn(hosts);
      return rs.length === 1 && rs[0]!.host === home ? rs : undefined;
    }, 40_000);
    t.same(await dbOn(others), [], 'still nothing on the other hosts');
    const cat = await home.docker(['exec', back!.id, 'cat', '/data/marker']);
    t.equal(cat.stdout.trim(), marker, 'the data written before is there');
  });

  await t.test('baton node rm of the home: placed on another host, with a fresh volume there', async (t) => {
    await stopAgent(home);
    await waitFor(`${home.name} left`, async () => byName(await listNodes(c.target))[home.name]?.status === 'left', 15_000);
    const rm = await runBaton(['node', 'rm', home.name], c.env);
    t.equal(rm.code, 0, rm.stdout + rm.stderr);
    const [moved] = await waitFor('db on another host', async () => {
      const rs = await dbOn(others);
      return rs.length === 1 ? rs : undefined;
    }, 40_000);
    t.not(moved!.host, home);
    const cat = await moved!.host.docker(['exec', moved!.id, 'sh', '-c', 'cat /data/marker 2>/dev/null || echo none']);
    t.equal(cat.stdout.trim(), 'none', 'the new host has its own (empty) copy of the volume: data does not move');
    const p = await runBaton(['plan', '-f', file], c.env);
    t.match(p.stdout, `db.1: pinned to ${moved!.host.name}, which holds its volume data`, 'its new host is its home');
  });
});
