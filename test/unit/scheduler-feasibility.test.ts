// One feasibility code path: the named filters that explain a rejection are the ones that decide.
// Seeded property tests on random mid-plan states (random replicas placed, some removed again):
// the fused fast path `fitsNow` agrees with DYNAMIC_FILTERS, and the whole placement lookup
// (static eligibility mask, capacity index, fitsNow) finds a node exactly when FILTERS pass one.
import t from 'tap';
import { NodeIndex } from '../../coordinator/scheduler/capacity-index.js';
import {
  DYNAMIC_FILTERS,
  FILTERS,
  STATIC_FILTERS,
  firstRejection,
  fitsNow,
  readyMask,
  staticEligibility,
} from '../../coordinator/scheduler/filters.js';
import { pickNode } from '../../coordinator/scheduler/pick.js';
import { PlanState, type FilterName, type HostPort, type ReplicaRequest, type SchedNode } from '../../coordinator/scheduler/index.js';
import type { Rng } from '../../shared/random.js';
import { GiB, MiB, constraint, node, seededRng } from '../fixtures/scheduler/builders.js';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const PORTS: readonly HostPort[] = [
  { port: 80, protocol: 'tcp' },
  { port: 80, protocol: 'udp' },
  { port: 443, protocol: 'tcp' },
];
const portsOf = (rng: Rng): HostPort[] => PORTS.filter(() => rng() < 0.25);

/**
 * Sizes on a coarse grid (250 millis, 256 MiB) so requests often equal the free capacity exactly;
 * some nodes are over-committed (reserved > capacity), as a snapshot can be after a node shrinks.
 */
function randomCluster(rng: Rng): SchedNode[] {
  return Array.from({ length: 2 + Math.floor(rng() * 30) }, (_, i) => {
    const cpu = pick(rng, [1000, 2000, 4000]);
    const mem = pick(rng, [1, 2, 4]) * GiB;
    const used = rng() < 0.5;
    return node(`n${i}`, {
      status: pick(rng, ['ready', 'ready', 'ready', 'suspect', 'down', 'left'] as const),
      labels: rng() < 0.5 ? { zone: pick(rng, ['edge', 'core']) } : {},
      cpuMillis: cpu,
      memoryBytes: mem,
      reservedCpuMillis: used ? 250 * Math.floor(rng() * (cpu / 250 + 2)) : 0,
      reservedMemoryBytes: used ? 256 * MiB * Math.floor(rng() * (mem / (256 * MiB) + 2)) : 0,
      usedPorts: used ? portsOf(rng) : [],
      replicasByService: used && rng() < 0.5 ? { [pick(rng, ['app/s0', 'app/s1'])]: 1 + Math.floor(rng() * 2) } : {},
    });
  });
}

function randomRequests(rng: Rng, count: number): ReplicaRequest[] {
  const constraints = [[], [], [constraint('node.labels.zone==edge')], [constraint('node.labels.zone!=edge')]];
  return Array.from({ length: count }, (_, i) => ({
    service: pick(rng, ['app/s0', 'app/s1', 'app/s2']),
    replica: i + 1,
    cpuMillis: 250 * Math.floor(rng() * 9),
    memoryBytes: 256 * MiB * Math.floor(rng() * 9),
    hostPorts: portsOf(rng),
    constraints: pick(rng, constraints),
    maxReplicasPerNode: pick(rng, [0, 0, 1, 2]),
    strategy: rng() < 0.3 ? ('spread' as const) : ('binpack' as const),
  }));
}

/**
 * A state part-way through a plan: random replicas placed on random nodes (sometimes where they do
 * not fit, to reach over-commitment and port clashes), then some removed again, which leaves
 * zero counts in the port and service overlays.
 */
function midPlanState(rng: Rng, nodes: readonly SchedNode[], batch: readonly ReplicaRequest[]): PlanState {
  const s = new PlanState(nodes);
  const placed: [number, ReplicaRequest][] = [];
  for (const r of batch) {
    const j = Math.floor(rng() * s.size);
    if (rng() < 0.8 && !fitsNow(s, j, r)) continue;
    s.place(j, r);
    placed.push([j, r]);
  }
  for (const [j, r] of placed) if (rng() < 0.3) s.unplace(j, r);
  return s;
}

