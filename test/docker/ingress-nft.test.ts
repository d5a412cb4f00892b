// The ingress's kernel rules for real: a fresh network namespace with real TCP servers, the agent's
// ingress controller applying its rendered nftables table in it (nft via nsenter), and real clients.
// Round robin over the service address and a published port on the node's own address, a refusing
// endpoint skipped without the client seeing an error, removal that spares an open connection,
// counters and conntrack in the report, and draining. No Docker needed.
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createLogger } from '../../shared/logger.js';
import type { EndpointSet, IngressService } from '../../shared/model/ingress.js';
import { fail, ok } from '../../shared/result.js';
import type { Command__Output } from '../../shared/grpc/gen/baton/v1/Command.js';
import { endpointSetToWire } from '../../shared/wire/ingress.js';
import { dockerFromEnv } from '../../agent/docker-observer.js';
import type { ConntrackSource } from '../../agent/ingress/conntrack.js';
import { Ingress } from '../../agent/ingress/ingress.js';
import { Worker } from '../../agent/worker.js';
import { Nft } from '../../agent/ingress/nft.js';
import { inCi, netnsAvailability, onPath } from '../fixtures/docker-env.js';
import { connectMany, createNetns, holdConnection, startServers, type Netns } from '../fixtures/netns-tcp.js';

const availability = await netnsAvailability();
const skip = !availability.ok ? availability.reason : onPath('nft') ? false : 'nft not found on PATH';
if (skip && inCi()) t.fail(`required test infrastructure unavailable in CI: ${skip}`);

const NODE = '10.99.0.1'; // this node's own address; also a "remote node" whose host port refuses
const A = '10.99.0.2'; // an own replica's container address (target 80)
const B = '10.99.0.3'; // another node's address (host port 8002)
const VIP = '10.213.0.1';

function service(endpoints: IngressService['endpoints']): IngressService {
  return {
    stack: 'web',
    service: 'api',
    vip: VIP,
    targetPorts: [{ port: 80, protocol: 'tcp' }],
    published: [{ published: 30080, target: 80, protocol: 'tcp' }],
    excluded: false,
    preferLocal: false,
    endpoints,
  };
}
const epA = { allocationId: 'alloc-a', nodeId: 'n1', replica: 1, nodeAddress: NODE, containerIp: A, ports: [{ target: 80, hostPort: 49001, protocol: 'tcp' as const }] };
const epB = { allocationId: 'alloc-b', nodeId: 'n2', replica: 2, nodeAddress: B, containerIp: '172.17.0.9', ports: [{ target: 80, hostPort: 8002, protocol: 'tcp' as const }] };
const epRefusing = { allocationId: 'alloc-r', nodeId: 'n3', replica: 3, nodeAddress: NODE, containerIp: '172.17.0.10', ports: [{ target: 80, hostPort: 8003, protocol: 'tcp' as const }] };
const set = (version: number, endpoints: IngressService['endpoints']): EndpointSet => ({ version, services: [service(endpoints)] });

const HOLDER = `
import { PortHolders } from ${JSON.stringify(new URL('../../agent/ingress/port-holder.ts', import.meta.url).pathname)};
const h = new PortHolders();
await h.sync([{ published: 30080, vip: ${JSON.stringify(VIP)}, target: 80 }]);
console.log(h.state(30080).state);
`;

/** The namespace's own connection table. */
const nsConntrack =
  (ns: Netns): ConntrackSource =>
  () =>
    new Promise((resolve) => execFile(ns.enter[0]!, [...ns.enter.slice(1), 'cat', '/proc/net/nf_conntrack'], { encoding: 'utf8' }, (err, out) => resolve(err ? fail(err.message) : ok(out))));

