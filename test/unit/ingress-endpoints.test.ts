// The endpoint model (coordinator/ingress/endpoints.ts): which replicas serve, the ports each
// service is reached on, per-node exclusions from x-baton.ingress.constraints, deterministic order.
import t from 'tap';
import { endpointModel, endpointSetFor, notServing, sameModel, type EndpointInput, type EndpointNode } from '../../coordinator/ingress/endpoints.js';
import type { ObservedNow } from '../../coordinator/observed.js';
import type { AllocationRecord, StackRecord } from '../../coordinator/store/schema.js';
import type { PortSpec } from '../../shared/compose/types.js';
import { alloc, spec, stack, svc } from '../fixtures/reconcile/builders.js';

const ingress = (target: number, published?: number): PortSpec => ({ target, protocol: 'tcp', mode: 'ingress', ...(published !== undefined ? { published } : {}) });

function node(id: string, over: Partial<EndpointNode> = {}): EndpointNode {
  return { id, name: id, address: `10.0.0.${id.slice(1)}`, status: 'ready', labels: {}, connected: true, ...over };
}

/** A running container without a check at 172.17.<n>.<replica>, its target 80 on host port 32000+replica. */
function running(a: AllocationRecord, over: Partial<ObservedNow> = {}): ObservedNow {
  return {
    state: 'running', containerId: `c-${a.id}`, cpuPercent: 0, memoryBytes: 0, health: 'none', healthOutput: '', exitCode: 0,
    ipAddress: `172.17.${a.nodeId.slice(1)}.${a.replica + 1}`, ports: [{ target: 80, hostPort: 32000 + a.replica, protocol: 'tcp' }], ...over,
  };
}

/** shop/web: VIP 10.213.0.2, `8080:80` ingress, 3 replicas on n1, n2, n3 (all running, no check). */
function base(): { stacks: Record<string, StackRecord>; allocations: AllocationRecord[]; observed: Map<string, ObservedNow>; nodes: EndpointNode[] } {
  const web = { ...svc({ replicas: 3, spec: spec({ replicas: 3, ports: [ingress(80, 8080)] }) }), vip: '10.213.0.2' };
  const allocations = [alloc('a1', { service: 'web', replica: 1, node: 'n1' }), alloc('a2', { service: 'web', replica: 2, node: 'n2' }), alloc('a3', { service: 'web', replica: 3, node: 'n3' })];
  return {
    stacks: { shop: stack('shop', { web }) },
    allocations,
    observed: new Map(allocations.map((a) => [a.id, running(a)])),
    nodes: [node('n1'), node('n2'), node('n3')],
  };
}

const endpointIds = (input: EndpointInput) => endpointModel(input).services[0]!.endpoints.map((e) => e.allocationId);

t.test('the common case: every serving replica, with both addresses, in one set for all nodes', async (t) => {
  const m = endpointModel(base());
  t.same(m.excluded, {}, 'no constraints: no node differs');
  t.same(m.services, [{
    stack: 'shop', service: 'web', vip: '10.213.0.2',
    targetPorts: [{ port: 80, protocol: 'tcp' }],
    published: [{ published: 8080, target: 80, protocol: 'tcp' }],
    excluded: false, preferLocal: false,
    endpoints: [1, 2, 3].map((r) => ({ allocationId: `a${r}`, nodeId: `n${r}`, replica: r, nodeAddress: `10.0.0.${r}`, containerIp: `172.17.${r}.${r + 1}`, ports: [{ target: 80, hostPort: 32000 + r, protocol: 'tcp' }] })),
  }]);
  t.equal(endpointSetFor(m, 7, 'n1').services, endpointSetFor(m, 7, 'n2').services, 'the very same services list for every node');
});

