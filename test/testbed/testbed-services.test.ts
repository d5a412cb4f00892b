// Issue-level check of running services on the multi-host testbed: three namespace hosts with
// their own dockerd and agent, the coordinator (a real process) outside. Every assertion about
// containers asks each host's own Docker engine what really runs, not Baton's view.
import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { byName, listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, startBaton, waitFor, type Proc } from '../fixtures/processes.js';
import { Testbed, type TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);

interface Running {
  host: string;
  id: string;
  allocation: string;
  service: string;
  replica: string;
  nanoCpus?: number;
  memory?: number;
}

/** Baton containers really running on each host, from each host's own engine. */
async function runningOn(hosts: readonly TestbedHost[], stack: string): Promise<Running[]> {
  const out: Running[] = [];
  for (const h of hosts) {
    if (h.isCut) continue;
    const r = await h.docker(['ps', '--filter', `label=io.baton.stack=${stack}`, '--format', '{{.ID}} {{.Label "io.baton.allocation"}} {{.Label "io.baton.service"}} {{.Label "io.baton.replica"}}']);
    if (r.code !== 0) continue; // engine down
    for (const line of r.stdout.trim().split('\n').filter(Boolean)) {
      const [id, allocation, service, replica] = line.split(' ') as [string, string, string, string];
      out.push({ host: h.name, id, allocation, service, replica });
    }
  }
  return out;
}

const slots = (rs: Running[], service: string) => rs.filter((r) => r.service === service).map((r) => Number(r.replica)).sort((a, b) => a - b);

