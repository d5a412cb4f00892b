// Scheduler throughput: 5,000 nodes and 100,000 replicas of mixed sizes, planned with planBatch and
// committed to the coordinator's store; then the p99 latency of planning one 10-replica service
// against the loaded cluster. Prints {nodes, replicas, placementsPerSec, p99PlanMs, ...} as JSON.
//
// The 100,000 replicas are one batch (like an offline plan of the whole cluster), so they also get
// the default 200 ms improvement budget; placementsPerSec counts snapshot + plan + commit + flush.
import { seededRng as seeded } from '../../shared/random.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan } from '../../coordinator/plan-apply.js';
import { planBatch, snapshotOf } from '../../coordinator/scheduler/index.js';
import type { Plan, ReplicaRequest, SchedNode } from '../../coordinator/scheduler/index.js';
import { splitServiceKey } from '../../coordinator/slot-key.js';
import { Store } from '../../coordinator/store/index.js';
import type { NodeRecord, StackRecord } from '../../coordinator/store/index.js';
import { parseCompose } from '../../shared/compose/index.js';

const NODES = 5_000;
const SERVICES = 10_000;
const REPLICAS_PER_SERVICE = 10;
const LATENCY_RUNS = 300;
const SEED = 7;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

async function main(): Promise<void> {
  const rng = seeded(SEED);
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-scheduler-'));
  const store = await Store.open({ dataDir });
  try {
    store.transact((state) => {
      for (const n of makeNodes(rng)) state.nodes[n.id] = n;
    });
    const requests = makeRequests(rng);
    // The services the requests are for: the plan applier commits placements of services that exist.
    store.transact((state) => {
      for (const st of makeStacks(requests)) state.stacks[st.name] = st;
    });
    await store.flush();

    // Throughput: snapshot -> plan -> commit -> durable flush.
    const t0 = performance.now();
    const nodes = snapshotFromStore(store.state);
    const t1 = performance.now();
    const plan = planBatch(nodes, requests, { seed: 1 });
    const t2 = performance.now();
    const rejectedAtCommit = commitPlan(store, requests, plan, Date.now());
    const t3 = performance.now();
    await store.flush();
    const t4 = performance.now();
    const placed = plan.placements.length;
    // The same batch without improvement, to show what the 200 ms improvement budget costs.
    const g0 = performance.now();
    planBatch(nodes, requests, { seed: 1, improveBudgetMs: 0 });
    const greedyOnlyMs = performance.now() - g0;

    // Latency: one more 10-replica service against the loaded cluster (not committed, so every
    // run sees the same cluster).
    const loaded = snapshotFromStore(store.state);
    const latencies: number[] = [];
    for (let i = -20; i < LATENCY_RUNS; i++) {
      const svc = randomService(rng, `bench/latency-${i + 20}`);
      const reqs = Array.from({ length: REPLICAS_PER_SERVICE }, (_, k) => ({ ...svc, replica: k + 1 }));
      const s = performance.now();
      planBatch(loaded, reqs, { seed: 1 });
      if (i >= 0) latencies.push(performance.now() - s); // the first 20 warm the JIT up
    }
    latencies.sort((a, b) => a - b);

    const stats = plan.stats!;
    console.log(
      JSON.stringify(
        {
          nodes: NODES,
          replicas: requests.length,
          placementsPerSec: Math.round(placed / ((t4 - t0) / 1000)),
          p99PlanMs: round(latencies[Math.ceil(0.99 * latencies.length) - 1]!, 2),
          p50PlanMs: round(latencies[Math.floor(0.5 * latencies.length)]!, 2),
          placed,
          unplaced: plan.unplaced.length,
          rejectedAtCommit,
          nodesUsed: stats.nodesUsed,
          greedyNodesUsed: stats.greedyNodesUsed,
          improveStop: stats.improveStop,
          improveWork: stats.improveWork,
          ms: {
            snapshot: round(t1 - t0, 1),
            plan: round(t2 - t1, 1),
            planWithoutImprovement: round(greedyOnlyMs, 1),
            commit: round(t3 - t2, 1),
            flush: round(t4 - t3, 1),
          },
          placementsPerSecWithoutFlush: Math.round(placed / ((t3 - t0) / 1000)),
        },
        null,
        2,
      ),
    );
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function makeNodes(rng: () => number): NodeRecord[] {
  const shapes = [
    { cpuMillis: 8_000, memoryBytes: 32 * GiB },
    { cpuMillis: 16_000, memoryBytes: 64 * GiB },
    { cpuMillis: 32_000, memoryBytes: 128 * GiB },
    { cpuMillis: 64_000, memoryBytes: 256 * GiB },
  ];
  const zones = ['a', 'b', 'c', 'edge'];
  return Array.from({ length: NODES }, (_, i) => {
    const shape = shapes[Math.floor(rng() * shapes.length)]!;
    return {
      id: `node-${i}`,
      name: `host-${String(i).padStart(4, '0')}`,
      address: `10.0.${i >> 8}.${i & 255}:7946`,
      labels: { zone: zones[i % zones.length]!, disk: rng() < 0.2 ? 'ssd' : 'hdd' },
      capacity: { ...shape, diskBytes: 500 * GiB },
      // A few nodes are not ready: they must receive nothing.
      status: i % 97 === 0 ? 'down' : 'ready',
      statusSinceMs: 0,
      joinedAtMs: 0,
      lastSeenMs: 0,
      agentVersion: 'bench',
      dockerVersion: 'bench',
    };
  });
}

/** 10,000 services x 10 replicas: mixed sizes, some constraints, host ports, per-node limits, spread. */
function makeRequests(rng: () => number): ReplicaRequest[] {
  const out: ReplicaRequest[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const svc = randomService(rng, `stack-${Math.floor(s / 20)}/svc-${s}`);
    for (let k = 1; k <= REPLICAS_PER_SERVICE; k++) out.push({ ...svc, replica: k });
  }
  return out;
}

function randomService(rng: () => number, service: string): ReplicaRequest {
  const cpus = [100, 250, 500, 1000, 2000, 4000];
  const mems = [64 * MiB, 256 * MiB, 512 * MiB, 1 * GiB, 2 * GiB, 8 * GiB];
  const c = Math.floor(rng() * cpus.length);
  // Memory loosely follows CPU, so both dimensions bind somewhere.
  const m = Math.max(0, Math.min(mems.length - 1, c + Math.floor(rng() * 3) - 1));
  const roll = rng();
  return {
    service,
    replica: 1,
    cpuMillis: cpus[c]!,
    memoryBytes: mems[m]!,
    hostPorts: roll < 0.05 ? [{ port: 8000 + Math.floor(rng() * 50), protocol: 'tcp' }] : [],
    constraints:
      roll > 0.9
        ? [{ attribute: 'node.labels.zone', op: '==', value: 'edge', text: 'node.labels.zone==edge' }]
        : roll > 0.85
          ? [{ attribute: 'node.labels.disk', op: '!=', value: 'hdd', text: 'node.labels.disk!=hdd' }]
          : [],
    maxReplicasPerNode: roll > 0.7 && roll < 0.8 ? 1 + Math.floor(rng() * 2) : 0,
    strategy: roll > 0.6 && roll < 0.65 ? 'spread' : 'binpack',
  };
}

/** The store's nodes and allocations through the coordinator's own snapshot code. */
function snapshotFromStore(state: Store['state']): SchedNode[] {
  return snapshotOf(Object.values(state.nodes), Object.values(state.allocations));
}

/** Commits a plan as the control loop does: the plan applier re-checks each placement, then one transaction writes the records. */
function commitPlan(store: Store, requests: readonly ReplicaRequest[], plan: Plan, nowMs: number): number {
  let seq = 0;
  const applied = applyPlan({ state: store.state, placements: plan.placements, requests, nowMs, newId: (s) => `${s.stack}/${s.service}.${s.replica}@${++seq}` });
  store.transact((state) => {
    for (const rec of applied.records) state.allocations[rec.id] = rec;
  });
  return applied.rejected.length;
}

/** A stack record for every service the requests name, each with a minimal parsed spec. */
function makeStacks(requests: readonly ReplicaRequest[]): StackRecord[] {
  const parsed = parseCompose('services:\n  svc:\n    image: bench:1\n', { file: 'bench.yaml', stackName: 'bench' });
  if (!parsed.ok) throw new Error('bench compose file does not parse');
  const base = parsed.stack.services[0]!;
  const stacks = new Map<string, StackRecord>();
  for (const r of requests) {
    const [stack, service] = splitServiceKey(r.service);
    let st = stacks.get(stack);
    if (!st) stacks.set(stack, (st = { name: stack, generation: 1, file: 'bench.yaml', services: {}, createdAtMs: 0, updatedAtMs: 0 }));
    st.services[service] ??= { spec: { ...base, name: service }, specHash: '', generation: 1, replicas: REPLICAS_PER_SERVICE };
  }
  return [...stacks.values()];
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

await main();
