// Global services and node roles on the multi-host testbed: three namespace hosts with their own
// dockerd and agent (one started with --role manager), the coordinator (a real process) outside,
// mutual TLS as by default. What runs is read from each host's own Docker engine: a global service
// runs exactly one replica on every host, follows a host whose agent starts late and a host that is
// removed (`baton node rm`, then rejoins afresh), and a node.role == manager constraint places only
// on the manager.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { byName, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, startBaton, waitFor } from '../fixtures/processes.js';
import { Testbed, type TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);

interface Running {
  host: string;
  id: string;
  service: string;
  replica: number;
}

/** Baton containers of `stack` running on each host, from each host's own engine. */
async function runningOn(hosts: readonly TestbedHost[], stack: string): Promise<Running[]> {
  const out: Running[] = [];
  for (const h of hosts) {
    const r = await h.docker(['ps', '--filter', `label=io.baton.stack=${stack}`, '--format', '{{.ID}} {{.Label "io.baton.service"}} {{.Label "io.baton.replica"}}']);
    if (r.code !== 0) throw new Error(`docker ps on ${h.name}: ${r.stderr}`);
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
      const [id, service, replica] = line.split(' ') as [string, string, string];
      out.push({ host: h.name, id, service, replica: Number(replica) });
    }
  }
  return out;
}

/** Per host, how many containers of `service` its engine runs: `h1:1 h2:1 h3:0`. */
const perHost = (hosts: readonly TestbedHost[], rs: Running[], service: string) =>
  hosts.map((h) => `${h.name}:${rs.filter((r) => r.service === service && r.host === h.name).length}`).join(' ');

