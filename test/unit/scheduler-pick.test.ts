// The placement pipeline for single replicas and small batches: which node wins and why.
import t from 'tap';
import {
  FILTERS,
  PlanState,
  binpackScore,
  ffdOrder,
  planBatch,
  spreadScore,
  type Plan,
} from '../../coordinator/scheduler/index.js';
import { GiB, constraint, node, replicas, req, seededRng, tcp } from '../fixtures/scheduler/builders.js';

const where = (plan: Plan): Record<string, string> =>
  Object.fromEntries(plan.placements.map((p) => [`${p.service}.${p.replica}`, p.nodeName]));

t.test('bin-pack picks the fullest node that still fits', async (t) => {
  const nodes = [
    node('empty'),
    // score: cpu (2000+1000)/4000 = 75, mem (4+1)/8 = 62.5 -> 68.75
    node('half', { reservedCpuMillis: 2000, reservedMemoryBytes: 4 * GiB }),
    // 3500 + 1000 > 4000: filtered out by cpu
    node('nearly-full', { reservedCpuMillis: 3500 }),
  ];
  t.same(where(planBatch(nodes, [req('web')])), { 'app/web.1': 'half' });
});

t.test('spread picks the emptiest node', async (t) => {
  const nodes = [node('half', { reservedCpuMillis: 2000, reservedMemoryBytes: 4 * GiB }), node('empty')];
  t.same(where(planBatch(nodes, [req('web', 1, { strategy: 'spread' })])), { 'app/web.1': 'empty' });
  const two = planBatch([node('a'), node('b')], replicas('web', 2, { strategy: 'spread' }));
  t.not(two.placements[0]!.nodeId, two.placements[1]!.nodeId, 'spread replicas land on different empty nodes');
});

t.test('availability: no second replica on a node when another used node fits equally well', async (t) => {
  // Three nodes at 50%; each 100m/256MiB replica adds cpu 100/16000 = 0.625 and mem 0.25/64 = 0.39
  // points, so the scores differ by well under SPREAD_TOLERANCE (1 point).
  const half = { cpuMillis: 16000, memoryBytes: 64 * GiB, reservedCpuMillis: 8000, reservedMemoryBytes: 32 * GiB };
  const nodes = [node('a', half), node('b', half), node('c', half)];
  const plan = planBatch(nodes, replicas('web', 3, { cpuMillis: 100, memoryBytes: 0.25 * GiB }));
  t.same(new Set(plan.placements.map((p) => p.nodeName)), new Set(['a', 'b', 'c']));
});

t.test('availability never costs an extra node', async (t) => {
  // b is empty: putting replica 2 there would open a node, so both go to the used node a.
  const nodes = [node('a', { reservedCpuMillis: 1000, reservedMemoryBytes: 1 * GiB }), node('b')];
  const plan = planBatch(nodes, replicas('web', 2, { cpuMillis: 500, memoryBytes: 0.5 * GiB }));
  t.same(where(plan), { 'app/web.1': 'a', 'app/web.2': 'a' });
});

t.test('availability yields to a clearly better fit', async (t) => {
  // a: 75% used, b: 25% used. Replica 2 on a scores cpu (3000+500+500)/4000 = 100, mem 50 -> 75
  // vs b: cpu (1000+500)/4000 = 37.5, mem 18.75 -> 28.1: far outside the 1-point tolerance.
  const nodes = [
    node('a', { reservedCpuMillis: 3000, reservedMemoryBytes: 3 * GiB }),
    node('b', { reservedCpuMillis: 1000, reservedMemoryBytes: 1 * GiB }),
  ];
  const plan = planBatch(nodes, replicas('web', 2, { cpuMillis: 500, memoryBytes: 0.5 * GiB }));
  t.same(where(plan), { 'app/web.1': 'a', 'app/web.2': 'a' });
});

t.test('exact ties go to the first node in snapshot order', async (t) => {
  const plan = planBatch([node('n1'), node('n2'), node('n3')], [req('web')]);
  t.equal(plan.placements[0]!.nodeName, 'n1');
});

t.test('only ready nodes receive work', async (t) => {
  const nodes = [node('down', { status: 'down' }), node('suspect', { status: 'suspect' }), node('ok', { cpuMillis: 1000 })];
  const plan = planBatch(nodes, replicas('web', 2));
  t.same(where(plan), { 'app/web.1': 'ok' });
  t.match(plan.unplaced[0]!.reason, /1 node down, 1 node suspect, 1 insufficient cpu/);
});

