// Issue 11: the stack files in examples/ (a voting app, a monitoring stack with a global node
// exporter, a reverse proxy reading the Docker socket), written for `docker stack deploy`, deploy
// unchanged with `baton deploy` on three namespace hosts with their own dockerd. What runs is read
// from each host's own engine: every service at its replica count (the global one on every host),
// the secret and the config mounted, named volumes made on the node that runs the replica, the
// socket bind-mounted read-only; then `baton rm` leaves nothing running and the volumes in place.
import t from 'tap';
import { join } from 'node:path';
import { testbedSkip } from '../fixtures/docker-env.js';
import { packageRoot } from '../../shared/grpc/load.js';
import { runBaton, waitFor } from '../fixtures/processes.js';
import { startCluster } from '../fixtures/testbed-cluster.js';

const skip = await testbedSkip(t);
const examples = join(packageRoot(), 'examples');

interface Expect {
  stack: string;
  /** service -> replicas (global: one per host). */
  replicas: Record<string, number | 'global'>;
}

const STACKS: Expect[] = [
  { stack: 'voting', replicas: { redis: 1, db: 1, vote: 2, result: 1, worker: 1 } },
  { stack: 'monitoring', replicas: { 'node-exporter': 'global', prometheus: 1, dashboard: 1 } },
  { stack: 'proxy', replicas: { proxy: 1, whoami: 2 } },
];

t.test('the examples/ stack files deploy unchanged on three hosts', { skip }, async (t) => {
  const c = await startCluster(3, { t });
  t.teardown(() => c.stop());
  const hosts = c.tb.hosts;
  for (const ex of STACKS) {
    const file = join(examples, ex.stack, 'compose.yaml');
    const r = await runBaton(['deploy', '-f', file, '--timeout', '120'], c.env);
    t.equal(r.code, 0, `${ex.stack}: baton deploy exits 0\n${r.stdout}\n${r.stderr}`);
    const want = (service: string) => (ex.replicas[service] === 'global' ? hosts.length : (ex.replicas[service] as number));
    const counts = async () => {
      const rs = await c.running(hosts, ex.stack);
      return Object.fromEntries(Object.keys(ex.replicas).map((s) => [s, rs.filter((x) => x.service === s).length]));
    };
    await waitFor(`${ex.stack} replicas running in Docker`, async () => Object.entries(await counts()).every(([s, n]) => n === want(s)), 60_000).catch(() => undefined);
    t.strictSame(await counts(), Object.fromEntries(Object.keys(ex.replicas).map((s) => [s, want(s)])), `${ex.stack}: each host's Docker runs the desired replicas`);
  }

  const running = async (stack: string, service: string) => (await c.running(hosts, stack)).filter((x) => x.service === service);
  // Global: exactly one node exporter per host.
  const exporters = await running('monitoring', 'node-exporter');
  t.strictSame(exporters.map((x) => x.host.name).sort(), hosts.map((h) => h.name).sort(), 'one node-exporter on every host');
  const exporter = exporters[0]!;
  const inspectOf = async (x: { host: (typeof hosts)[number]; id: string }) => JSON.parse((await x.host.docker(['inspect', x.id])).stdout)[0];
  const e = await inspectOf(exporter);
  t.match(e.Mounts.find((m: { Destination: string }) => m.Destination === '/host/proc'), { Type: 'bind', Source: '/proc', RW: false }, 'exporter reads the host /proc read-only');
  t.equal(e.HostConfig.ReadonlyRootfs, true);

  // The secret and the config are files in the containers; the volume is on the replica's node.
  const [db] = await running('voting', 'db');
  t.equal((await db!.host.docker(['exec', db!.id, 'cat', '/run/secrets/db_password'])).stdout.trim(), 'not-a-real-password', 'secret readable at /run/secrets');
  const dbVolumes = (await db!.host.docker(['volume', 'ls', '--filter', 'label=io.baton.stack=voting', '--format', '{{.Name}}'])).stdout.split('\n');
  t.ok(dbVolumes.includes('voting_db-data'), 'voting_db-data made on the node that runs db');
  const [prom] = await running('monitoring', 'prometheus');
  t.match((await prom!.host.docker(['exec', prom!.id, 'cat', '/etc/prometheus/prometheus.yml'])).stdout, 'scrape_interval: 15s', 'config mounted at its target');
  const p = await inspectOf(prom!);
  t.same(p.HostConfig.Ulimits, [{ Name: 'nofile', Soft: 4096, Hard: 8192 }]);
  t.match(p.HostConfig.LogConfig, { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
  const [vote] = await running('voting', 'vote');
  const v = await inspectOf(vote!);
  t.ok(v.Config.Env.includes('OPTION_A=Cats') && v.Config.Env.includes('REDIS_HOST=redis'), 'env_file variables in the vote container');
  // Networks as in Docker's example: vote (frontend) resolves redis and the worker, not db (backend).
  const hostsOf = async (x: { host: (typeof hosts)[number]; id: string }) => (await x.host.docker(['exec', x.id, 'cat', '/etc/hosts'])).stdout;
  const named = (text: string, name: string) => new RegExp(`\\s${name}(\\s|$)`, 'm').test(text);
  const voteHosts = await hostsOf(vote!);
  t.ok(named(voteHosts, 'redis') && named(voteHosts, 'worker') && !named(voteHosts, 'db') && !named(voteHosts, 'result'), `vote resolves redis and worker, not db or result:\n${voteHosts}`);
  const [worker] = await running('voting', 'worker');
  const workerHosts = await hostsOf(worker!);
  t.ok(['redis', 'db', 'vote', 'result', 'voting-worker'].every((n) => named(workerHosts, n)), `the worker, on both networks, resolves every service:\n${workerHosts}`);
  const dbHosts = await hostsOf(db!);
  t.ok(named(dbHosts, 'voting-worker') && !named(voteHosts, 'voting-worker'), "the worker's alias is on backend only: db resolves it, vote does not");
  const [proxy] = await running('proxy', 'proxy');
  const px = await inspectOf(proxy!);
  t.match(px.Mounts.find((m: { Destination: string }) => m.Destination === '/var/run/docker.sock'), { Type: 'bind', RW: false }, 'the proxy has the socket, read-only');
  const whoami = await running('proxy', 'whoami');
  t.equal(new Set(whoami.map((x) => x.host.name)).size, 2, 'max_replicas_per_node: 1 puts the two whoami replicas on two hosts');

  // Removing the stacks stops everything; named volumes stay (as docker stack rm).
  for (const ex of STACKS) {
    const r = await runBaton(['rm', '--stack', ex.stack], c.env);
    t.equal(r.code, 0, `baton rm --stack ${ex.stack}\n${r.stderr}`);
  }
  await waitFor('nothing running', async () => (await Promise.all(STACKS.map((ex) => c.running(hosts, ex.stack)))).every((rs) => rs.length === 0), 60_000).catch(() => undefined);
  for (const ex of STACKS) t.equal((await c.running(hosts, ex.stack)).length, 0, `${ex.stack}: no container left running`);
  const left = (await db!.host.docker(['volume', 'ls', '--format', '{{.Name}}'])).stdout.split('\n');
  t.ok(left.includes('voting_db-data'), 'named volume kept after baton rm');
});
