// The ingress read models (coordinator/ingress/endpoint-views.ts): a published port's state over the
// nodes for `baton services`, and what each node routes to for `baton endpoints`.
import t from 'tap';
import { endpointsView, ingressIndex, ingressSummaries } from '../../coordinator/ingress/endpoint-views.js';
import { endpointModel } from '../../coordinator/ingress/endpoints.js';
import type { NodeView } from '../../coordinator/node-pool.js';
import type { ObservedNow } from '../../coordinator/observed.js';
import type { IngressPortStateName, IngressReport } from '../../shared/model/ingress.js';
import { alloc, spec, stack, svc } from '../fixtures/reconcile/builders.js';

function view(n: number, over: Partial<NodeView> = {}, port?: IngressPortStateName, extra: Partial<IngressReport> = {}): NodeView {
  const ingress: IngressReport | undefined = port
    ? { appliedVersion: 5, ports: [{ stack: 'shop', service: 'web', published: 8080, protocol: 'tcp', state: port, error: '' }], counters: [], connections: {}, error: '', ...extra }
    : undefined;
  return {
    id: `n${n}`, name: `node-${n}`, address: `10.0.0.${n}`, labels: {}, capacity: { cpuMillis: 1000, memoryBytes: 1, diskBytes: 0 }, status: 'ready', statusSinceMs: 0,
    joinedAtMs: 0, lastSeenMs: 0, agentVersion: '', dockerVersion: '', lastReportMs: 0, connected: true, usage: undefined, dockerUp: true, dockerError: '', containers: [],
    ...(ingress ? { ingress } : {}), ...over,
  };
}

const running = (ip: string, hostPort: number): ObservedNow => ({
  state: 'running', containerId: 'c', cpuPercent: 0, memoryBytes: 0, health: 'none', healthOutput: '', exitCode: 0, ipAddress: ip, ports: [{ target: 80, hostPort, protocol: 'tcp' }],
});

function setUp(views: NodeView[], constraints = false) {
  const web = {
    ...svc({
      replicas: 2,
      spec: spec({
        replicas: 2, ports: [{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }],
        ...(constraints ? { ingress: { prefer: 'any' as const, constraints: [{ attribute: 'node.labels.edge', op: '==' as const, value: 'yes', text: 'node.labels.edge==yes' }] } } : {}),
      }),
    }),
    vip: '10.213.0.2',
  };
  const stacks = { shop: stack('shop', { web }) };
  const allocations = [alloc('a1', { service: 'web', replica: 1, node: 'n1' }), alloc('a2', { service: 'web', replica: 2, node: 'n2', desired: 'stop' })];
  const observed = new Map([['a1', running('172.17.1.2', 32001)], ['a2', running('172.17.2.2', 32002)]]);
  const model = endpointModel({ stacks, allocations, observed, nodes: views });
  return { svc: stacks.shop.services.web!, allocations, observed, model };
}

t.test('summary: serving nodes of those that should, endpoints, and each node problem named', async (t) => {
  const views = [
    view(1, {}, 'serving'),
    view(2, {}, 'port-in-use'),
    view(3, {}, 'serving', { error: 'nft: syntax error' }),
    view(4, { status: 'suspect' }, 'serving'),
    view(5),
  ];
  const s = setUp(views);
  const [p] = ingressSummaries(ingressIndex(s.model, views), 'shop', 'web', s.svc);
  // Should serve: node-1, -2, -3, -5 (ready, connected) = 4; suspect node-4 not. Serving: node-1, node-3 = 2.
  t.same(p, {
    published: 8080, target: 80, protocol: 'tcp', servingNodes: 2, nodes: 4, endpoints: 1,
    problems: ['node-2: port 8080 in use by another process', 'node-3: nft: syntax error'],
  });
});

t.test('summary: nodes that constraints leave out are not counted', async (t) => {
  const views = [view(1, { labels: { edge: 'yes' } }, 'serving'), view(2, {}, 'excluded'), view(3, { labels: { edge: 'yes' } }, 'port-in-use')];
  const s = setUp(views, true);
  const [p] = ingressSummaries(ingressIndex(s.model, views), 'shop', 'web', s.svc);
  // 3 ready nodes - node-2 excluded = 2 that should; node-1 serves.
  t.match(p, { servingNodes: 1, nodes: 2, problems: ['node-3: port 8080 in use by another process'] });
});

t.test("routes: each node's address for each replica, stopping ones shown but not serving", async (t) => {
  const views = [view(1, {}, 'serving', { connections: { a1: 3 } }), view(2, {}, 'serving')];
  const s = setUp(views);
  const v = endpointsView({ stack: 'shop', service: 'web', svc: s.svc, model: s.model, version: 9, views, allocations: s.allocations, observed: s.observed });
  t.same(v.nodes.map((n) => [n.node, n.currentVersion, n.appliedVersion]), [['node-1', 9, 5], ['node-2', 9, 5]]);
  t.same(v.nodes[0]!.routes, [
    { allocationId: 'a1', replica: 1, node: 'node-1', address: '172.17.1.2:80', healthy: true, serving: true, activeConnections: 3, local: true },
    { allocationId: 'a2', replica: 2, node: 'node-2', address: '10.0.0.2:32002', healthy: true, serving: false, activeConnections: 0, local: false },
  ]);
  t.same(v.nodes[1]!.routes.map((r) => [r.address, r.local]), [['10.0.0.1:32001', false], ['172.17.2.2:80', true]], 'from node-2 the other way round');
});
