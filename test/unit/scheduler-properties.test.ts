// Property tests on seeded random clusters and batches: whatever the input, a plan never
// over-commits a node, never breaks a constraint, port or per-node limit, places or explains every
// replica, uses only ready nodes, and is the same plan for the same input and seed.
import t from 'tap';
import { planBatch, type ReplicaRequest, type SchedNode } from '../../coordinator/scheduler/index.js';
import { GiB, MiB, constraint, node, planViolations, seededRng } from '../fixtures/scheduler/builders.js';

function randomCluster(rng: () => number): SchedNode[] {
  const count = 3 + Math.floor(rng() * 25);
  const statuses = ['ready', 'ready', 'ready', 'ready', 'suspect', 'down'] as const;
  return Array.from({ length: count }, (_, i) => {
    const cpu = [2000, 4000, 8000, 16000][Math.floor(rng() * 4)]!;
    const mem = [2, 4, 8, 32][Math.floor(rng() * 4)]! * GiB;
    const used = rng() < 0.4;
    return node(`n${i}`, {
      status: statuses[Math.floor(rng() * statuses.length)]!,
      labels: rng() < 0.5 ? { zone: rng() < 0.5 ? 'edge' : 'core' } : {},
      os: 'linux',
      arch: rng() < 0.3 ? 'arm64' : 'amd64',
      cpuMillis: cpu,
      memoryBytes: mem,
      reservedCpuMillis: used ? Math.floor(rng() * cpu) : 0,
      reservedMemoryBytes: used ? Math.floor(rng() * mem) : 0,
      usedPorts: used && rng() < 0.3 ? [{ port: 80, protocol: 'tcp' }] : [],
      replicasByService: used && rng() < 0.3 ? { 'app/s0': 1 } : {},
    });
  });
}

function randomBatch(rng: () => number): ReplicaRequest[] {
  const out: ReplicaRequest[] = [];
  const services = 1 + Math.floor(rng() * 8);
  const constraints = [
    [],
    [],
    [constraint('node.labels.zone==edge')],
    [constraint('node.labels.zone!=edge')],
    [constraint('node.platform.arch==arm64')],
    [constraint('node.hostname!=n0'), constraint('node.labels.zone!=core')],
  ];
  for (let s = 0; s < services; s++) {
    const count = 1 + Math.floor(rng() * 8);
    const cpu = [100, 250, 500, 1000, 2000, 3000][Math.floor(rng() * 6)]!;
    const mem = [64, 256, 512, 1024, 2048][Math.floor(rng() * 5)]! * MiB;
    const svc = {
      service: `app/s${s}`,
      cpuMillis: cpu,
      memoryBytes: mem,
      hostPorts: rng() < 0.2 ? [{ port: rng() < 0.5 ? 80 : 443, protocol: 'tcp' as const }] : [],
      constraints: constraints[Math.floor(rng() * constraints.length)]!,
      maxReplicasPerNode: rng() < 0.3 ? 1 + Math.floor(rng() * 2) : 0,
      strategy: rng() < 0.2 ? ('spread' as const) : ('binpack' as const),
    };
    for (let r = 1; r <= count; r++) out.push({ ...svc, replica: r });
  }
  return out;
}

const frozenClock = (): number => 0;

t.test('invariants hold on 300 random clusters and batches', async (t) => {
  let placed = 0, unplaced = 0, improved = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const rng = seededRng(seed);
    const nodes = randomCluster(rng);
    const requests = randomBatch(rng);
    // A smaller work cap keeps 300 plans quick; improvement still runs and moves replicas.
    const plan = planBatch(nodes, requests, { seed, now: frozenClock, improveWorkCap: 50_000 });
    const bad = planViolations(nodes, requests, plan);
    if (bad.length > 0) t.fail(`seed ${seed}: ${bad.join('; ')}`);
    placed += plan.placements.length;
    unplaced += plan.unplaced.length;
    if (plan.stats!.nodesUsed < plan.stats!.greedyNodesUsed) improved++;
  }
  t.ok(placed > 1000 && unplaced > 50, `both outcomes exercised (${placed} placed, ${unplaced} unplaced)`);
  t.ok(improved > 0, `improvement changed ${improved} plans`);
});

t.test('same input and seed give the same plan', async (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    const rng = seededRng(1000 + seed);
    const nodes = randomCluster(rng);
    const requests = randomBatch(rng);
    // Two clocks that never reach the deadline, at different readings: the deterministic work cap
    // ends improvement, so nothing about the clock may leak into the plan. (With the real clock
    // the same holds unless the machine is several times slower than the cap assumes, e.g. under
    // coverage instrumentation on a loaded runner; then the time cap is a documented safety net.)
    const a = planBatch(nodes, requests, { seed, now: frozenClock });
    const b = planBatch(nodes, requests, { seed, now: () => 1e12 });
    t.same(b, a, `seed ${seed}`);
    t.not(a.stats!.improveStop, 'time-cap');
  }
});

t.test('a plan is a pure function of its inputs: nothing in the snapshot is mutated', async (t) => {
  const rng = seededRng(77);
  const nodes = randomCluster(rng);
  const requests = randomBatch(rng);
  const before = JSON.stringify({ nodes, requests });
  planBatch(nodes, requests);
  t.equal(JSON.stringify({ nodes, requests }), before);
});

t.test('invariants hold on larger batches that exercise improvement', async (t) => {
  for (let seed = 1; seed <= 20; seed++) {
    const rng = seededRng(500 + seed);
    const nodes = Array.from({ length: 40 }, (_, i) =>
      node(`m${i}`, { labels: { zone: i % 3 === 0 ? 'edge' : 'core' }, cpuMillis: 8000, memoryBytes: 16 * GiB }),
    );
    const requests = randomBatch(rng).concat(randomBatch(rng).map((r) => ({ ...r, service: `${r.service}-b` })));
    const plan = planBatch(nodes, requests, { seed, now: frozenClock });
    const bad = planViolations(nodes, requests, plan);
    if (bad.length > 0) t.fail(`seed ${seed}: ${bad.join('; ')}`);
    t.ok(plan.stats!.nodesUsed <= plan.stats!.greedyNodesUsed, `seed ${seed}: improvement never adds nodes`);
    t.ok(plan.stats!.nodesUsed >= plan.stats!.lowerBound, `seed ${seed}: lower bound is a bound`);
  }
});