t.test('host ports and max_replicas_per_node spread a batch', async (t) => {
  const nodes = [node('a', { cpuMillis: 64000, memoryBytes: 64 * GiB }), node('b', { cpuMillis: 64000, memoryBytes: 64 * GiB })];
  const ports = planBatch(nodes, replicas('web', 3, { hostPorts: [tcp(80)] }));
  t.equal(ports.placements.length, 2, 'one replica per node with port 80');
  t.match(ports.unplaced[0]!.reason, /^0\/2 nodes fit: 2 host port 80 in use$/);
  const limited = planBatch(nodes, replicas('api', 4, { maxReplicasPerNode: 2 }));
  t.same(
    limited.placements.map((p) => p.nodeName).sort(),
    ['a', 'a', 'b', 'b'],
    'two per node even though one node could take all four',
  );
});

t.test('constraints restrict the candidate nodes', async (t) => {
  const nodes = [node('core-1', { labels: { zone: 'core' } }), node('edge-1', { labels: { zone: 'edge' } })];
  const plan = planBatch(nodes, [req('cache', 1, { constraints: [constraint('node.labels.zone==edge')] })]);
  t.same(where(plan), { 'app/cache.1': 'edge-1' });
});

t.test('largest first by the largest normalised dimension', async (t) => {
  const nodes = [node('a', { cpuMillis: 4000, memoryBytes: 8 * GiB })];
  const requests = [
    req('small', 1, { cpuMillis: 500, memoryBytes: 1 * GiB }), // max(500/4000, 1/8) = 0.125
    req('cpu', 1, { cpuMillis: 3000, memoryBytes: 1 * GiB }), // max(0.75, 0.125) = 0.75
    req('mem', 1, { cpuMillis: 500, memoryBytes: 4 * GiB }), // max(0.125, 0.5) = 0.5
    req('tie', 1, { cpuMillis: 1000, memoryBytes: 0 }), // max(0.25, 0) = 0.25
  ];
  t.same(ffdOrder(nodes, requests), [1, 2, 3, 0]);
});

t.test('placements and unplaced keep request order', async (t) => {
  const plan = planBatch([node('a')], [req('x', 1, { cpuMillis: 100 }), req('y', 1, { cpuMillis: 3000 }), req('z', 1, { cpuMillis: 100 })]);
  t.same(
    plan.placements.map((p) => p.service),
    ['app/x', 'app/y', 'app/z'],
  );
});

t.test('the indexed lookup finds the same best score as scanning every node', async (t) => {
  // Random heterogeneous, partly used clusters; one replica of a new service (no siblings), so the
  // pick is a pure argmax of the score over the nodes that pass every filter.
  let checked = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const rng = seededRng(seed);
    const nodes = Array.from({ length: 2 + Math.floor(rng() * 60) }, (_, i) => {
      const cpu = [1000, 2000, 4000, 8000, 16000, 48000][Math.floor(rng() * 6)]!;
      const mem = [1, 2, 4, 16, 64][Math.floor(rng() * 5)]! * GiB;
      return node(`n${i}`, {
        status: rng() < 0.1 ? 'down' : 'ready',
        cpuMillis: cpu,
        memoryBytes: mem,
        reservedCpuMillis: rng() < 0.7 ? Math.floor(rng() * cpu) : 0,
        reservedMemoryBytes: rng() < 0.7 ? Math.floor(rng() * mem) : 0,
      });
    });
    const strategy = rng() < 0.3 ? ('spread' as const) : ('binpack' as const);
    const r = req(`new-${seed}`, 1, { cpuMillis: Math.floor(rng() * 3000), memoryBytes: Math.floor(rng() * 3 * GiB), strategy });
    const s = new PlanState(nodes);
    let best = -Infinity;
    for (let j = 0; j < nodes.length; j++) {
      if (FILTERS.some((f) => f.check(s, j, r))) continue;
      const n = nodes[j]!;
      const f = strategy === 'spread' ? spreadScore : binpackScore;
      best = Math.max(best, f(n.cpuMillis, n.memoryBytes, s.freeCpuMillis[j]!, s.freeMemoryBytes[j]!, r.cpuMillis, r.memoryBytes));
    }
    const plan = planBatch(nodes, [r], { improveBudgetMs: 0 });
    if (best === -Infinity) {
      if (plan.placements.length !== 0) t.fail(`seed ${seed}: placed although nothing fits`);
      continue;
    }
    const j = nodes.findIndex((n) => n.id === plan.placements[0]?.nodeId);
    const n = nodes[j]!;
    const f = strategy === 'spread' ? spreadScore : binpackScore;
    const got = f(n.cpuMillis, n.memoryBytes, s.freeCpuMillis[j]!, s.freeMemoryBytes[j]!, r.cpuMillis, r.memoryBytes);
    if (Math.abs(got - best) > 1e-9) t.fail(`seed ${seed}: picked score ${got}, best ${best}`);
    checked++;
  }
  t.ok(checked > 300, `${checked} placements matched the brute-force best`);
});
