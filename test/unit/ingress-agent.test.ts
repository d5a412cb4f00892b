// The agent's ingress, the parts that need no kernel changes: the nftables renderer (every rendered
// script is checked by `nft -c`, which parses and validates against the kernel without applying),
// service index assignment, the conntrack parser, the report, the local verdict, the port holder,
// and the observer's / create options' ingress fields. The rules' behaviour is test/docker/ingress-nft.test.ts.
import t, { type Test } from 'tap';
import { createServer } from 'node:net';
import { ipAddressOf, publishedPorts } from '../../agent/docker-observer.js';
import { createOptions } from '../../agent/executor/docker/create-options.js';
import { parseConntrack } from '../../agent/ingress/conntrack.js';
import { Ingress, localVerdict } from '../../agent/ingress/ingress.js';
import { createLogger } from '../../shared/logger.js';
import { ok } from '../../shared/result.js';
import { Nft, parseCounters } from '../../agent/ingress/nft.js';
import { PortHolders } from '../../agent/ingress/port-holder.js';
import { buildReport } from '../../agent/ingress/report.js';
import { assignServiceIndexes, destinations, renderRuleset, MAX_TRIES, type LocalOverrides } from '../../agent/ingress/ruleset.js';
import type { Endpoint, EndpointSet, IngressService } from '../../shared/model/ingress.js';
import { onPath } from '../fixtures/docker-env.js';
import { replicaSpec } from '../fixtures/executor/replicas.js';

const NONE: LocalOverrides = { dropAllocationIds: new Set() };
const ep = (id: string, nodeId: string, nodeAddress: string, containerIp: string, hostPort: number, target = 8080): Endpoint => ({
  allocationId: id,
  nodeId,
  replica: 1,
  nodeAddress,
  containerIp,
  ports: [{ target, hostPort, protocol: 'tcp' }],
});
const svc = (over: Partial<IngressService> = {}): IngressService => ({
  stack: 'web',
  service: 'api',
  vip: '10.213.0.5',
  targetPorts: [{ port: 8080, protocol: 'tcp' }],
  published: [{ published: 30080, target: 8080, protocol: 'tcp' }],
  excluded: false,
  preferLocal: false,
  endpoints: [ep('a1', 'n1', '192.168.1.10', '172.17.0.2', 49153), ep('a2', 'n2', '192.168.1.11', '172.17.0.3', 49154)],
  ...over,
});
const setOf = (...services: IngressService[]): EndpointSet => ({ version: 7, services });
const render = (set: EndpointSet, overrides = NONE, portsInUse?: Set<number>) =>
  renderRuleset(set, 'n1', overrides, { table: 'baton_unit', serviceIndex: assignServiceIndexes(new Map(), set), portsInUse });

// `nft -c` needs root (CAP_NET_ADMIN) and nft; without them the text assertions still run.
const canCheck = onPath('nft') && process.getuid?.() === 0;
const nft = new Nft();
async function accepted(t: Test, script: string, what: string) {
  if (!canCheck) return t.pass(`nft -c unavailable (needs root and nft), not checked: ${what}`, { todo: true });
  t.same(await nft.check(script), { ok: true, value: undefined }, `nft -c accepts: ${what}`);
}

t.test('destinations: own replicas at the container address, others at node address + host port', async (t) => {
  t.same(destinations(svc(), 8080, 'n1', NONE), [
    { allocationId: 'a1', address: '172.17.0.2', port: 8080 },
    { allocationId: 'a2', address: '192.168.1.11', port: 49154 },
  ]);
  t.same(destinations(svc({ preferLocal: true }), 8080, 'n1', NONE), [{ allocationId: 'a1', address: '172.17.0.2', port: 8080 }], 'prefer_local with a local one: only it');
  t.same(destinations(svc({ preferLocal: true }), 8080, 'n3', NONE).length, 2, 'prefer_local without a local one: all');
  t.same(destinations(svc(), 8080, 'n1', { dropAllocationIds: new Set(['a1']) }), [{ allocationId: 'a2', address: '192.168.1.11', port: 49154 }], 'a local drop leaves it out');
  t.same(destinations(svc(), 9999, 'n2', NONE), [{ allocationId: 'a2', address: '172.17.0.3', port: 9999 }], 'no mapping for the port on a remote endpoint: left out; own one needs none');
  t.same(destinations(svc({ endpoints: [ep('a3', 'n1', '192.168.1.10', '', 1)] }), 8080, 'n1', NONE), [], 'own replica without a known container address: left out');
});