const count = (xs: readonly string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

t.test('nftables ingress in a network namespace', { skip }, async (t) => {
  const name = `bting${process.pid}`;
  const ns: Netns = createNetns(name, [NODE, A, B]);
  t.teardown(() => ns.remove());
  const servers = await startServers(ns, [`${A}:80:A`, `${B}:8002:B`]);
  t.teardown(() => servers.stop());
  const nft = new Nft({ command: [...ns.enter, 'nft'] });
  const ingress = new Ingress({
    nodeId: 'n1',
    log: createLogger('test', 'silent'),
    nft,
    holders: null,
    conntrack: nsConntrack(ns),
    sampleEveryMs: 2000,
  });
  t.teardown(() => ingress.close({ deleteTable: true }));

  t.same(await ingress.update(set(1, [epA, epB])), { ok: true }, 'the rendered table applies');
  const viaVip = await connectMany(ns, VIP, 80, 6);
  // numgen inc alternates: 6 connections, 3 to each.
  t.same(count(viaVip), { A: 3, B: 3 }, 'VIP:80 reaches the own replica (container address) and the other node (host port), in turn');
  const viaPublished = await connectMany(ns, NODE, 30080, 4);
  t.same(count(viaPublished), { A: 2, B: 2 }, 'the published port on the node address reaches both');
  t.same(await connectMany(ns, VIP, 81, 1), ['ERR ECONNREFUSED'], 'another port of the service address is refused, not routed out');
  // Loopback is not DNAT'd: the port holder (run inside the namespace) relays it to the VIP.
  const holder = spawn(ns.enter[0]!, [...ns.enter.slice(1), process.execPath, '--import', 'tsx', '--input-type=module', '-e', HOLDER], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => holder.kill('SIGKILL'));
  t.equal(await new Promise((r) => createInterface({ input: holder.stdout! }).once('line', r)), 'held', 'the holder holds 0.0.0.0:30080 in the namespace');
  t.same(count(await connectMany(ns, '127.0.0.1', 30080, 4)), { A: 2, B: 2 }, '127.0.0.1:30080 reaches both through the holder and the VIP');
  holder.kill('SIGKILL');

  t.same(await ingress.update(set(2, [epA, epB, epRefusing])), { ok: true });
  const withRefusing = await connectMany(ns, VIP, 80, 6);
  t.equal(withRefusing.filter((r) => r.startsWith('ERR')).length, 0, `a refusing endpoint is skipped: every connection succeeds (${withRefusing.join(',')})`);
  t.same(new Set(withRefusing), new Set(['A', 'B']), 'answers from both serving endpoints');
  const report = await ingress.report();
  t.equal(report?.appliedVersion, 2);
  const counters = report?.counters.find((c) => c.service === 'api');
  t.ok((counters?.failedForwards ?? 0) >= 1, `the refusal is counted as a failed forward (${counters?.failedForwards})`);
  // 6 (VIP) + 4 (published) + 4 (loopback, relayed to the VIP) through the first table, folded in when
  // it was replaced, + 6 since = 20; the port-81 refusal never reached a DNAT.
  t.equal(counters?.connections, 20, 'connections counted across the table replacement');
  t.ok((counters?.bytes ?? 0) > 0, 'bytes counted');
  t.same(report?.ports, [{ stack: 'web', service: 'api', published: 30080, protocol: 'tcp', state: 'serving', error: '' }]);

  t.same(await ingress.update(set(3, [epA, epB])), { ok: true });
  let held = await holdConnection(ns, VIP, 80);
  if (held.server !== 'A') {
    held.close();
    held = await holdConnection(ns, VIP, 80); // round robin: the next one goes to A
  }
  t.equal(held.server, 'A', 'a connection held open to the own replica');
  await new Promise((r) => setTimeout(r, 2100)); // past the report's 2 s sampling interval
  t.equal((await ingress.report())?.connections['alloc-a'], 1, 'conntrack shows the open connection to the own replica');

  const drained = ingress.drainBeforeStop('alloc-a', 1500);
  const afterDrop = await connectMany(ns, VIP, 80, 4);
  t.same(count(afterDrop), { B: 4 }, 'once dropped locally, new connections go to the others only');
  t.equal(await held.say('still-here'), 'still-here', 'the open connection to the dropped replica keeps working');
  t.equal((await drained).open, 1, 'the drain ran out of grace with the connection still open');

  held.close();
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await ingress.drainBeforeStop('alloc-a', 3000, { containerIp: A, targets: [80] })).open, 0, 'with the connection closed the drain finds none open');

  t.same(await ingress.update(set(4, [])), { ok: true });
  t.same(await connectMany(ns, VIP, 80, 1), ['ERR ECONNREFUSED'], 'no endpoints: refused at once');
  t.equal((await ingress.report())?.ports[0]?.state, 'no-endpoints');
});

t.test('worker: an endpoints command is applied at once, not behind a draining stop', { skip }, async (t) => {
  const name = `btingw${process.pid}`;
  const ns: Netns = createNetns(name, [NODE, A, B]);
  t.teardown(() => ns.remove());
  const servers = await startServers(ns, [`${A}:80:A`, `${B}:8002:B`]);
  t.teardown(() => servers.stop());
  // The real worker (its Docker client is used only by the stop, which finds no container: 404 is stopped).
  const worker = new Worker(dockerFromEnv(), 'n1', createLogger('test', 'silent'), () => undefined, () => true, {
    nft: new Nft({ command: [...ns.enter, 'nft'] }),
    holders: null,
    conntrack: nsConntrack(ns),
  });
  t.teardown(() => worker.close({ deleteIngressTable: true }));
  const command = (id: string, c: Partial<Command__Output>) => worker.handle({ command_id: id, ...c } as Command__Output);
  const endpoints = (id: string, s: EndpointSet) => command(id, { kind: 'endpoints', endpoints: endpointSetToWire(s) as Command__Output['endpoints'] });

  t.equal(await worker.ingressReport(), undefined, 'no ingress part before a set arrived');
  t.same(await endpoints('e1', set(5, [epA, epB])), { command_id: 'e1', ok: true, error: '' });
  t.same(await endpoints('e0', set(4, [epA])), { command_id: 'e0', ok: true, error: '' }, 'an older version is acknowledged, not applied');
  t.equal((await worker.ingressReport())?.appliedVersion, 5);
  let held = await holdConnection(ns, VIP, 80);
  if (held.server !== 'A') {
    held.close();
    held = await holdConnection(ns, VIP, 80);
  }
  t.teardown(() => held.close());
  t.equal(held.server, 'A');

  const order: string[] = [];
  // The stop drains alloc-a (its connection stays open, so for the whole 2.5 s grace) before stopping.
  const stop = command('s1', { kind: 'stop', stop: { allocation_id: 'alloc-a', stop_grace_ms: 2500, remove: false } as Command__Output['stop'] }).then((ack) => (order.push('stop'), ack));
  await new Promise((r) => setTimeout(r, 200));
  t.same(count(await connectMany(ns, VIP, 80, 2)), { B: 2 }, 'the draining replica is out of the rules at once');
  const update = endpoints('e2', set(6, [epB])).then((ack) => (order.push('endpoints'), ack));
  t.same(await update, { command_id: 'e2', ok: true, error: '' });
  t.equal((await worker.ingressReport())?.appliedVersion, 6, 'applied while the stop is still draining');
  t.same((await stop).ok, true, 'the stop completes after its drain');
  t.same(order, ['endpoints', 'stop'], 'the endpoints ack came before the draining stop finished');
  t.same(await endpoints('bad', { version: 0, services: [] }), { command_id: 'bad', ok: false, error: 'endpoints.version: expected a whole number ≥ 1, got 0' }, 'a bad set is refused with the field named');
});
