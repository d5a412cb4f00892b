// Batch improvement beyond first-fit-decreasing: fewer nodes, same filters, bounded and reproducible.
import t from 'tap';
import { planBatch } from '../../coordinator/scheduler/index.js';
import { constraint, node, nodesUsed, packingInput, planViolations, req, tripletInstance } from '../fixtures/scheduler/builders.js';

t.test('beats FFD on a t60-like triplet instance', async (t) => {
  // 20 triplets that each fill a 1000-unit node exactly: the optimum is 20 nodes.
  const sizes = tripletInstance(20, 11);
  const { nodes, requests } = packingInput(sizes, 1000);
  const greedy = planBatch(nodes, requests, { improveBudgetMs: 0 });
  const improved = planBatch(nodes, requests);
  t.equal(greedy.stats!.improveStop, 'skipped');
  t.ok(nodesUsed(greedy) > 20, `greedy (FFD) uses ${nodesUsed(greedy)} nodes`);
  t.ok(nodesUsed(improved) < nodesUsed(greedy), `improved uses ${nodesUsed(improved)}`);
  t.ok(nodesUsed(improved) <= 21, 'at most one node over the optimum');
  t.equal(improved.stats!.nodesUsed, nodesUsed(improved));
  t.equal(improved.stats!.lowerBound, 20, 'L1 bound: sum/capacity = 20000/1000');
  t.same(planViolations(nodes, requests, improved), []);
});

t.test('stops at the lower bound', async (t) => {
  const { nodes, requests } = packingInput(tripletInstance(8, 3), 1000);
  const plan = planBatch(nodes, requests);
  t.equal(plan.stats!.nodesUsed, 8);
  t.equal(plan.stats!.improveStop, 'lower-bound');
});

t.test('keeps every filter while moving replicas', async (t) => {
  const sizes = tripletInstance(12, 5);
  const base = packingInput(sizes, 1000);
  // Half the nodes are edge nodes; every third item must run there, every fifth must not share a
  // node with another replica of its service, and every seventh publishes port 80.
  const nodes = base.nodes.map((n, i) => ({ ...n, labels: { zone: i % 2 === 0 ? 'edge' : 'core' } }));
  const requests = base.requests.map((r, i) => ({
    ...r,
    service: i % 5 === 0 ? 'app/limited' : r.service,
    replica: i % 5 === 0 ? i + 1 : 1,
    constraints: i % 3 === 0 ? [constraint('node.labels.zone==edge')] : [],
    maxReplicasPerNode: i % 5 === 0 ? 1 : 0,
    hostPorts: i % 7 === 0 ? [{ port: 80, protocol: 'tcp' as const }] : [],
  }));
  const greedy = planBatch(nodes, requests, { improveBudgetMs: 0 });
  const plan = planBatch(nodes, requests);
  t.same(planViolations(nodes, requests, plan), []);
  t.ok(plan.stats!.nodesUsed <= greedy.stats!.nodesUsed, `${plan.stats!.nodesUsed} <= ${greedy.stats!.nodesUsed}`);
});

t.test('spread replicas are never packed together by improvement', async (t) => {
  const { nodes, requests } = packingInput(tripletInstance(6, 9), 1000);
  const spread = requests.map((r) => ({ ...r, service: 'app/spread', replica: Number(r.service.split('-')[1]) + 1, strategy: 'spread' as const }));
  const greedy = planBatch(nodes, spread, { improveBudgetMs: 0 });
  const plan = planBatch(nodes, spread);
  t.same(plan.placements, greedy.placements);
  t.equal(plan.stats!.improveStop, 'skipped');
});

t.test('nodes that already had work are never counted as freed', async (t) => {
  // Existing work on both nodes; the batch fits either way, nodes used stays 2.
  const nodes = [node('a', { reservedCpuMillis: 100 }), node('b', { reservedCpuMillis: 100 })];
  const plan = planBatch(nodes, [req('x', 1, { cpuMillis: 1000 }), req('y', 1, { cpuMillis: 1000 })]);
  t.equal(plan.stats!.nodesUsed, 2);
  t.equal(plan.stats!.lowerBound, 2);
});

t.test('the time budget is a safety net: a clock past the deadline stops improvement, plan stays valid', async (t) => {
  const { nodes, requests } = packingInput(tripletInstance(20, 11), 1000);
  let now = 0;
  // Every reading jumps an hour: the first check after the start is past any budget.
  const plan = planBatch(nodes, requests, { now: () => (now += 3_600_000) });
  t.equal(plan.stats!.improveStop, 'time-cap');
  t.same(planViolations(nodes, requests, plan), []);
});

t.test('the work cap bounds improvement and is reported', async (t) => {
  const { nodes, requests } = packingInput(tripletInstance(20, 11), 1000);
  const plan = planBatch(nodes, requests, { improveWorkCap: 500 });
  t.equal(plan.stats!.improveStop, 'work-cap');
  t.ok(plan.stats!.improveWork >= 500 && plan.stats!.improveWork < 50_000);
  t.equal(plan.stats!.improveWorkCap, 500);
  t.same(planViolations(nodes, requests, plan), []);
});

t.test('different seeds may differ, each is valid', async (t) => {
  const { nodes, requests } = packingInput(tripletInstance(20, 21), 1000);
  for (const seed of [1, 2, 3]) {
    const plan = planBatch(nodes, requests, { seed });
    t.same(planViolations(nodes, requests, plan), [], `seed ${seed}`);
    t.ok(plan.stats!.nodesUsed <= 21, `seed ${seed}: ${plan.stats!.nodesUsed} nodes`);
  }
});