t.test('service indexes are stable and reuse the lowest free one', async (t) => {
  const a = assignServiceIndexes(new Map(), setOf(svc({ service: 'a' }), svc({ service: 'b' }), svc({ service: 'c' })));
  t.same([...a], [['web/a', 1], ['web/b', 2], ['web/c', 3]]);
  const b = assignServiceIndexes(a, setOf(svc({ service: 'c' }), svc({ service: 'd' }), svc({ service: 'a' })));
  // b left: d takes its index 2; a and c keep theirs whatever the order.
  t.same(Object.fromEntries(b), { 'web/c': 3, 'web/d': 2, 'web/a': 1 });
});

t.test('the rendered script', async (t) => {
  const r = render(setOf(svc(), svc({ service: 'db', vip: '10.213.0.6', targetPorts: [{ port: 5432, protocol: 'tcp' }], published: [], endpoints: [] })));
  const s = r.script;
  t.match(s, /^table ip baton_unit \{\}\ndelete table ip baton_unit\ntable ip baton_unit \{/, 'one transaction replacing the whole table');
  t.match(s, 'ip daddr 10.213.0.5 tcp dport 8080 jump svc_1_8080');
  t.match(s, 'fib daddr type local ip daddr != 127.0.0.0/8 tcp dport 30080 jump svc_1_8080', 'published port on local addresses, not loopback');
  t.match(s, 'ct mark set 0x80000001 counter name conns_1', 'Baton bit | service index 1, counted');
  t.match(s, 'numgen inc mod 2 vmap { 0 : goto svc_1_8080_0, 1 : goto svc_1_8080_1 }', 'round robin over two endpoints');
  // slot 1 -> 0x0001 << 16; slot 2 -> 0x0002 << 16; last resort adds bit 29 (0x20000000).
  t.match(s, 'ct mark set 0x80010001 ct mark & 0x1fffffff != @refused meta l4proto tcp dnat to 172.17.0.2:8080');
  t.match(s, 'ct mark set 0x80020001 ct mark & 0x1fffffff != @refused meta l4proto tcp dnat to 192.168.1.11:49154');
  t.match(s, 'ct mark set 0xa0010001 meta l4proto tcp dnat to 172.17.0.2:8080', 'last resort: chosen endpoint anyway');
  t.match(s, 'ip daddr 10.213.0.6 tcp dport 5432 meta l4proto tcp reject with tcp reset', 'no endpoints: reset');
  t.match(s, 'ip daddr 10.213.0.5 meta l4proto tcp reject with tcp reset\n', 'other ports of the VIP: reset');
  t.match(s, 'ct mark & 0x80000000 != 0 masquerade');
  t.match(s, 'type nat hook prerouting priority dstnat - 5;');
  t.match(s, 'type nat hook output priority -105;');
  t.match(s, 'type nat hook postrouting priority srcnat - 5;');
  t.match(s, 'counter name ct mark & 0x0000ffff map { 1 : "bytes_1", 2 : "bytes_2" }', 'bytes per service by mark');
  t.match(s, 'ct direction reply tcp flags & rst == rst ct mark & 0xe0000000 == 0x80000000 jump refused', 'an unanswered refusal that is not a last resort');
  t.match(s, 'add @refused { ct mark & 0x1fffffff }');
  t.same(
    r.counters.map((c) => [c.key, c.connections, c.bytes, c.refused]),
    [
      ['web/api', 'conns_1', 'bytes_1', 'refused_1'],
      ['web/db', 'conns_2', 'bytes_2', 'refused_2'],
    ],
  );
  await accepted(t, s, 'two services, one without endpoints');
});

t.test('variants render and pass nft -c', async (t) => {
  const one = render(setOf(svc({ endpoints: [ep('a1', 'n1', '192.168.1.10', '172.17.0.2', 49153)] }))).script;
  t.match(one, 'goto svc_1_8080_0', 'one endpoint: no numgen');
  t.notMatch(one, '@refused meta', 'one endpoint: nothing to skip to, straight to the last resort');
  await accepted(t, one, 'one endpoint');

  const excluded = render(setOf(svc({ excluded: true }))).script;
  t.notMatch(excluded, 'dport 30080', 'excluded: no published port rule');
  t.match(excluded, 'ip daddr 10.213.0.5 tcp dport 8080', 'excluded: the VIP still served');
  await accepted(t, excluded, 'excluded');

  const inUse = render(setOf(svc()), NONE, new Set([30080])).script;
  t.notMatch(inUse, 'dport 30080', 'port held by another process: left out');
  await accepted(t, inUse, 'port in use');

  const many = Array.from({ length: 6 }, (_, i) => ep(`e${i}`, 'n2', `192.168.1.${20 + i}`, '', 40000 + i));
  const six = render(setOf(svc({ endpoints: many }))).script;
  const chain3 = /chain svc_1_8080_3 \{\n([^}]*)\}/.exec(six)?.[1] ?? '';
  // Chosen 3: tries 3, 4, 5, 0 (MAX_TRIES = 4), then 3 as the last resort.
  t.equal(MAX_TRIES, 4);
  t.same(
    [...chain3.matchAll(/dnat to ([\d.]+):/g)].map((m) => m[1]),
    ['192.168.1.23', '192.168.1.24', '192.168.1.25', '192.168.1.20', '192.168.1.23'],
  );
  await accepted(t, six, 'six endpoints');

  const empty = render(setOf()).script;
  await accepted(t, empty, 'no services');
  const udp = render(setOf(svc({ targetPorts: [{ port: 53, protocol: 'udp' }], published: [{ published: 5353, target: 53, protocol: 'udp' }] }))).script;
  t.notMatch(udp, 'dport 53', 'UDP ports get no DNAT');
  await accepted(t, udp, 'UDP only');
  t.throws(() => renderRuleset(setOf(), 'n1', NONE, { table: 'bad name', serviceIndex: new Map() }));
});

