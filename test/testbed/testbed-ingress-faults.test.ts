// Issue 9's faults on the multi-host testbed: a published port another (non-Baton) process already
// holds on one host is an event and an error on that node while the other nodes serve it (and the
// squatter keeps its port: Baton's rules leave it alone); killing the replica under an open
// connection loses that connection only, and new connections go to the other replica at once; with
// the coordinator killed, every node keeps forwarding on its last endpoint set.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { NODE_WEB_IMAGE, TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, sleep, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';
import type { TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);
const CHECK = 'healthcheck: { http: { port: 8080, path: /health }, interval: 1s, timeout: 1s, retries: 2 }';

interface Answer { replica: string }

/** One GET: the replica that answered, or the error code. `agent` false: a new connection. */
function fetchVia(url: string, agent: Agent | false): Promise<Answer | { error: string }> {
  return new Promise((resolve) => {
    const req = get(url, { agent, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          resolve({ replica: (JSON.parse(body) as Answer).replica });
        } catch {
          resolve({ error: `HTTP ${res.statusCode} ${body.slice(0, 80)}` });
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

/** The first line a plain TCP connection to `host:port` reads (the squatter writes one at once). */
function firstLine(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port, timeout: 3000 });
    let data = '';
    s.on('data', (d) => {
      data += d.toString();
      if (data.includes('\n')) s.destroy();
    });
    s.on('close', () => resolve(data.split('\n')[0] ?? ''));
    s.on('timeout', () => s.destroy());
    s.on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code ?? err.message}`));
  });
}

t.test('ingress faults on three namespace hosts', { skip }, async (t) => {
  const c = await startCluster(3, { images: [TEST_IMAGE, NODE_WEB_IMAGE] });
  t.teardown(() => c.stop());
  const [h1, h2, h3] = [c.tb.host(1), c.tb.host(2), c.tb.host(3)];
  const url = (h: TestbedHost, port: number) => `http://${h.ip}:${port}/`;
  const deploy = async (name: string, text: string) => {
    const file = join(c.dir, `${name}.yaml`);
    await writeFile(file, text);
    return runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
  };
  const healthy = async (ref: string, n: number) => {
    await waitFor(`${n} healthy ${ref}`, async () => {
      const r = await runBaton(['ps', ref, '--json'], c.env);
      const rows = r.code === 0 ? (JSON.parse(r.stdout) as { health: string }[]) : [];
      return rows.length === n && rows.every((x) => x.health === 'healthy');
    }, 60_000, 250);
    // One heartbeat more: every node has the endpoint set with them.
    await sleep(1500);
  };

  await t.test('a published port another process holds on one host: an event and an error there, the others serve it', async (t) => {
    // Not Baton: a plain TCP server in host 2's namespace, on the port the service will publish.
    const squatter = h2.spawn(process.execPath, ['-e', "require('net').createServer((s) => s.end('squatter\\n')).listen(8090)"]);
    t.teardown(() => {
      squatter.kill('SIGKILL');
    });
    await waitFor('the squatter listening', async () => (await firstLine(h2.ip, 8090)) === 'squatter', 10_000, 200);

    const d = await deploy('sq', `name: sq
services:
  web:
    image: ${NODE_WEB_IMAGE}
    ports: ["8090:8080"]
    x-baton: { ${CHECK} }
    deploy:
      replicas: 2
      placement: { constraints: ["node.hostname != ${h2.name}"] }
`);
    t.equal(d.code, 0, d.stdout + d.stderr);
    await healthy('sq/web', 2);

    await waitFor('the port-in-use event', async () => {
      const ev = await runBaton(['events', '--json'], c.env);
      return ev.code === 0 && ev.stdout.includes('ingress.port') && ev.stdout.includes('port-in-use');
    }, 15_000, 300);
    const ev = (await runBaton(['events', '--json'], c.env)).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; node: string; to: string; reason: string; message: string });
    const inUse = ev.filter((e) => e.type === 'ingress.port' && e.to === 'port-in-use');
    t.same(inUse.map((e) => e.node), [h2.name], `only ${h2.name} reports the port in use: ${JSON.stringify(inUse)}`);
    t.match(inUse[0]?.message ?? '', /sq\/web 8090\/tcp/, 'the event names the service and the port');

    const svc = JSON.parse((await runBaton(['services', '--json'], c.env)).stdout) as { name: string; ingress: { published: number; problems: string[]; servingNodes: number; nodes: number }[] }[];
    const ing = svc.find((s) => s.name === 'web')?.ingress[0];
    t.match(ing?.problems.join('; ') ?? '', new RegExp(`${h2.name}: port 8090 in use by another process`), 'baton services names the node and the port');
    t.equal(ing?.servingNodes, 2, 'two of three nodes serve it');

    for (const h of [h1, h3]) {
      const a = await fetchVia(url(h, 8090), false);
      t.ok('replica' in a, `through ${h.name}: a Baton replica answers (${JSON.stringify(a)})`);
    }
    t.equal(await firstLine(h2.ip, 8090), 'squatter', `on ${h2.name} the squatter still has its port: Baton did not take it over`);
    t.equal(c.agents.get(h2.name)?.exitCode, null, `the agent on ${h2.name} is still running`);
    t.equal((await runBaton(['nodes', '--json'], c.env)).code, 0, 'the coordinator still answers');
    await runBaton(['rm', '--stack', 'sq'], c.env);
  });

  await t.test('the coordinator unreachable: every node keeps forwarding on its last endpoint set', async (t) => {
    const d = await deploy('cu', `name: cu
services:
  web:
    image: ${NODE_WEB_IMAGE}
    ports: ["8092:8080"]
    x-baton: { ${CHECK} }
    deploy:
      replicas: 2
      placement: { constraints: ["node.hostname != ${h3.name}"], max_replicas_per_node: 1 }
`);
    t.equal(d.code, 0, d.stdout + d.stderr);
    await healthy('cu/web', 2);
    const round = async (n: number) => {
      const answers: (Answer | { error: string })[] = [];
      for (let i = 0; i < n; i++) answers.push(await fetchVia(url([h1, h2, h3][i % 3]!, 8092), false));
      return answers;
    };
    await c.killCoordinator();
    // Past the agents' noticing: their streams broke and they retry with backoff.
    await sleep(4000);
    const during = await round(60);
    t.same(during.filter((a) => 'error' in a), [], 'no request fails through any of the three nodes while the coordinator is down');
    t.equal(new Set(during.map((a) => ('replica' in a ? a.replica : ''))).size, 2, 'both replicas keep answering');
    await c.startCoordinator();
    await waitFor('three ready nodes again', async () => {
      const r = await runBaton(['nodes', '--json'], c.env);
      return r.code === 0 && (JSON.parse(r.stdout) as { status: string }[]).filter((n) => n.status === 'ready').length === 3;
    }, 30_000, 250);
    // The restarted coordinator holds its first set back until the nodes are back, then sends it.
    await sleep(2500);
    const after = await round(30);
    t.same(after.filter((a) => 'error' in a), [], 'and none after it is back');
    await runBaton(['rm', '--stack', 'cu'], c.env);
  });

  await t.test('killing the replica under an open connection loses that connection only; new connections go to the other at once', async (t) => {
    const d = await deploy('kl', `name: kl
services:
  web:
    image: ${NODE_WEB_IMAGE}
    ports: ["8091:8080"]
    x-baton: { ${CHECK} }
    deploy:
      replicas: 2
      restart_policy: { condition: none }
      placement: { constraints: ["node.hostname != ${h3.name}"], max_replicas_per_node: 1 }
`);
    t.equal(d.code, 0, d.stdout + d.stderr);
    await healthy('kl/web', 2);

    // A keep-alive connection through host 3 (no replica there): which replica is it on?
    const keep = new Agent({ keepAlive: true, maxSockets: 1 });
    t.teardown(() => keep.destroy());
    const first = await fetchVia(url(h3, 8091), keep);
    t.ok('replica' in first, `the keep-alive connection is answered: ${JSON.stringify(first)}`);
    const victim = 'replica' in first ? first.replica : '';
    const again = await fetchVia(url(h3, 8091), keep);
    t.same(again, first, 'the same connection stays on the same replica');
    const running = await c.running([h1, h2], 'kl');
    const target = running.find((r) => r.id.startsWith(victim));
    t.ok(target, `the replica ${victim} runs on ${target?.host.name}`);
    const other = running.find((r) => r !== target);

    const kill = await target!.host.docker(['kill', target!.id]);
    t.equal(kill.code, 0, 'docker kill');
    // At once: new connections through every node, right after the kill.
    const after: (Answer | { error: string })[] = [];
    for (let i = 0; i < 30; i++) after.push(await fetchVia(url([h1, h2, h3][i % 3]!, 8091), false));
    const failed = after.filter((a) => 'error' in a);
    t.same(failed, [], `new connections right after the kill all succeed (${after.length})`);
    t.ok(after.every((a) => 'replica' in a && other && other.id.startsWith(a.replica)), `all answered by the other replica ${other?.id.slice(0, 12)}`);
    const onOld = await fetchVia(url(h3, 8091), keep);
    t.ok('error' in onOld || ('replica' in onOld && onOld.replica !== victim), `the old connection does not reach the killed replica: ${JSON.stringify(onOld)}`);
    await runBaton(['rm', '--stack', 'kl'], c.env);
  });
});