t.test('serving rules', async (t) => {
  // Each case changes a2 (on n2) and names whether it still serves; a1 and a3 always do.
  const cases: { name: string; change: (i: ReturnType<typeof base>) => void; serves: boolean; why?: string }[] = [
    { name: 'running, no check', change: () => {}, serves: true },
    { name: 'healthy', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { health: 'healthy' })), serves: true },
    { name: 'unhealthy', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { health: 'unhealthy' })), serves: false, why: 'unhealthy' },
    { name: 'health starting', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { health: 'starting' })), serves: false, why: 'unhealthy' },
    {
      name: 'spec has a check, container reports none yet',
      change: (i) => {
        const web = i.stacks.shop!.services.web!;
        web.spec = { ...web.spec, healthcheck: { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 1000, retries: 1, startPeriodMs: 0, disable: false } };
        for (const a of [i.allocations[0]!, i.allocations[2]!]) i.observed.set(a.id, running(a, { health: 'healthy' }));
      },
      serves: false,
      why: 'unhealthy',
    },
    { name: 'stopping (desired stop, container still running)', change: (i) => (i.allocations[1]!.desired = 'stop'), serves: false, why: 'stopping' },
    { name: 'container exited', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { state: 'exited' })), serves: false, why: 'not-running' },
    { name: 'no container reported', change: (i) => i.observed.delete('a2'), serves: false, why: 'no-container' },
    { name: 'node suspect', change: (i) => (i.nodes[1] = node('n2', { status: 'suspect' })), serves: false, why: 'node-not-ready' },
    { name: 'node down', change: (i) => (i.nodes[1] = node('n2', { status: 'down', connected: false })), serves: false, why: 'node-not-ready' },
    { name: 'node ready but its session gone', change: (i) => (i.nodes[1] = node('n2', { connected: false })), serves: false, why: 'node-not-ready' },
    { name: 'container ip unknown', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { ipAddress: '' })), serves: false, why: 'no-address' },
    { name: 'node address not IPv4', change: (i) => (i.nodes[1] = node('n2', { address: 'host-2.example' })), serves: false, why: 'no-address' },
    { name: 'host port of the target unknown', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { ports: [] })), serves: false, why: 'ports-unknown' },
    { name: 'host port known for another protocol only', change: (i) => i.observed.set('a2', running(i.allocations[1]!, { ports: [{ target: 80, hostPort: 32002, protocol: 'udp' }] })), serves: false, why: 'ports-unknown' },
  ];
  for (const c of cases) {
    const input = base();
    c.change(input);
    t.same(endpointIds(input), c.serves ? ['a1', 'a2', 'a3'] : ['a1', 'a3'], c.name);
    const web = input.stacks.shop!.services.web!;
    const a2 = input.allocations[1]!;
    t.equal(notServing(a2, input.observed.get('a2'), web.spec, input.nodes[1], [{ port: 80, protocol: 'tcp' }]), c.why, `${c.name}: reason`);
  }
});

t.test('ports: ingress targets and expose at the VIP, host ports left out, assigned published ports used', async (t) => {
  const input = base();
  const web = input.stacks.shop!.services.web!;
  web.spec = {
    ...web.spec,
    ports: [ingress(80, 8080), ingress(443), { target: 9000, published: 9000, protocol: 'tcp', mode: 'host' }],
    expose: [9090, 80],
  };
  web.assignedPorts = { '443/tcp': 30001 };
  for (const a of input.allocations) {
    input.observed.set(a.id, running(a, { ports: [{ target: 80, hostPort: 32100 + a.replica, protocol: 'tcp' }, { target: 443, hostPort: 32200 + a.replica, protocol: 'tcp' }, { target: 9090, hostPort: 32300 + a.replica, protocol: 'tcp' }, { target: 9000, hostPort: 9000, protocol: 'tcp' }] }));
  }
  const s = endpointModel(input).services[0]!;
  t.same(s.targetPorts, [{ port: 80, protocol: 'tcp' }, { port: 443, protocol: 'tcp' }, { port: 9090, protocol: 'tcp' }], 'sorted, each once; the host-mode port is not at the VIP');
  t.same(s.published, [{ published: 8080, target: 80, protocol: 'tcp' }, { published: 30001, target: 443, protocol: 'tcp' }], '443 on the port Baton assigned');
  t.same(s.endpoints[0]!.ports, [{ target: 80, hostPort: 32101, protocol: 'tcp' }, { target: 443, hostPort: 32201, protocol: 'tcp' }, { target: 9090, hostPort: 32301, protocol: 'tcp' }], 'only the ports the service is reached on');

  delete web.assignedPorts;
  t.same(endpointModel(input).services[0]!.published, [{ published: 8080, target: 80, protocol: 'tcp' }], 'an ingress port with no published port yet is not served on nodes');
});