t.test('conntrack lines -> open connections by reply source', async (t) => {
  const text = [
    // open to a replica at 172.17.0.2:8080 via DNAT from the VIP
    'ipv4     2 tcp      6 431999 ESTABLISHED src=172.17.0.5 dst=10.213.0.5 sport=40000 dport=8080 src=172.17.0.2 dst=172.17.0.1 sport=8080 dport=40000 [ASSURED] mark=2147549185 zone=0 use=2',
    'ipv4     2 tcp      6 119 SYN_SENT src=172.17.0.5 dst=10.213.0.5 sport=40001 dport=8080 [UNREPLIED] src=172.17.0.2 dst=172.17.0.1 sport=8080 dport=40001 mark=0 zone=0 use=2',
    'ipv4     2 tcp      6 59 SYN_RECV src=192.168.1.9 dst=192.168.1.10 sport=5000 dport=49153 src=172.17.0.2 dst=192.168.1.9 sport=8080 dport=5000 mark=0 zone=0 use=2',
    // closing: not counted
    'ipv4     2 tcp      6 110 TIME_WAIT src=172.17.0.5 dst=10.213.0.5 sport=40002 dport=8080 src=172.17.0.2 dst=172.17.0.1 sport=8080 dport=40002 [ASSURED] mark=0 zone=0 use=2',
    'ipv4     2 tcp      6 50 FIN_WAIT src=172.17.0.5 dst=10.213.0.5 sport=40003 dport=8080 src=172.17.0.2 dst=172.17.0.1 sport=8080 dport=40003 [ASSURED] mark=0 zone=0 use=2',
    // udp: not counted
    'ipv4     2 udp      17 28 src=172.17.0.5 dst=10.213.0.5 sport=53000 dport=53 src=172.17.0.3 dst=172.17.0.5 sport=53 dport=53000 mark=0 zone=0 use=2',
    // conntrack -L format (no "ipv4 2" prefix)
    'tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=22 src=10.0.0.2 dst=10.0.0.1 sport=22 dport=1 [ASSURED] mark=0 use=1',
    'ipv6     10 tcp      6 431999 ESTABLISHED src=::1 dst=::1 sport=1 dport=2 src=::1 dst=::1 sport=2 dport=1 [ASSURED] mark=0 zone=0 use=2',
    '',
    'garbage',
  ].join('\n');
  t.same(Object.fromEntries(parseConntrack(text)), { '172.17.0.2:8080': 3, '10.0.0.2:22': 1 }, 'ESTABLISHED + SYN_SENT + SYN_RECV to the replica: 3');
});

