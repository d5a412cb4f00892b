// Replicas pinned to a node (a global service's, SwarmKit's preassigned tasks): placed on that node
// or nowhere, every filter still applied, placed before other replicas of the batch, explained by
// their node alone; and the plan invariants on random clusters with pinned replicas mixed in.
import t from 'tap';
import { explainUnplaced, ffdOrder, planBatch, type ReplicaRequest } from '../../coordinator/scheduler/index.js';
import { GiB, MiB, constraint, node, planViolations, req, seededRng, tcp } from '../fixtures/scheduler/builders.js';

const pinned = (service: string, replica: number, nodeId: string, over: Partial<ReplicaRequest> = {}) => req(service, replica, { ...over, nodeId });

t.test('each pinned replica goes to its node only, even where bin-packing would put them together', async (t) => {
  const nodes = [node('a', { reservedCpuMillis: 2000 }), node('b'), node('c')];
  const plan = planBatch(nodes, [pinned('agent', 1, 'a'), pinned('agent', 2, 'b'), pinned('agent', 3, 'c')]);
  t.same(plan.placements.map((p) => `${p.replica}@${p.nodeId}`), ['1@a', '2@b', '3@c']);
  t.same(plan.unplaced, []);
});

t.test('why a pinned replica does not fit: its node alone, with the filter\'s detail', async (t) => {
  const cases: { name: string; nodes: ReturnType<typeof node>[]; r: ReplicaRequest; reason: string; rejections: Record<string, number> }[] = [
    // free cpu: 4000 - 3500 = 500 millicores = 0.5 CPU
    { name: 'cpu', nodes: [node('a'), node('b', { reservedCpuMillis: 3500 })], r: pinned('agent', 2, 'b'), reason: 'node b: insufficient cpu (needs 1 CPU, 0.5 CPU free)', rejections: { cpu: 1 } },
    // free memory: 8 GiB - (8 GiB - 300 MiB) = 300 MiB
    { name: 'memory', nodes: [node('b', { reservedMemoryBytes: 8 * GiB - 300 * MiB })], r: pinned('agent', 1, 'b', { memoryBytes: 512 * MiB }), reason: 'node b: insufficient memory (needs 512 MiB, 300 MiB free)', rejections: { memory: 1 } },
    { name: 'host port', nodes: [node('b', { usedPorts: [tcp(9100)] })], r: pinned('agent', 1, 'b', { hostPorts: [tcp(9100)] }), reason: 'node b: host port 9100 in use', rejections: { 'host-port': 1 } },
    { name: 'status', nodes: [node('b', { status: 'suspect' })], r: pinned('agent', 1, 'b'), reason: 'node b: node suspect', rejections: { status: 1 } },
    { name: 'constraint', nodes: [node('b')], r: pinned('agent', 1, 'b', { constraints: [constraint('node.role==manager')] }), reason: 'node b: constraint node.role==manager', rejections: { constraint: 1 } },
    { name: 'node gone', nodes: [node('a')], r: pinned('agent', 1, 'zz'), reason: 'node zz is not in the pool', rejections: { node: 1 } },
  ];
  for (const c of cases) {
    const plan = planBatch(c.nodes, [c.r]);
    t.same(plan.placements, [], `${c.name}: not placed anywhere else`);
    t.equal(plan.unplaced[0]?.reason, c.reason, c.name);
    t.same(plan.unplaced[0]?.rejections, c.rejections, `${c.name}: counted once, under its filter`);
    t.equal(explainUnplaced(c.nodes, c.r).reason, c.reason, `${c.name}: explainUnplaced agrees`);
  }
});

t.test('pinned replicas are placed first: a replicated one that could go elsewhere does not take their room', async (t) => {
  // a: 2 CPU. The replicated replica (1.5 CPU, listed first, larger) would go to the fuller node a
  // under bin-pack and leave no room for a's pinned 1 CPU replica.
  const nodes = [node('a', { cpuMillis: 2000 }), node('b', { cpuMillis: 4000 })];
  const requests = [req('batch', 1, { cpuMillis: 1500 }), pinned('agent', 1, 'a'), pinned('agent', 2, 'b')];
  t.same(ffdOrder(nodes, requests), [1, 2, 0], 'pinned first, then largest first');
  const plan = planBatch(nodes, requests);
  t.same(plan.unplaced, []);
  t.same(plan.placements.map((p) => `${p.service}.${p.replica}@${p.nodeId}`).sort(), ['app/agent.1@a', 'app/agent.2@b', 'app/batch.1@b']);
});

t.test('repair moves a replicated replica aside for a pinned one, never the pinned one', async (t) => {
  // Planned together on full-ish nodes: the pinned replica must end up on its node.
  const nodes = [node('a', { cpuMillis: 2000 }), node('b', { cpuMillis: 2000 })];
  const requests = [pinned('agent', 1, 'a', { cpuMillis: 1500 }), req('w', 1, { cpuMillis: 1000 }), req('w', 2, { cpuMillis: 1000 })];
  const plan = planBatch(nodes, requests);
  t.same(planViolations(nodes, requests, plan), []);
  t.ok(plan.placements.some((p) => p.service === 'app/agent' && p.nodeId === 'a'), 'the pinned replica is on a');
});

t.test('invariants hold with pinned replicas mixed into random batches', async (t) => {
  let pinnedPlaced = 0, pinnedUnplaced = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const rng = seededRng(9000 + seed);
    const statuses = ['ready', 'ready', 'ready', 'suspect', 'down'] as const;
    const nodes = Array.from({ length: 2 + Math.floor(rng() * 12) }, (_, i) =>
      node(`n${i}`, {
        status: statuses[Math.floor(rng() * statuses.length)]!,
        labels: rng() < 0.5 ? { zone: 'edge' } : {},
        role: rng() < 0.3 ? 'manager' : 'worker',
        cpuMillis: [1000, 2000, 4000][Math.floor(rng() * 3)]!,
        reservedCpuMillis: rng() < 0.3 ? 500 : 0,
        usedPorts: rng() < 0.2 ? [tcp(9100)] : [],
      }),
    );
    const requests: ReplicaRequest[] = [];
    const cons = [[], [constraint('node.labels.zone==edge')], [constraint('node.role==manager')]][Math.floor(rng() * 3)]!;
    nodes.forEach((n, i) => requests.push(pinned('agent', i + 1, n.id, { cpuMillis: 250, memoryBytes: 64 * MiB, constraints: cons, hostPorts: rng() < 0.3 ? [tcp(9100)] : [] })));
    for (let r = 1; r <= Math.floor(rng() * 20); r++) requests.push(req('web', r, { cpuMillis: [250, 500, 1000][Math.floor(rng() * 3)]!, memoryBytes: 256 * MiB }));
    const plan = planBatch(nodes, requests, { seed, now: () => 0, improveWorkCap: 20_000 });
    const bad = planViolations(nodes, requests, plan);
    if (bad.length) t.fail(`seed ${seed}: ${bad.join('; ')}`);
    pinnedPlaced += plan.placements.filter((p) => p.service === 'app/agent').length;
    for (const u of plan.unplaced.filter((u) => u.service === 'app/agent')) {
      pinnedUnplaced++;
      if (!/^node n\d+: /.test(u.reason)) t.fail(`seed ${seed}: pinned reason names its node: ${u.reason}`);
    }
  }
  t.ok(pinnedPlaced > 200 && pinnedUnplaced > 50, `both outcomes exercised (${pinnedPlaced} placed, ${pinnedUnplaced} unplaced)`);
});