t.test('fitsNow agrees with DYNAMIC_FILTERS on random mid-plan states', async (t) => {
  const bad: string[] = [];
  const firstRejected: Partial<Record<FilterName | 'fits', number>> = {};
  let checked = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const rng = seededRng(seed);
    const nodes = randomCluster(rng);
    const s = midPlanState(rng, nodes, randomRequests(rng, Math.floor(rng() * 60)));
    for (const r of randomRequests(rng, 20)) {
      for (let j = 0; j < s.size; j++) {
        const rejection = firstRejection(DYNAMIC_FILTERS, s, j, r);
        if (fitsNow(s, j, r) !== !rejection) bad.push(`seed ${seed}, node ${j}: fitsNow ${fitsNow(s, j, r)}, filters ${rejection?.label ?? 'pass'}`);
        const k = rejection?.filter ?? 'fits';
        firstRejected[k] = (firstRejected[k] ?? 0) + 1;
        checked++;
      }
    }
  }
  t.same(bad.slice(0, 5), [], `${bad.length} disagreements`);
  // Every dynamic filter must have been the deciding one many times, or the states are too tame.
  for (const k of ['fits', 'cpu', 'memory', 'host-port', 'max-per-node'] as const) {
    t.ok((firstRejected[k] ?? 0) > 500, `${k}: ${firstRejected[k] ?? 0} of ${checked} checks`);
  }
});

t.test('the eligibility mask is STATIC_FILTERS, and the ready mask is the status filter', async (t) => {
  const bad: string[] = [];
  const outcomes: Partial<Record<FilterName | 'eligible', number>> = {};
  for (let seed = 1; seed <= 100; seed++) {
    const rng = seededRng(10_000 + seed);
    const s = new PlanState(randomCluster(rng));
    const ready = readyMask(s);
    for (const r of randomRequests(rng, 5)) {
      const e = staticEligibility(s, r);
      const members: number[] = [];
      for (let j = 0; j < s.size; j++) {
        const rejection = firstRejection(STATIC_FILTERS, s, j, r);
        if (e.mask[j] !== (rejection ? 0 : 1)) bad.push(`seed ${seed}, node ${j}: mask ${e.mask[j]}, filters ${rejection?.label ?? 'pass'}`);
        if (!rejection) members.push(j);
        const k = rejection?.filter ?? 'eligible';
        outcomes[k] = (outcomes[k] ?? 0) + 1;
        if (ready[j] !== (s.nodes[j]!.status === 'ready' ? 1 : 0)) bad.push(`seed ${seed}, node ${j}: ready ${ready[j]}`);
      }
      if (e.members.join() !== members.join()) bad.push(`seed ${seed}: members ${e.members.join()} != ${members.join()}`);
    }
  }
  t.same(bad.slice(0, 5), [], `${bad.length} disagreements`);
  for (const k of ['eligible', 'status', 'constraint'] as const) t.ok((outcomes[k] ?? 0) > 200, `${k}: ${outcomes[k] ?? 0} nodes`);
});

t.test('placement finds a node exactly when FILTERS accept one, and only such a node', async (t) => {
  const bad: string[] = [];
  let found = 0, none = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const rng = seededRng(20_000 + seed);
    const nodes = randomCluster(rng);
    const s = midPlanState(rng, nodes, randomRequests(rng, Math.floor(rng() * 60)));
    for (const r of randomRequests(rng, 10)) {
      const j = pickNode(s, new NodeIndex(s, staticEligibility(s, r).members), r);
      const fitting = [...nodes.keys()].filter((k) => !firstRejection(FILTERS, s, k, r)).length;
      if (j >= 0 !== fitting > 0) bad.push(`seed ${seed}: picked node ${j} while FILTERS accept ${fitting} nodes`);
      if (j >= 0 && firstRejection(FILTERS, s, j, r)) bad.push(`seed ${seed}: picked node ${j}, rejected by ${firstRejection(FILTERS, s, j, r)!.label}`);
      if (j >= 0) found++;
      else none++;
    }
  }
  t.same(bad.slice(0, 5), [], `${bad.length} disagreements`);
  t.ok(found > 500 && none > 500, `both outcomes exercised (${found} placed, ${none} not)`);
});
