// Issue 9 on the multi-host testbed: the ingress on every host (published ports answered through
// any node, balanced over healthy replicas on any host), service discovery by name from inside a
// container, `mode: host` and `x-baton.ingress`, and zero downtime under continuous traffic (new
// and keep-alive connections) through rollouts, scale-down and a host's death. Clients run in the
// root namespace (the coordinator's side); what runs where is asked of each host's own engine, and
// which replica answered comes from the node-web body (its container's hostname = short id).
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { NODE_WEB_IMAGE, TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { runBaton, sleep, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';
import type { TestbedHost } from '../fixtures/testbed.js';
import { describeFailures, failuresStartedAfter, startTraffic, type TrafficOptions } from '../fixtures/traffic-client.js';

const skip = await testbedSkip(t);
/** Endpoint changes reach every node within one heartbeat interval (the coordinator's default: 1 s). */
const HEARTBEAT_MS = 1000;
const CHECK = 'healthcheck: { http: { port: 8080, path: /health }, interval: 1s, timeout: 1s, retries: 2 }';

/** One GET on a new connection: the replica that answered, or the error code. */
function fetchOnce(url: string): Promise<{ replica: string; version: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = get(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        try {
          const b = JSON.parse(body) as { replica: string; version: string };
          resolve({ replica: b.replica, version: b.version });
        } catch {
          resolve({ error: `HTTP ${res.statusCode} ${body.slice(0, 80)}` });
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

/** `n` requests on new connections, round-robin over `targets`, back to back. */
const sample = (targets: string[], n: number, o: Partial<TrafficOptions> = {}) =>
  startTraffic({ targets, keepAliveWorkers: 0, newConnectionWorkers: 2, maxRequests: n, pauseMs: 0, maxDurationMs: 30_000, ...o }).done;

t.test('ingress, discovery and zero downtime on three namespace hosts', { skip }, async (t) => {
  const c = await startCluster(3, { images: [TEST_IMAGE, NODE_WEB_IMAGE] });
  t.teardown(() => c.stop());
  const [h1, h2, h3] = [c.tb.host(1), c.tb.host(2), c.tb.host(3)];
  const url = (h: TestbedHost, port: number, path = '/') => `http://${h.ip}:${port}${path}`;
  const deploy = async (name: string, text: string) => {
    const file = join(c.dir, `${name}.yaml`);
    await writeFile(file, text);
    return runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
  };
  /** Short container ids of a service as each host's engine runs them, by host name. */
  const containers = async (stack: string, service: string) => (await c.running(c.tb.hosts, stack)).filter((r) => r.service === service);
  /** Every wanted replica healthy in `baton ps`, then one heartbeat more so every node has the endpoint set. */
  const serving = async (ref: string, n: number) => {
    await waitFor(`${n} healthy ${ref}`, async () => {
      const r = await runBaton(['ps', ref, '--json'], c.env);
      const rows = r.code === 0 ? (JSON.parse(r.stdout) as { health: string }[]) : [];
      return rows.length === n && rows.every((x) => x.health === 'healthy');
    }, 60_000, 250);
    await sleep(HEARTBEAT_MS + 500);
  };
  const ids = (rs: { id: string }[]) => rs.map((r) => r.id.slice(0, 12)).sort();

  // One stack for the routing cases; services are pinned with node.hostname constraints.
  const r = await deploy('ing', `name: ing
services:
  web:
    image: ${NODE_WEB_IMAGE}
    ports: ["8080:8080"]
    x-baton: { ${CHECK} }
    deploy:
      replicas: 3
      placement: { constraints: ["node.hostname != ${h3.name}"], max_replicas_per_node: 2 }
  pair:
    image: ${NODE_WEB_IMAGE}
    ports: ["8081:8080"]
    x-baton: { ${CHECK} }
    deploy:
      replicas: 2
      placement: { constraints: ["node.hostname == ${h2.name}"] }
  local:
    image: ${NODE_WEB_IMAGE}
    ports: ["8082:8080"]
    x-baton:
      ${CHECK}
      ingress: { prefer: local }
    deploy:
      replicas: 2
      placement: { constraints: ["node.hostname != ${h3.name}"], max_replicas_per_node: 1 }
  edge:
    image: ${NODE_WEB_IMAGE}
    ports: ["8083:8080"]
    x-baton:
      ${CHECK}
      ingress: { constraints: ["node.hostname == ${h1.name}"] }
    deploy:
      placement: { constraints: ["node.hostname == ${h2.name}"] }
  direct:
    image: ${NODE_WEB_IMAGE}
    ports: [{ target: 8080, published: 8095, mode: host }]
    x-baton: { ${CHECK} }
    deploy:
      placement: { constraints: ["node.hostname == ${h3.name}"] }
`);
  t.equal(r.code, 0, r.stdout + r.stderr);
  if (r.code !== 0) return;
  await Promise.all([serving('ing/web', 3), serving('ing/pair', 2), serving('ing/local', 2), serving('ing/edge', 1), serving('ing/direct', 1)]);

  await t.test('3 replicas on two hosts: answers through each of the three hosts, from all 3 replicas', async (t) => {
    const web = await containers('ing', 'web');
    t.same([...new Set(web.map((x) => x.host.name))].sort(), [h1.name, h2.name].sort(), 'Docker runs them on hosts 1 and 2 only');
    t.equal(web.length, 3);
    const all = ids(web);
    const s = await sample([h1, h2, h3].map((h) => url(h, 8080)), 150);
    t.equal(s.failed, 0, describeFailures(s));
    for (const h of [h1, h2, h3]) t.equal(s.byTarget[url(h, 8080)]?.ok, 50, `50 answers through ${h.name}${h === h3 ? ' (no replica there)' : ''}`);
    t.same(Object.keys(s.replicas).sort(), all, 'every replica answered');
    const via3 = await sample([url(h3, 8080)], 60);
    t.same(Object.keys(via3.replicas).sort(), all, `through ${h3.name} alone, all 3 replicas answer: ${JSON.stringify(via3.replicas)}`);
    // A published port on a node is the ingress's, never a container's: no replica binds 8080 on its host.
    for (const x of web) {
      const port = await x.host.docker(['port', x.id, '8080/tcp']);
      t.notMatch(port.stdout, /:8080\b/, `${x.id} on ${x.host.name} publishes 8080 on an ephemeral host port (${port.stdout.trim()})`);
    }
  });

  await t.test('two replicas of one published service on one host, both serving', async (t) => {
    const pair = await containers('ing', 'pair');
    t.equal(pair.length, 2, 'Docker runs two');
    t.ok(pair.every((x) => x.host === h2), `both on ${h2.name}: ${pair.map((x) => x.host.name).join(', ')}`);
    const s = await sample([url(h2, 8081), url(h1, 8081)], 60);
    t.equal(s.failed, 0, describeFailures(s));
    t.same(Object.keys(s.replicas).sort(), ids(pair), 'both answer, through their host and through another');
  });

  await t.test('x-baton.ingress prefer: local answers from the local replica; a node without one balances over all', async (t) => {
    const local = await containers('ing', 'local');
    t.equal(local.length, 2);
    for (const h of [h1, h2]) {
      const s = await sample([url(h, 8082)], 20);
      t.equal(s.failed, 0, describeFailures(s));
      t.same(Object.keys(s.replicas), ids(local.filter((x) => x.host === h)), `through ${h.name}: only its own replica`);
    }
    const s = await sample([url(h3, 8082)], 40);
    t.same(Object.keys(s.replicas).sort(), ids(local), `through ${h3.name} (none local): both`);
  });

  await t.test('x-baton.ingress constraints: only matching nodes accept the published port', async (t) => {
    const edge = await containers('ing', 'edge');
    t.ok(edge.length === 1 && edge[0]!.host === h2, 'the replica runs on host 2');
    const via1 = await fetchOnce(url(h1, 8083));
    t.same('replica' in via1 && via1.replica, edge[0]!.id.slice(0, 12), `host 1 (matching) forwards to it: ${JSON.stringify(via1)}`);
    for (const h of [h2, h3]) t.same(await fetchOnce(url(h, 8083)), { error: 'ECONNREFUSED' }, `${h.name} does not match: refused`);
  });

  await t.test('mode: host binds the host port in the container, on its host only', async (t) => {
    const [x] = await containers('ing', 'direct');
    t.equal(x?.host, h3);
    t.match((await h3.docker(['port', x!.id, '8080/tcp'])).stdout, /:8095\b/, 'Docker published 8095 for the container itself');
    const via3 = await fetchOnce(url(h3, 8095));
    t.same('replica' in via3 && via3.replica, x!.id.slice(0, 12), 'answers on its own host');
    t.same(await fetchOnce(url(h1, 8095)), { error: 'ECONNREFUSED' }, 'no ingress for a host-mode port: another node refuses');
  });

  await t.test('from a container of service a on host 1, wget http://b:8080/ answers from b on host 3', async (t) => {
    const d = await deploy('disc', `name: disc
services:
  a:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy:
      placement: { constraints: ["node.hostname == ${h1.name}"] }
  b:
    image: ${NODE_WEB_IMAGE}
    expose: ["8080"]
    x-baton: { ${CHECK} }
    deploy:
      placement: { constraints: ["node.hostname == ${h3.name}"] }
`);
    t.equal(d.code, 0, d.stdout + d.stderr);
    await serving('disc/b', 1);
    const a = (await containers('disc', 'a'))[0];
    const b = await containers('disc', 'b');
    t.ok(a && a.host === h1, 'a runs on host 1');
    t.ok(b.length === 1 && b[0]!.host === h3, 'b runs on host 3 only');
    for (const name of ['b', 'b.disc']) {
      // busybox-static's `wget -T` segfaults (exit 139): bound it with the timeout applet instead.
      const w = await h1.docker(['exec', a!.id, 'timeout', '5', 'wget', '-q', '-O-', `http://${name}:8080/`]);
      t.equal(w.code, 0, `wget http://${name}:8080/ from a: ${w.stderr.trim()}`);
      t.match(w.stdout, new RegExp(`"replica":"${b[0]!.id.slice(0, 12)}"`), `answered by b's container: ${w.stdout.trim()}`);
    }
  });

  await t.test('networks scope names: a service resolves those it shares a network with, by name and alias, across hosts and stacks', async (t) => {
    const far = await deploy('nets2', `name: nets2
services:
  far:
    image: ${NODE_WEB_IMAGE}
    expose: ["8080"]
    x-baton: { ${CHECK} }
    networks:
      common: { aliases: [far-alias] }
    deploy:
      placement: { constraints: ["node.hostname == ${h2.name}"] }
networks:
  common: { external: true }
`);
    t.equal(far.code, 0, far.stdout + far.stderr);
    const d = await deploy('nets', `name: nets
services:
  client:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    networks: [back, common]
    deploy:
      placement: { constraints: ["node.hostname == ${h1.name}"] }
  api:
    image: ${NODE_WEB_IMAGE}
    expose: ["8080"]
    x-baton: { ${CHECK} }
    networks:
      back: { aliases: [backend] }
      front:
    deploy:
      placement: { constraints: ["node.hostname == ${h3.name}"] }
  other:
    image: ${NODE_WEB_IMAGE}
    expose: ["8080"]
    x-baton: { ${CHECK} }
    networks: [front]
    deploy:
      placement: { constraints: ["node.hostname == ${h2.name}"] }
networks:
  back: { driver: overlay }
  front:
  common: { external: true }
`);
    t.equal(d.code, 0, d.stdout + d.stderr);
    await serving('nets/api', 1);
    await serving('nets/other', 1);
    await serving('nets2/far', 1);
    const client = (await containers('nets', 'client'))[0];
    const api = (await containers('nets', 'api'))[0];
    const farC = (await containers('nets2', 'far'))[0];
    t.ok(client?.host === h1 && api?.host === h3 && farC?.host === h2, 'client on host 1, api on host 3, far on host 2');
    for (const [name, answers] of [['api', api], ['backend', api], ['api.nets', api], ['far.nets2', farC], ['far-alias', farC]] as const) {
      const w = await h1.docker(['exec', client!.id, 'timeout', '5', 'wget', '-q', '-O-', `http://${name}:8080/`]);
      t.equal(w.code, 0, `wget http://${name}:8080/ from client: ${w.stderr.trim()}`);
      t.match(w.stdout, new RegExp(`"replica":"${answers!.id.slice(0, 12)}"`), `${name} answered by its container`);
    }
    const hosts = (await h1.docker(['exec', client!.id, 'cat', '/etc/hosts'])).stdout;
    for (const name of ['other', 'other.nets', 'b', 'b.disc', 'far']) {
      t.notMatch(hosts, new RegExp(`\\s${name.replace('.', '\\.')}(\\s|$)`, 'm'), `${name} is not in client's /etc/hosts (no shared network)`);
    }
    // One name tried for real (each waits for the container's DNS to give up, so not all five).
    const w = await h1.docker(['exec', client!.id, 'timeout', '5', 'wget', '-q', '-O-', 'http://other:8080/']);
    t.not(w.code, 0, 'wget http://other:8080/ from client fails');
    t.equal((await runBaton(['rm', '--stack', 'nets'], c.env)).code, 0);
    t.equal((await runBaton(['rm', '--stack', 'nets2'], c.env)).code, 0);
  });

  // Zero downtime: 4 replicas spread over the three hosts, traffic through all three nodes.
  const zd = (version: string, replicas: number) => `name: zd
services:
  zd:
    image: ${NODE_WEB_IMAGE}
    environment: { VERSION: ${version} }
    ports: ["8090:8080"]
    stop_grace_period: 3s
    x-baton:
      placement: spread
      ${CHECK}
    deploy:
      replicas: ${replicas}
`;
  const through = (hs: TestbedHost[]): TrafficOptions => ({ targets: hs.map((h) => url(h, 8090)), keepAliveWorkers: 3, newConnectionWorkers: 3, maxDurationMs: 150_000, timeoutMs: 2000, pauseMs: 5 });

  await t.test('zero downtime: a rolling update with the defaults loses no request', async (t) => {
    const d = await deploy('zd', zd('v1', 4));
    t.equal(d.code, 0, d.stdout + d.stderr);
    await serving('zd/zd', 4);
    const run = startTraffic(through([h1, h2, h3]));
    await sleep(1000);
    const u = await deploy('zd', zd('v2', 4));
    t.equal(u.code, 0, u.stdout + u.stderr);
    await sleep(HEARTBEAT_MS + 1000);
    const s = await run.stop();
    t.equal(s.failed, 0, `0 failed requests during the update: ${describeFailures(s)}`);
    t.ok(s.reusedConnections > 100 && s.byMode.new.ok > 100, `both keep-alive (${s.reusedConnections} reused) and new connections (${s.byMode.new.ok}) were exercised`);
    const versions = new Set(Object.values(s.replicas).map((x) => x.version));
    t.same([...versions].sort(), ['v1', 'v2'], 'the traffic spanned both versions');
    const after = await sample([h1, h2, h3].map((h) => url(h, 8090)), 60);
    t.ok(after.failed === 0 && Object.values(after.replicas).every((x) => x.version === 'v2'), `afterwards only v2 answers: ${JSON.stringify(after.replicas)}`);
  });

  await t.test('zero downtime: scaling 4 -> 1 loses no request', async (t) => {
    const run = startTraffic(through([h1, h2, h3]));
    await sleep(1000);
    const s1 = await runBaton(['scale', 'zd/zd=1'], c.env);
    t.equal(s1.code, 0, s1.stdout + s1.stderr);
    await waitFor('one zd container left in Docker', async () => (await containers('zd', 'zd')).length === 1, 60_000, 200);
    await sleep(HEARTBEAT_MS + 1000);
    const s = await run.stop();
    t.equal(s.failed, 0, `0 failed requests during the scale-down: ${describeFailures(s)}`);
    const left = await containers('zd', 'zd');
    const after = await sample([h1, h2, h3].map((h) => url(h, 8090)), 30);
    t.same(Object.keys(after.replicas), ids(left), 'afterwards the one replica left answers everything');
  });

  await t.test("a replica's host dies: only requests in flight there fail, none once the node is down", async (t) => {
    const s3 = await runBaton(['scale', 'zd/zd=3'], c.env);
    t.equal(s3.code, 0, s3.stdout + s3.stderr);
    await serving('zd/zd', 3);
    const zdNow = await containers('zd', 'zd');
    const victim = zdNow.find((x) => x.host === h3) ? h3 : zdNow[0]!.host;
    const survivors = c.tb.hosts.filter((h) => h !== victim);
    // Power loss as the network sees it: the agent is gone and the link is silent.
    const run = startTraffic(through(survivors));
    await sleep(2000);
    const killAt = Date.now();
    c.agents.get(victim.name)!.kill('SIGKILL');
    await victim.cut();
    const downAt = await waitFor(`${victim.name} down`, async () => byName(await listNodes(c.target))[victim.name]?.status === 'down' && Date.now(), 30_000, 50);
    await sleep(5000);
    const s = await run.stop();
    const settledAt = downAt + HEARTBEAT_MS;
    // A keep-alive connection NATed to the dead host's replica is dead with it: the client's pool can
    // hold one idle and reuse it later (LIFO), and its one request then fails, as it would behind
    // kube-proxy or Swarm's mesh. Every other request started once the node is down must succeed.
    const dead = new Set(ids(zdNow.filter((x) => x.host === victim)));
    const late = failuresStartedAfter(s, settledAt);
    const stale = late.filter((f) => f.reusedSocket && f.lastReplica !== undefined && dead.has(f.lastReplica));
    t.same(
      late.filter((f) => !stale.includes(f)),
      [],
      `no request started ${HEARTBEAT_MS} ms after ${victim.name} went down failed, but on a connection to its replica (${s.failed} failed in all, ${stale.length} on such connections, down ${downAt - killAt} ms after the kill): ${describeFailures(s)}`,
    );
    t.ok(stale.length <= 3 * survivors.length, `each stale connection failed at most once (${stale.length}, at most ${3 * survivors.length} pooled)`);
    t.same(s.failures.filter((f) => f.endedAtMs < killAt), [], 'nothing failed before the host died');
    const answeredAfter = Object.values(s.replicas).filter((x) => x.lastAtMs > settledAt).length;
    t.ok(answeredAfter >= 1, `the surviving replicas kept answering after the node was down (${answeredAfter} did)`);
  });
});
