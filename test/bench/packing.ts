// Packing quality of planBatch (the code path `baton plan` uses) on public instances with known
// optima: Falkenauer's u/t classes (1-D) and the CPU-only pods of Alibaba's OpenB trace (2-D).
// Prints one JSON object. Data and provenance: test/bench/data/PROVENANCE.md.
//
// Items are replicas with cpuMillis = size and memoryBytes = size MiB on identical nodes of
// capacity cpuMillis = C, memoryBytes = C MiB, so both dimensions agree and the 2-D scheduler
// solves the 1-D instance. Nodes are plentiful (one per item); "nodes used" = nodes with work.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planBatch } from '../../coordinator/scheduler/index.js';
import type { Plan, PlanOptions, ReplicaRequest, SchedNode } from '../../coordinator/scheduler/index.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');
const MiB = 1024 * 1024;
const SHUFFLE_SEED = 42;
/** Improvement budget per instance (ms): the planBatch default for every class. */
const BUDGET_MS = 200;
/** A second, larger budget to show what more time buys (reported compactly). */
const LARGE_BUDGET_MS = 2000;

interface Instance {
  readonly name: string;
  readonly capacity: number;
  readonly sizes: readonly number[];
}

const CLASSES = [
  { file: 'binpack1.txt', cls: 'u120' },
  { file: 'binpack2.txt', cls: 'u250' },
  { file: 'binpack3.txt', cls: 'u500' },
  { file: 'binpack4.txt', cls: 'u1000' },
  { file: 'binpack5.txt', cls: 't60' },
  { file: 'binpack6.txt', cls: 't120' },
  { file: 'binpack7.txt', cls: 't249' },
  { file: 'binpack8.txt', cls: 't501' },
] as const;

const optima = JSON.parse(readFileSync(join(DATA, 'binpacking', 'optima.json'), 'utf8')) as Record<
  string,
  { optimum: number; ffd: number }
>;

function main(): void {
  const started = performance.now();
  const out: Record<string, unknown> = { budgetMsPerInstance: BUDGET_MS, largeBudgetMs: LARGE_BUDGET_MS };
  for (const { file, cls } of CLASSES) {
    const instances = readFalkenauer(file);
    const { nodesUsed, instancesAtOptimum, maxOverOptimum, avgMs } = runClass(instances, LARGE_BUDGET_MS);
    out[cls] = { ...runClass(instances, BUDGET_MS), withLargeBudget: { nodesUsed, instancesAtOptimum, maxOverOptimum, avgMs } };
  }
  out.openb = runOpenB();
  out.totalSeconds = round((performance.now() - started) / 1000, 1);
  console.log(JSON.stringify(out, null, 2));
}

function runClass(instances: readonly Instance[], budgetMs: number) {
  let used = 0, optimum = 0, ffd = 0, greedy = 0, atOptimum = 0, maxOver = 0, ms = 0, maxMs = 0;
  const over: string[] = [];
  const stops: Record<string, number> = {};
  for (const inst of instances) {
    const best = optima[inst.name];
    if (!best) throw new Error(`no optimum for ${inst.name}`);
    const t0 = performance.now();
    const plan = planItems(inst.sizes, inst.capacity, { seed: 1, improveBudgetMs: budgetMs });
    const dt = performance.now() - t0;
    ms += dt;
    maxMs = Math.max(maxMs, dt);
    const n = nodesUsed(plan);
    used += n;
    optimum += best.optimum;
    ffd += best.ffd;
    greedy += plan.stats!.greedyNodesUsed;
    stops[plan.stats!.improveStop] = (stops[plan.stats!.improveStop] ?? 0) + 1;
    if (n === best.optimum) atOptimum++;
    else over.push(`${inst.name}+${n - best.optimum}`);
    maxOver = Math.max(maxOver, n - best.optimum);
  }
  return {
    instances: instances.length,
    nodesUsed: used,
    optimum,
    ffd,
    greedy,
    gapPct: round((100 * (used - optimum)) / optimum, 2),
    ffdGapPct: round((100 * (ffd - optimum)) / optimum, 2),
    instancesAtOptimum: atOptimum,
    maxOverOptimum: maxOver,
    overOptimum: over,
    improveStops: stops,
    avgMs: round(ms / instances.length, 1),
    maxMs: round(maxMs, 1),
  };
}