t.test('services on three namespace hosts', { skip }, async (t) => {
  const tb = await Testbed.start({ hosts: 3, t });
  const dir = await mkdtemp(join(tmpdir(), 'baton-svc-'));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  // Secure, as by default: the CLI uses the admin credential the coordinator writes, agents its token.
  const env = { BATON_COORDINATOR: target, BATON_CONFIG: join(dir, 'c', 'admin.json') };
  process.env.BATON_CONFIG = env.BATON_CONFIG;
  let coordinator: Proc = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off']);
  t.teardown(() => coordinator.kill('SIGKILL'));
  const token = await joinTokenOf(coordinator);
  const agents = new Map<string, ChildProcess>();
  const startAgent = (h: TestbedHost) => {
    const a = h.spawn(process.execPath, [BATON_BIN, 'agent', '--coordinator', `${tb.coordinatorAddress}:${port}`, '--name', h.name, '--labels', `host=${h.index}`, '--data-dir', join(h.dir, 'agent')], { env: { BATON_LOG_LEVEL: 'warn', BATON_TOKEN: token } });
    agents.set(h.name, a);
  };
  tb.hosts.forEach(startAgent);
  t.teardown(() => agents.forEach((a) => a.kill('SIGKILL')));
  await waitFor('3 ready nodes', async () => (await listNodes(target)).filter((n) => n.status === 'ready' && n.usage).length === 3, 30_000);

  const stack = 'shop';
  const file = join(dir, 'compose.yaml');
  await writeFile(file, `name: ${stack}
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 2s
    deploy:
      replicas: 3
      placement:
        max_replicas_per_node: 1
      resources:
        limits: { cpus: "0.25", memory: 32M }
      restart_policy: { condition: any, delay: 200ms }
  worker:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 2s
    deploy:
      replicas: 2
      resources:
        reservations: { cpus: "0.1", memory: 16M }
`);

  await t.test('deploy: containers run where the plan put them, with limits and labels', async (t) => {
    const r = await runBaton(['deploy', '-f', file, '--timeout', '60'], env);
    t.equal(r.code, 0, r.stdout + r.stderr);
    t.match(r.stdout, /all 5 replicas running/);
    const ps = JSON.parse((await runBaton(['ps', '--json'], env)).stdout) as { service: string; replica: number; node: string; containerId: string; state: string }[];
    t.equal(ps.length, 5);
    const real = await runningOn(tb.hosts, stack);
    t.equal(real.length, 5, 'five containers really run');
    for (const p of ps) {
      const c = real.find((x) => x.id === p.containerId.slice(0, 12));
      t.equal(c?.host, p.node, `${p.service}.${p.replica} runs on ${p.node}, the node Baton placed it on`);
    }
    t.equal(new Set(real.filter((x) => x.service === 'web').map((x) => x.host)).size, 3, 'max_replicas_per_node 1: web on three hosts');
    const web = real.find((x) => x.service === 'web')!;
    const inspect = JSON.parse((await tb.hosts.find((h) => h.name === web.host)!.docker(['inspect', web.id])).stdout)[0];
    t.equal(inspect.HostConfig.NanoCpus, 250_000_000, 'cpu limit');
    t.equal(inspect.HostConfig.Memory, 32 * 1024 * 1024, 'memory limit');
    t.equal(inspect.Config.Labels['io.baton.stack'], stack);
    t.ok(inspect.Config.Labels['io.baton.generation'], 'generation label');
  });

  await t.test('scale up, relative up, down', async (t) => {
    t.equal((await runBaton(['scale', 'worker=4'], env)).code, 0);
    await waitFor('4 workers', async () => slots(await runningOn(tb.hosts, stack), 'worker').join() === '1,2,3,4', 30_000);
    t.equal((await runBaton(['scale', 'worker=+2'], env)).code, 0);
    await waitFor('6 workers', async () => slots(await runningOn(tb.hosts, stack), 'worker').join() === '1,2,3,4,5,6', 30_000);
    t.equal((await runBaton(['scale', 'worker=-5'], env)).code, 0);
    await waitFor('1 worker', async () => slots(await runningOn(tb.hosts, stack), 'worker').join() === '1', 30_000);
    t.pass('worker scaled 2 -> 4 -> 6 -> 1 on the real engines');
  });

  await t.test('a killed container is restarted in place', async (t) => {
    const web = (await runningOn(tb.hosts, stack)).find((x) => x.service === 'web' && x.replica === '1')!;
    const host = tb.hosts.find((h) => h.name === web.host)!;
    await host.docker(['kill', web.id]);
    await waitFor('web.1 running again', async () => (await runningOn([host], stack)).some((x) => x.allocation === web.allocation), 20_000);
    const again = (await runningOn(tb.hosts, stack)).filter((x) => x.service === 'web' && x.replica === '1');
    t.same(again.map((x) => [x.host, x.id]), [[web.host, web.id]], 'same container, same host');
  });

  await t.test('a dead host: its replicas run elsewhere; back again: its stale containers are removed', async (t) => {
    const victim = tb.host(1);
    const before = await runningOn(tb.hosts, stack);
    const lost = before.filter((x) => x.host === victim.name);
    t.ok(lost.length > 0, `${victim.name} ran ${lost.length} replicas`);
    agents.get(victim.name)!.kill('SIGKILL');
    await victim.killEngine();
    // web has max_replicas_per_node 1 and only two hosts remain: web.N of the dead host stays pending.
    const worker = lost.filter((x) => x.service === 'worker');
    await waitFor('worker replicas running elsewhere', async () => {
      const now = await runningOn(tb.hosts.filter((h) => h !== victim), stack);
      return worker.every((w) => now.some((x) => x.service === 'worker' && x.replica === w.replica));
    }, 30_000);
    const svc = JSON.parse((await runBaton(['services', '--json'], env)).stdout) as { name: string; pending: unknown[] }[];
    if (lost.some((x) => x.service === 'web')) t.equal(svc.find((s) => s.name === 'web')!.pending.length, 1, 'the web replica that has no free host is pending, with its reason');

    await victim.startEngine();
    startAgent(victim);
    await waitFor('converged: every slot runs exactly once', async () => {
      const now = await runningOn(tb.hosts, stack);
      const staleLeft = (await victim.docker(['ps', '-a', '--filter', `label=io.baton.stack=${stack}`, '--format', '{{.Label "io.baton.allocation"}}'])).stdout.split('\n').filter((a) => lost.some((l) => l.allocation === a && l.service === 'worker'));
      return slots(now, 'web').join() === '1,2,3' && slots(now, 'worker').join() === '1' && staleLeft.length === 0;
    }, 60_000, 250);
    t.pass('stale containers removed from the returned host, every slot once');
  });

  await t.test('a cut link: replicas move; link back: no replica runs twice', async (t) => {
    // Put the only worker on the host that will be cut, so something must move.
    const workerHost = (await runningOn(tb.hosts, stack)).find((x) => x.service === 'worker')!.host;
    const victim = tb.hosts.find((h) => h.name === workerHost)!;
    const others = tb.hosts.filter((h) => h !== victim);
    await victim.cut();
    await waitFor(`${victim.name} down`, async () => byName(await listNodes(target))[victim.name]?.status === 'down', 15_000);
    await waitFor('worker.1 running on another host during the cut', async () => slots(await runningOn(others, stack), 'worker').join() === '1', 30_000);
    t.pass(`worker.1 moved off ${victim.name} while its link was cut`);
    // The cut host's copy kept running unseen; both copies exist now.
    const hidden = await victim.docker(['ps', '--filter', `label=io.baton.stack=${stack}`, '--filter', 'label=io.baton.service=worker', '--format', '{{.ID}}']);
    t.ok(hidden.stdout.trim().length > 0, 'the stale copy still runs on the cut host (nothing could stop it)');
    await victim.restore();
    let lastSeen = '';
    await waitFor('converged after the cut', async () => {
      const now = await runningOn(tb.hosts, stack);
      lastSeen = now.map((x) => `${x.service}.${x.replica}@${x.host}`).sort().join(' ');
      const perSlot = new Map<string, number>();
      for (const x of now) perSlot.set(`${x.service}.${x.replica}`, (perSlot.get(`${x.service}.${x.replica}`) ?? 0) + 1);
      return slots(now, 'web').join() === '1,2,3' && slots(now, 'worker').join() === '1' && [...perSlot.values()].every((n) => n === 1);
    }, 60_000, 250).catch(async (err: Error) => {
      const ps = (await runBaton(['ps', '--all', '--json'], env)).stdout;
      throw new Error(`${err.message}; running: ${lastSeen}; baton ps: ${ps.replace(/\s+/g, ' ').slice(0, 3000)}`);
    });
    // Stays converged: the returned host's stale copy does not come back.
    await new Promise((r) => setTimeout(r, 3000));
    t.same(slots(await runningOn(tb.hosts, stack), 'worker'), [1], 'worker.1 runs exactly once after the link returns');
  });

  await t.test('coordinator kill -9 mid-deploy: converges with no duplicates', async (t) => {
    const file2 = join(dir, 'compose2.yaml');
    await writeFile(file2, `name: batch
services:
  job:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy:
      replicas: 6
`);
    const shopBefore = (await runningOn(tb.hosts, stack)).map((x) => x.id).sort();
    const r = await runBaton(['deploy', '-f', file2, '--detach'], env);
    t.equal(r.code, 0, r.stderr);
    await coordinator.kill('SIGKILL');
    coordinator = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off']);
    await waitFor('batch converged', async () => slots(await runningOn(tb.hosts, 'batch'), 'job').join() === '1,2,3,4,5,6', 60_000, 250);
    await new Promise((res) => setTimeout(res, 3000));
    const now = await runningOn(tb.hosts, 'batch');
    t.equal(now.length, 6, 'exactly six containers, no duplicates');
    t.same((await runningOn(tb.hosts, stack)).map((x) => x.id).sort(), shopBefore, 'the other stack kept the very same containers: no needless restarts');
  });

  await t.test('coordinator kill -9 mid-reschedule: converges, every slot once, stale copies removed', async (t) => {
    // The host running the most job replicas (bin-packing decides which).
    const jobs = await runningOn(tb.hosts, 'batch');
    const victim = [...tb.hosts].sort((a, b) => jobs.filter((x) => x.host === b.name).length - jobs.filter((x) => x.host === a.name).length)[0]!;
    const others = tb.hosts.filter((h) => h !== victim);
    const lost = jobs.filter((x) => x.host === victim.name).map((x) => x.replica);
    t.ok(lost.length > 0, `${victim.name} runs ${lost.length} job replicas`);
    agents.get(victim.name)!.kill('SIGKILL');
    await victim.killEngine();
    await waitFor(`${victim.name} down`, async () => byName(await listNodes(target))[victim.name]?.status === 'down', 15_000, 50);
    // The reschedule has just been decided: kill the coordinator in the middle of it.
    await coordinator.kill('SIGKILL');
    coordinator = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off']);
    await waitFor('jobs running on the other hosts', async () => slots(await runningOn(others, 'batch'), 'job').join() === '1,2,3,4,5,6', 60_000, 250);
    t.pass('all six job slots run on the remaining hosts after the restart');
    await victim.startEngine();
    startAgent(victim);
    await waitFor('converged with the host back', async () => {
      const now = await runningOn(tb.hosts, 'batch');
      return now.length === 6 && slots(now, 'job').join() === '1,2,3,4,5,6';
    }, 60_000, 250);
    await new Promise((r) => setTimeout(r, 3000));
    t.same(slots(await runningOn(tb.hosts, 'batch'), 'job'), [1, 2, 3, 4, 5, 6], 'each slot exactly once, stale copies on the returned host removed');
  });

  await t.test('a bad Compose file: clear error, nothing changed', async (t) => {
    const before = (await runBaton(['services', '--json'], env)).stdout;
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `name: ${stack}\nservices:\n  web:\n    image: x\n    deploy:\n      replicas: many\n`);
    const r = await runBaton(['deploy', '-f', bad], env);
    t.equal(r.code, 2);
    t.match(r.stderr, /bad\.yaml: services\.web\.deploy\.replicas/);
    t.equal((await runBaton(['services', '--json'], env)).stdout, before, 'services unchanged');
  });
});