t.test('a global service and node roles on three namespace hosts', { skip }, async (t) => {
  const tb = await Testbed.start({ hosts: 3, t });
  const [h1, h2, h3] = tb.hosts as [TestbedHost, TestbedHost, TestbedHost];
  const dir = await mkdtemp(join(tmpdir(), 'baton-global-'));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const env = { BATON_COORDINATOR: target, BATON_CONFIG: join(dir, 'c', 'admin.json') };
  process.env.BATON_CONFIG = env.BATON_CONFIG;
  const coordinator = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off']);
  t.teardown(() => coordinator.kill('SIGKILL'));
  const token = await joinTokenOf(coordinator);
  const agents = new Map<string, ChildProcess>();
  // The agents dial the coordinator at the testbed's bridge address, not loopback: workers unless told.
  const startAgent = (h: TestbedHost, extra: string[] = []) => {
    agents.set(h.name, h.spawn(process.execPath, [BATON_BIN, 'agent', '--coordinator', `${tb.coordinatorAddress}:${port}`, '--name', h.name, '--data-dir', join(h.dir, 'agent'), ...extra], { env: { BATON_LOG_LEVEL: 'warn', BATON_TOKEN: token } }));
  };
  const stopAgent = async (h: TestbedHost) => {
    const a = agents.get(h.name)!;
    const exited = new Promise((r) => a.once('exit', r));
    a.kill('SIGTERM');
    await exited;
    agents.delete(h.name);
  };
  t.teardown(() => agents.forEach((a) => a.kill('SIGKILL')));
  startAgent(h1, ['--role', 'manager']);
  startAgent(h2);
  await waitFor('2 ready nodes', async () => (await listNodes(target)).filter((n) => n.status === 'ready' && n.usage).length === 2, 30_000);

  const stack = 'mon';
  const file = join(dir, 'compose.yaml');
  await writeFile(file, `name: ${stack}
services:
  exporter:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    deploy:
      mode: global
      resources:
        limits: { cpus: "0.1", memory: 16M }
  ui:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    deploy:
      replicas: 2
      placement:
        constraints: [node.role == manager]
      resources:
        limits: { cpus: "0.1", memory: 16M }
`);

  let before: Running[] = [];
  await t.test('roles: the --role manager host is a manager, the others workers', async (t) => {
    const nodes = byName(await listNodes(target));
    t.equal(nodes[h1.name]?.role, 'manager');
    t.equal(nodes[h2.name]?.role, 'worker');
    const text = await runBaton(['nodes'], env);
    t.match(text.stdout, new RegExp(`${h1.name}\\s.*\\sready\\s+manager\\s`), 'baton nodes shows the role');
  });

  await t.test('deploy: one exporter on each host with an agent, both ui replicas on the manager', async (t) => {
    const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const real = await waitFor('containers', async () => {
      const rs = await runningOn(tb.hosts, stack);
      return rs.length === 4 ? rs : undefined;
    }, 30_000);
    t.equal(perHost(tb.hosts, real, 'exporter'), `${h1.name}:1 ${h2.name}:1 ${h3.name}:0`, 'exactly one exporter per host with an agent');
    t.equal(perHost(tb.hosts, real, 'ui'), `${h1.name}:2 ${h2.name}:0 ${h3.name}:0`, 'node.role == manager: only on the manager');
    const services = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; mode: string; desired: number; running: number }[];
    t.match(services.find((s) => s.name === 'exporter'), { mode: 'global', desired: 2, running: 2 });
    const scale = await runBaton(['scale', 'exporter=5'], env);
    t.equal(scale.code, 2, 'baton scale of a global service is bad input');
    t.match(scale.stderr, /exporter: scale can only be used with replicated mode/);
    before = real.filter((x) => x.service === 'exporter');
  });

  await t.test('a host whose agent starts later gets its replica; the others are not touched', async (t) => {
    startAgent(h3);
    const real = await waitFor('an exporter on the third host', async () => {
      const rs = await runningOn(tb.hosts, stack);
      return perHost(tb.hosts, rs, 'exporter') === `${h1.name}:1 ${h2.name}:1 ${h3.name}:1` ? rs : undefined;
    }, 40_000);
    const ids = (rs: Running[], h: TestbedHost) => rs.filter((r) => r.service === 'exporter' && r.host === h.name).map((r) => r.id);
    t.same(ids(real, h1), ids(before, h1), `${h1.name} still runs the same container`);
    t.same(ids(real, h2), ids(before, h2), `${h2.name} still runs the same container`);
    t.equal(perHost(tb.hosts, real, 'ui'), `${h1.name}:2 ${h2.name}:0 ${h3.name}:0`, 'ui stays on the manager');
    before = real.filter((x) => x.service === 'exporter');
  });

  await t.test('a host that leaves (agent stopped, baton node rm) is not replaced elsewhere; rejoining afresh, it runs one again', async (t) => {
    await stopAgent(h3);
    await waitFor('h3 left', async () => byName(await listNodes(target))[h3.name]?.status === 'left', 15_000);
    const r = await runBaton(['node', 'rm', h3.name], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    await waitFor('exporter desired 2', async () => {
      const s = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; desired: number; running: number }[];
      const ps = JSON.parse((await runBaton(['ps', 'exporter', '--json'], env)).stdout) as { node: string }[];
      const e = s.find((x) => x.name === 'exporter');
      return e?.desired === 2 && e.running === 2 && ps.every((p) => p.node !== h3.name);
    }, 15_000);
    // A few rounds more: nothing may be started on the remaining hosts in its stead.
    await new Promise((res) => setTimeout(res, 2000));
    const real = await runningOn([h1, h2], stack);
    t.equal(perHost([h1, h2], real, 'exporter'), `${h1.name}:1 ${h2.name}:1`, 'still exactly one on each remaining host');
    t.same(real.filter((x) => x.service === 'exporter').map((x) => x.id).sort(), before.filter((x) => x.host !== h3.name).map((x) => x.id).sort(), 'the same containers: none moved or added');
    // Baton no longer reaches the removed host (its certificate is revoked): its engine still has
    // the old container, as a removed Swarm node keeps its tasks' containers.
    const stale = (await runningOn([h3], stack)).filter((x) => x.service === 'exporter');
    t.equal(stale.length, 1, 'the removed host still runs its last container (Baton cannot command it)');
    // Rejoining as the README says (delete node.crt, start with a token): the complete set it gets
    // removes the stale container, and a fresh replica is placed there.
    await rm(join(h3.dir, 'agent', 'node.crt'), { force: true });
    startAgent(h3);
    const back = await waitFor('a fresh exporter on the rejoined host', async () => {
      const rs = (await runningOn([h3], stack)).filter((x) => x.service === 'exporter');
      return rs.length === 1 && rs[0]!.id !== stale[0]!.id ? rs : undefined;
    }, 40_000);
    t.equal(back.length, 1, 'exactly one on the rejoined host, not the stale one');
    t.equal(perHost(tb.hosts, await runningOn(tb.hosts, stack), 'exporter'), `${h1.name}:1 ${h2.name}:1 ${h3.name}:1`);
  });
});