/** The 1,088 CPU-only OpenB pods on identical nodes; figures from data/PROVENANCE.md. */
function runOpenB() {
  const rows = readFileSync(join(DATA, 'openb', 'openb_pod_list_cpu_only.csv'), 'utf8').trim().split('\n');
  const header = rows[0]!.split(',');
  const cpuCol = header.indexOf('cpu_milli');
  const memCol = header.indexOf('memory_mib');
  const pods = rows.slice(1).map((line) => {
    const f = line.split(',');
    return { cpuMillis: Number(f[cpuCol]), memoryBytes: Number(f[memCol]) * MiB };
  });
  const run = (cpuMillis: number, memoryGiB: number, lowerBound: number, optimum: number, ffd: number, budgetMs = BUDGET_MS) => {
    const nodes = identicalNodes(pods.length, cpuMillis, memoryGiB * 1024 * MiB);
    const requests = pods.map((p, i) => request(`openb/pod-${i}`, p.cpuMillis, p.memoryBytes));
    const t0 = performance.now();
    const plan = planBatch(nodes, requests, { seed: 1, improveBudgetMs: budgetMs });
    const ms = performance.now() - t0;
    const used = nodesUsed(plan);
    return {
      pods: pods.length,
      nodesUsed: used,
      lowerBound,
      optimum,
      ffd,
      greedy: plan.stats!.greedyNodesUsed,
      improveStop: plan.stats!.improveStop,
      gapToLowerBoundPct: round((100 * (used - lowerBound)) / lowerBound, 2),
      gapToOptimumPct: round((100 * (used - optimum)) / optimum, 2),
      ms: round(ms, 1),
    };
  };
  return {
    // Optimum 640 proven by a pattern ILP (see PROVENANCE.md): the bound 600 is not reachable.
    node32c256g: run(32_000, 256, 600, 640, 642),
    node32c256gWithLargeBudget: run(32_000, 256, 600, 640, 642, LARGE_BUDGET_MS),
    // CPU-only ILP optimum is 201, a lower bound for the 2-D problem; 2-D optimum not computed.
    node96c384g: run(96_000, 384, 200, 201, 208),
    node96c384gWithLargeBudget: run(96_000, 384, 200, 201, 208, LARGE_BUDGET_MS),
  };
}

function planItems(sizes: readonly number[], capacity: number, opts: PlanOptions): Plan {
  const nodes = identicalNodes(sizes.length, capacity, capacity * MiB);
  const requests = sizes.map((size, i) => request(`falkenauer/item-${i}`, size, size * MiB));
  return planBatch(nodes, requests, opts);
}

function identicalNodes(count: number, cpuMillis: number, memoryBytes: number): SchedNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    name: `node-${i}`,
    status: 'ready' as const,
    labels: {},
    cpuMillis,
    memoryBytes,
    reservedCpuMillis: 0,
    reservedMemoryBytes: 0,
    usedPorts: [],
    replicasByService: {},
  }));
}

function request(service: string, cpuMillis: number, memoryBytes: number): ReplicaRequest {
  return {
    service,
    replica: 1,
    cpuMillis,
    memoryBytes,
    hostPorts: [],
    constraints: [],
    maxReplicasPerNode: 0,
    strategy: 'binpack',
  };
}

function nodesUsed(plan: Plan): number {
  if (plan.unplaced.length > 0) throw new Error(`unplaced: ${plan.unplaced[0]!.reason}`);
  return new Set(plan.placements.map((p) => p.nodeId)).size;
}

/**
 * Falkenauer/OR-Library format: count, then per instance a name line, `capacity n best`, n sizes.
 * Triplet files (one decimal) are scaled by 10 to integers. Items are shuffled with a fixed seed:
 * the triplet files list items in an order where plain first fit is already optimal.
 */
function readFalkenauer(file: string): Instance[] {
  const lines = readFileSync(join(DATA, 'binpacking', file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const count = Number(lines[0]);
  const out: Instance[] = [];
  let p = 1;
  for (let k = 0; k < count; k++) {
    const name = lines[p++]!;
    const [capText, nText] = lines[p++]!.split(/\s+/);
    const scale = capText!.includes('.') ? 10 : 1;
    const sizes: number[] = [];
    for (let i = 0; i < Number(nText); i++) sizes.push(Math.round(Number(lines[p++]) * scale));
    out.push({ name, capacity: Math.round(Number(capText) * scale), sizes: shuffled(sizes, SHUFFLE_SEED) });
  }
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const a = [...items];
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

main();
