// The real agent process (built) applying an EndpointSet it receives and reporting its ingress: run
// inside a fresh network namespace (nsenter), so its `table ip baton` and held ports are that
// namespace's, linked to the scripted coordinator by a veth pair. Endpoint command -> rules in the
// kernel -> traffic through the VIP -> counters and port state in the next reports.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointSet } from '../../shared/model/ingress.js';
import { endpointSetToWire } from '../../shared/wire/ingress.js';
import { inCi, netnsAvailability, onPath } from '../fixtures/docker-env.js';
import { connectMany, createNetns, startServers } from '../fixtures/netns-tcp.js';
import { BATON_BIN, startProcess, waitFor } from '../fixtures/processes.js';
import { ScriptedCoordinator } from '../fixtures/scripted-coordinator.js';

const availability = await netnsAvailability();
const skip = !availability.ok ? availability.reason : onPath('nft') ? false : 'nft not found on PATH';
if (skip && inCi()) t.fail(`required test infrastructure unavailable in CI: ${skip}`);

// A /30 per run for the link between the host and the namespace.
const third = process.pid % 250;
const HOST_SIDE = `10.231.${third}.1`;
const NS_SIDE = `10.231.${third}.2`;
const VIP = '10.213.0.1';

t.test('the agent applies an endpoints command and reports its ingress', { skip }, async (t) => {
  const name = `btinga${process.pid}`;
  const ns = createNetns(name, ['10.99.0.1', '10.99.0.2']);
  t.teardown(() => ns.remove());
  const link = `bti${process.pid % 100000}`;
  execFileSync('ip', ['link', 'add', link, 'type', 'veth', 'peer', 'name', 'up0', 'netns', name]);
  t.teardown(() => execFileSync('ip', ['link', 'del', link], { stdio: 'ignore' }));
  execFileSync('ip', ['addr', 'add', `${HOST_SIDE}/30`, 'dev', link]);
  execFileSync('ip', ['link', 'set', link, 'up']);
  ns.run('ip', 'addr', 'add', `${NS_SIDE}/30`, 'dev', 'up0');
  ns.run('ip', 'link', 'set', 'up0', 'up');
  const servers = await startServers(ns, ['10.99.0.2:80:A']);
  t.teardown(() => servers.stop());

  const coord = await ScriptedCoordinator.start({ host: HOST_SIDE });
  t.teardown(() => coord.stop());
  const dir = await mkdtemp(join(tmpdir(), 'baton-ingress-agent-'));
  const agent = startProcess(ns.enter[0]!, [...ns.enter.slice(1), BATON_BIN, 'agent', '--insecure', '--coordinator', `${HOST_SIDE}:${coord.port}`, '--name', name, '--data-dir', join(dir, 'a')], { BATON_LOG_LEVEL: 'warn' });
  t.teardown(() => agent.kill('SIGKILL'));
  await waitFor('agent connected', () => coord.connected, 30_000);
  const reports = () => coord.received.filter((m) => m.body === 'report').map((m) => m.report!);
  await waitFor('a first report', () => reports().length > 0, 10_000);
  t.equal(reports().at(-1)?.ingress ?? null, null, 'no ingress part before a set arrived');

  const nodeId = coord.received.find((m) => m.body === 'hello')!.hello!.node_id;
  const set: EndpointSet = {
    version: 3,
    services: [
      {
        stack: 'web',
        service: 'api',
        vip: VIP,
        targetPorts: [{ port: 80, protocol: 'tcp' }],
        published: [{ published: 30080, target: 80, protocol: 'tcp' }],
        excluded: false,
        preferLocal: false,
        endpoints: [{ allocationId: 'alloc-a', nodeId, replica: 1, nodeAddress: '10.99.0.1', containerIp: '10.99.0.2', ports: [{ target: 80, hostPort: 49001, protocol: 'tcp' }] }],
      },
    ],
  };
  coord.send({ command: { command_id: 'ep-1', kind: 'endpoints', endpoints: endpointSetToWire(set) } });
  const ack = await waitFor('endpoints ack', () => coord.acks('ep-1')[0], 10_000);
  t.same(ack, { command_id: 'ep-1', ok: true, error: '', volumes: null }, agent.output());

  t.same(await connectMany(ns, VIP, 80, 3), ['A', 'A', 'A'], 'the VIP reaches the replica through the rules the agent applied');
  t.same(await connectMany(ns, '10.99.0.1', 30080, 2), ['A', 'A'], 'and the published port');
  t.same(await connectMany(ns, '127.0.0.1', 30080, 1), ['A'], 'and loopback, through the agent holding the port');
  const ingress = await waitFor(
    'a report counting the connections',
    () => {
      const r = reports().at(-1)?.ingress;
      return r && Number(r.counters[0]?.connections) >= 6 ? r : undefined;
    },
    15_000,
  );
  t.equal(Number(ingress.applied_version), 3);
  t.same(ingress.ports.map((p) => [p.published, p.state]), [[30080, 'serving']]);
  t.same(Number(ingress.counters[0]?.connections), 6, '3 VIP + 2 published + 1 loopback (relayed to the VIP)');
  t.ok(Number(ingress.counters[0]?.bytes) > 0, 'bytes counted');
  const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${agent.child.pid}/status`, 'utf8'))?.[1] ?? 0);
  t.comment(`agent RSS with a set applied, a port held and reports sampling counters: ${Math.round(rssKb / 102.4) / 10} MB`);
  t.match(ns.run('nft', 'list', 'table', 'ip', 'baton'), 'dnat to 10.99.0.2:80', "the agent's table is in its namespace");
});