t.test('nft -j counters', async (t) => {
  const json = JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6' } },
      { table: { family: 'ip', name: 'baton', handle: 1 } },
      { counter: { family: 'ip', name: 'conns_1', table: 'baton', handle: 2, packets: 12, bytes: 720 } },
      { counter: { family: 'ip', name: 'bytes_1', table: 'baton', handle: 3, packets: 40, bytes: 9000 } },
    ],
  });
  const r = parseCounters(json);
  t.ok(r.ok);
  if (r.ok) t.same(Object.fromEntries(r.value), { conns_1: { packets: 12, bytes: 720 }, bytes_1: { packets: 40, bytes: 9000 } });
  t.notOk(parseCounters('not json').ok);
});

t.test('the report', async (t) => {
  const set = setOf(
    svc(),
    svc({ service: 'db', vip: '10.213.0.6', published: [{ published: 30432, target: 5432, protocol: 'tcp' }], targetPorts: [{ port: 5432, protocol: 'tcp' }], endpoints: [] }),
    svc({ service: 'edge', vip: '10.213.0.7', excluded: true, published: [{ published: 30443, target: 8080, protocol: 'tcp' }], endpoints: [ep('e1', 'n1', '192.168.1.10', '172.17.0.9', 49160)] }),
    svc({ service: 'dns', vip: '10.213.0.8', published: [{ published: 30053, target: 53, protocol: 'udp' }], targetPorts: [], endpoints: [ep('d1', 'n1', '192.168.1.10', '172.17.0.8', 49161, 53)] }),
  );
  const base = {
    set,
    appliedVersion: 7,
    nodeId: 'n1',
    overrides: NONE,
    holds: (p: number) => (p === 30080 ? ({ state: 'held' } as const) : undefined),
    applyError: '',
    // natted 12 with 2 refusals: 2 SYNs were NATed twice -> 10 connections
    totals: new Map([['web/api', { natted: 12, bytes: 5000, refused: 2 }]]),
    open: new Map([['172.17.0.2:8080', 3], ['172.17.0.3:8080', 9]]),
  };
  const r = buildReport(base);
  t.equal(r.appliedVersion, 7);
  t.same(
    r.ports.map((p) => [p.service, p.published, p.state]),
    [
      ['api', 30080, 'serving'],
      ['db', 30432, 'no-endpoints'],
      ['edge', 30443, 'excluded'],
      ['dns', 30053, 'error'],
    ],
  );
  t.same(r.counters[0], { stack: 'web', service: 'api', connections: 10, bytes: 5000, failedForwards: 2 });
  t.same(r.counters[1], { stack: 'web', service: 'db', connections: 0, bytes: 0, failedForwards: 0 });
  // a1 is own (172.17.0.2): 3; a2 is on n2: not reported here (its own node does); e1 own, none open;
  // d1 own with UDP only: nothing tracked.
  t.same(r.connections, { a1: 3, e1: 0, d1: 0 });

  const inUse = buildReport({ ...base, holds: (p: number) => (p === 30080 ? ({ state: 'port-in-use', error: 'port 30080 is held by another process' } as const) : undefined) });
  t.same(inUse.ports[0], { stack: 'web', service: 'api', published: 30080, protocol: 'tcp', state: 'port-in-use', error: 'port 30080 is held by another process' });
  const failed = buildReport({ ...base, applyError: 'nft: boom' });
  t.same([failed.error, failed.ports[0]?.state], ['nft: boom', 'error']);
  const dropped = buildReport({ ...base, overrides: { dropAllocationIds: new Set(['a1', 'a2']) } });
  t.equal(dropped.ports[0]?.state, 'no-endpoints', 'both dropped locally: nothing to forward to');
});

t.test('local verdict from an own replica status', async (t) => {
  const rows: [Parameters<typeof localVerdict>[0], string][] = [
    [{ state: 'running', health: undefined }, 'serve'],
    [{ state: 'running', health: 'none' }, 'serve'],
    [{ state: 'running', health: 'healthy' }, 'serve'],
    [{ state: 'running', health: 'starting' }, 'keep'],
    [{ state: 'running', health: 'unhealthy' }, 'drop'],
    [{ state: 'exited', health: undefined }, 'drop'],
    [{ state: 'stopped', health: undefined }, 'drop'],
    [{ state: 'starting', health: undefined }, 'drop'],
  ];
  for (const [s, want] of rows) t.equal(localVerdict(s), want, `${s.state}/${s.health}`);
});