t.test('services without a VIP are left out; prefer local is carried', async (t) => {
  const input = base();
  input.stacks.shop!.services.api = { ...svc({ spec: spec({ name: 'api', ports: [ingress(8000)] }) }) };
  const web = input.stacks.shop!.services.web!;
  web.spec = { ...web.spec, ingress: { prefer: 'local', constraints: [] } };
  const m = endpointModel(input);
  t.same(m.services.map((s) => s.service), ['web'], 'api has no VIP yet');
  t.equal(m.services[0]!.preferLocal, true);
});

t.test('constraints: nodes they leave out get the service excluded, with no published ports; others share one set', async (t) => {
  const input = base();
  input.nodes = [node('n1', { labels: { edge: 'true' } }), node('n2'), node('n3', { labels: { edge: 'TRUE' } })];
  const web = input.stacks.shop!.services.web!;
  web.spec = { ...web.spec, ingress: { prefer: 'any', constraints: [{ attribute: 'node.labels.edge', op: '==', value: 'true', text: 'node.labels.edge==true' }] } };
  const m = endpointModel(input);
  t.same(m.excluded, { n2: ['shop/web'] }, 'n2 has no edge label (case-insensitive match for n3, as the scheduler)');
  const n2 = endpointSetFor(m, 5, 'n2').services[0]!;
  t.equal(n2.excluded, true);
  t.same(n2.published, []);
  t.equal(n2.endpoints.length, 3, 'the VIP still works on n2: same endpoints');
  const n1 = endpointSetFor(m, 5, 'n1');
  t.equal(n1.services[0]!.excluded, false);
  t.equal(n1.services, endpointSetFor(m, 5, 'n3').services, 'n1 and n3 share the one set');
});

t.test('order is deterministic: equal content compares equal whatever the input order', async (t) => {
  const a = base();
  const b = base();
  b.allocations.reverse();
  b.nodes.reverse();
  b.observed = new Map([...b.observed].reverse());
  b.stacks = { zoo: stack('zoo', { b: { ...svc(), vip: '10.213.0.9' }, a: { ...svc(), vip: '10.213.0.8' } }), ...b.stacks };
  a.stacks = { ...a.stacks, zoo: stack('zoo', { a: { ...svc(), vip: '10.213.0.8' }, b: { ...svc(), vip: '10.213.0.9' } }) };
  const ma = endpointModel(a);
  t.same(ma.services.map((s) => `${s.stack}/${s.service}`), ['shop/web', 'zoo/a', 'zoo/b']);
  t.ok(sameModel(ma, endpointModel(b)), 'same content');
  // Usage is not content: a report that changes only CPU changes nothing.
  a.observed.set('a1', { ...a.observed.get('a1')!, cpuPercent: 55, memoryBytes: 123 });
  t.ok(sameModel(ma, endpointModel(a)), 'usage changes are not endpoint changes');
  a.observed.set('a1', running(a.allocations[0]!, { health: 'unhealthy' }));
  t.notOk(sameModel(ma, endpointModel(a)), 'an endpoint leaving is a change');
});

t.test('with the previous model: unchanged content is the previous objects, so comparing is a reference check', async (t) => {
  const input = base();
  input.stacks.shop!.services.api = { ...svc({ spec: spec({ name: 'api', ports: [ingress(8000, 8000)] }) }), vip: '10.213.0.3' };
  const first = endpointModel(input);
  t.equal(endpointModel(input, first), first, 'nothing changed: the previous model itself');
  input.observed.set('a2', running(input.allocations[1]!, { cpuPercent: 80 }));
  t.equal(endpointModel(input, first), first, 'usage only: still the previous model');
  input.observed.set('a2', running(input.allocations[1]!, { ipAddress: '172.17.2.9' }));
  const moved = endpointModel(input, first);
  t.not(moved, first, 'a new container address is a new model');
  t.notOk(sameModel(first, moved));
  const [api, web] = [moved.services[0]!, moved.services[1]!];
  t.equal(api, first.services[0], 'api did not change: the same object');
  t.not(web, first.services[1], 'web did');
  t.equal(web.endpoints[0], first.services[1]!.endpoints[0], "web's unchanged endpoints are reused");
  t.equal(web.endpoints[1]!.containerIp, '172.17.2.9');
  t.same(moved, endpointModel(input), 'the same content as computed from scratch');
});
