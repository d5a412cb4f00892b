// placement.preferences (`- spread: node.labels.zone`), as SwarmKit spreads: replicas even over the
// label's values, nodes without the label as one more group, existing replicas counted, a group
// that cannot take more skipped, several preferences nested in order.
import t from 'tap';
import { planBatch, type ReplicaRequest, type SchedNode } from '../../coordinator/scheduler/index.js';
import { node, planViolations, replicas } from '../fixtures/scheduler/builders.js';

const byLabel = (nodes: readonly SchedNode[], plan: ReturnType<typeof planBatch>, key: string) => {
  const out: Record<string, number> = {};
  for (const p of plan.placements) {
    const n = nodes.find((x) => x.id === p.nodeId)!;
    const v = n.labels[key] ?? '(none)';
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
};

const cases: { name: string; nodes: SchedNode[]; requests: ReplicaRequest[]; key: string; want: Record<string, number>; unplaced?: number }[] = [
  {
    // three groups (north, south, no zone): 6 / 3 = 2 each, although north has two nodes
    name: 'even over values, a node without the label is a group of its own',
    nodes: [node('a', { labels: { zone: 'north' } }), node('b', { labels: { zone: 'north' } }), node('c', { labels: { zone: 'south' } }), node('d')],
    requests: replicas('web', 6, { cpuMillis: 250, spread: ['zone'] }),
    key: 'zone',
    want: { north: 2, south: 2, '(none)': 2 },
  },
  {
    // north already runs 2: the 2 new ones even it out (south 1, none... north 2, south 2)
    name: 'replicas already running count',
    nodes: [node('a', { labels: { zone: 'north' }, replicasByService: { 'app/web': 2 } }), node('c', { labels: { zone: 'south' } })],
    requests: replicas('web', 2, { cpuMillis: 250, spread: ['zone'] }),
    key: 'zone',
    want: { south: 2 },
  },
  {
    // south fits one 1-CPU replica only (1.5 CPU): the rest go north, none unplaced
    name: 'a group that cannot take more is skipped',
    nodes: [node('a', { labels: { zone: 'north' } }), node('c', { labels: { zone: 'south' }, cpuMillis: 1500 })],
    requests: replicas('web', 4, { cpuMillis: 1000, spread: ['zone'] }),
    key: 'zone',
    want: { north: 3, south: 1 },
  },
  {
    name: 'nodes failing the constraints are no group',
    nodes: [node('a', { labels: { zone: 'north', tier: 'web' } }), node('b', { labels: { zone: 'south', tier: 'web' } }), node('c', { labels: { zone: 'east' } })],
    requests: replicas('web', 4, { cpuMillis: 250, spread: ['zone'], constraints: [{ attribute: 'node.labels.tier', op: '==', value: 'web', text: 'node.labels.tier==web' }] }),
    key: 'zone',
    want: { north: 2, south: 2 },
  },
];

t.test('spread preference', async (t) => {
  for (const c of cases) {
    const plan = planBatch(c.nodes, c.requests);
    t.same(planViolations(c.nodes, c.requests, plan), [], `${c.name}: a valid plan`);
    t.same(byLabel(c.nodes, plan, c.key), c.want, c.name);
    t.equal(plan.unplaced.length, c.unplaced ?? 0, `${c.name}: unplaced`);
  }
});

t.test('without the preference the same batch bin-packs onto one zone (what the preference changes)', async (t) => {
  const nodes = [node('a', { labels: { zone: 'north' } }), node('c', { labels: { zone: 'south' } })];
  const plan = planBatch(nodes, replicas('web', 2, { cpuMillis: 250 }).map((r) => ({ ...r, maxReplicasPerNode: 0 })));
  // The availability tie-break never opens an empty node under bin-pack.
  t.same(byLabel(nodes, plan, 'zone'), { north: 2 });
  const spread = planBatch(nodes, replicas('web', 2, { cpuMillis: 250, spread: ['zone'] }));
  t.same(byLabel(nodes, spread, 'zone'), { north: 1, south: 1 });
});

t.test('two preferences nest: even over zones, then over racks within each zone', async (t) => {
  const nodes = [
    node('n1', { labels: { zone: 'north', rack: 'r1' } }),
    node('n2', { labels: { zone: 'north', rack: 'r1' } }),
    node('n3', { labels: { zone: 'north', rack: 'r2' } }),
    node('s1', { labels: { zone: 'south', rack: 'r1' } }),
  ];
  const requests = replicas('web', 8, { cpuMillis: 250, spread: ['zone', 'rack'] });
  const plan = planBatch(nodes, requests);
  t.same(planViolations(nodes, requests, plan), []);
  t.same(byLabel(nodes, plan, 'zone'), { north: 4, south: 4 });
  const northRacks: Record<string, number> = {};
  for (const p of plan.placements) {
    const n = nodes.find((x) => x.id === p.nodeId)!;
    if (n.labels.zone === 'north') northRacks[n.labels.rack!] = (northRacks[n.labels.rack!] ?? 0) + 1;
  }
  t.same(northRacks, { r1: 2, r2: 2 }, 'north: 2 on rack r1 (two nodes), 2 on rack r2');
});

t.test('deterministic: the same input gives the same plan', async (t) => {
  const nodes = [node('a', { labels: { zone: 'x' } }), node('b', { labels: { zone: 'y' } }), node('c')];
  const requests = replicas('web', 7, { cpuMillis: 300, spread: ['zone'] });
  t.same(planBatch(nodes, requests), planBatch(nodes, requests));
});

t.test('through the control loop: a deploy, a scale-up and a lost zone', async (t) => {
  const { Harness } = await import('../fixtures/harness.js');
  const h = new Harness();
  h.join('n1', { labels: { zone: 'a' } });
  h.join('n2', { labels: { zone: 'a' } });
  h.join('n3', { labels: { zone: 'b' } });
  h.reportAll();
  const text = (n: number) => `name: shop\nservices:\n  web:\n    image: nginx\n    deploy:\n      replicas: ${n}\n      placement:\n        preferences:\n          - spread: node.labels.zone\n`;
  const zones = () => {
    const out: Record<string, number> = {};
    for (const p of h.placed()) {
      const z = p.endsWith('@n3') ? 'b' : 'a';
      out[z] = (out[z] ?? 0) + 1;
    }
    return out;
  };
  await h.stacks.deploy({ text: text(4), file: 'compose.yaml', stackName: undefined, env: {} });
  t.same(zones(), { a: 2, b: 2 }, '4 replicas: 2 per zone, though zone a has two nodes');
  h.reportAll();
  await h.stacks.scale('web', '6');
  t.same(zones(), { a: 3, b: 3 }, 'scaled to 6: the two new ones keep the zones even');
  h.silence('n3');
  h.advance(6000);
  await h.round();
  t.same(zones(), { a: 6 }, 'zone b lost: its replicas go to the zone left (a preference, not a constraint)');
});