t.test('port holder: holds a free port, reports one another process has', async (t) => {
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '0.0.0.0', r));
  const taken = (other.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '0.0.0.0', r));
  const free = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  const holders = new PortHolders();
  t.teardown(() => {
    holders.close();
    other.close();
  });
  await holders.sync([
    { published: taken, vip: '10.213.0.5', target: 80 },
    { published: free, vip: '10.213.0.5', target: 80 },
  ]);
  t.equal(holders.state(taken)?.state, 'port-in-use');
  t.equal(holders.state(free)?.state, 'held');
  t.same([...holders.inUse()], [taken]);
  // Now held: another listener on the same port fails.
  const late = createServer();
  const err = await new Promise<NodeJS.ErrnoException>((r) => late.once('error', r).listen(free, '0.0.0.0'));
  t.equal(err.code, 'EADDRINUSE', 'the held port is reserved against other processes');
  await holders.sync([]);
  t.equal(holders.state(free), undefined, 'no longer wanted: released');
});

t.test('observer ingress fields and ExtraHosts', async (t) => {
  t.equal(ipAddressOf({ bridge: { IPAddress: '172.17.0.4' } }), '172.17.0.4');
  t.equal(ipAddressOf({ none: { IPAddress: '' } }), '');
  t.equal(ipAddressOf(undefined), '');
  t.same(
    publishedPorts([
      { IP: '0.0.0.0', PrivatePort: 8080, PublicPort: 49153, Type: 'tcp' },
      { IP: '::', PrivatePort: 8080, PublicPort: 49153, Type: 'tcp' },
      { PrivatePort: 9090, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 53, PublicPort: 49154, Type: 'udp' },
      { IP: '0.0.0.0', PrivatePort: 8080, PublicPort: 49999, Type: 'tcp' },
    ]),
    [
      { target: 8080, hostPort: 49153, protocol: 'tcp' },
      { target: 53, hostPort: 49154, protocol: 'udp' },
    ],
    'IPv4 bindings with a host port, one per target/protocol',
  );
  const o = createOptions(replicaSpec('s', { extraHosts: { api: '10.213.0.5', 'api.web': '10.213.0.5' } }), 'n');
  t.same(o.HostConfig?.ExtraHosts, ['api:10.213.0.5', 'api.web:10.213.0.5']);
  t.equal(createOptions(replicaSpec('s'), 'n').HostConfig?.ExtraHosts, undefined, 'none: no ExtraHosts');
});

t.test('an endpoint taken out of the rules has its unanswered handshakes forgotten, so retransmits go elsewhere', async (t) => {
  // n1's own replica a1 at its container address, n2's a2 at its node address and host port.
  t.same([...render(setOf(svc())).routed].sort(), ['172.17.0.2:8080', '192.168.1.11:49154']);
  t.same([...render(setOf(svc()), { dropAllocationIds: new Set(['a1']) }).routed], ['192.168.1.11:49154'], 'a local drop is out too');
  const forgotten: string[] = [];
  const fakeNft = { apply: async () => ok(undefined), counters: async () => ok(new Map()), check: async () => ok(undefined), deleteTable: async () => ok(undefined) } as unknown as Nft;
  const ingress = new Ingress({
    nodeId: 'n1',
    log: createLogger('test', 'silent'),
    nft: fakeNft,
    holders: null,
    conntrack: async () => ok(''),
    forget: async (address, port) => {
      forgotten.push(`${address}:${port}`);
      return '';
    },
  });
  await ingress.update({ version: 1, services: [svc()] });
  t.same(forgotten, [], 'nothing was routed before the first set');
  await ingress.update({ version: 2, services: [svc({ endpoints: [ep('a1', 'n1', '192.168.1.10', '172.17.0.2', 49153)] })] });
  t.same(forgotten, ['192.168.1.11:49154'], "the other node's replica left the set: its unanswered handshakes are forgotten");
  await ingress.dropLocal('a1');
  t.same(forgotten, ['192.168.1.11:49154', '172.17.0.2:8080'], 'a local drop (the replica died) forgets its own too');
  await ingress.close();
});
