// bench:lists: `baton nodes --json` against a coordinator process with N live simulated agents
// (reporting at 1 Hz while it lists), and `baton ps --json` against one with R replicas seeded in
// its state file, both through the compiled CLI. Wall time of the CLI process, median of 3 runs.
// Prints {nodes: {count, seconds}, replicas: {count, seconds}}.
// Usage: npm run bench:lists -- [--nodes 10000] [--replicas 100000] [--workers 2] [--ramp 400 (agents started per second)] [--only nodes|replicas]
//   [--cpu-prof DIR (V8 CPU profiles of the coordinator and of every CLI run, written to DIR)]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listNodes } from '../fixtures/control.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, startProcess, waitFor } from '../fixtures/processes.js';
import { seedState } from '../fixtures/seed-state.js';
import { startSimulatedAgents } from './simulated-agents.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}
const nodeCount = arg('nodes', 10_000);
const replicaCount = arg('replicas', 100_000);
const workers = arg('workers', 2);
const ramp = arg('ramp', 400);
const RUNS = 3;
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const only = option('only');
const profDir = option('cpu-prof');
// Node flags for the processes measured only (Node does not take --cpu-prof from NODE_OPTIONS).
const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];

/** The compiled CLI, run to completion, with `nodeArgs`. */
const runCli = (args: string[]) => runBaton(args, {}, nodeArgs);

/** Runs the CLI RUNS times; every run must list `expect` rows. Returns the median wall time in seconds. */
async function timeCli(args: string[], expect: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await runCli(args);
    times.push((performance.now() - t0) / 1000);
    if (r.code !== 0) throw new Error(`baton ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
    const rows = (JSON.parse(r.stdout) as unknown[]).length;
    if (rows !== expect) throw new Error(`baton ${args.join(' ')} listed ${rows}, expected ${expect}`);
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]! * 100) / 100;
}

async function coordinator(dataDir: string, extra: string[] = []) {
  const target = `127.0.0.1:${await freePort()}`;
  const proc = startProcess(process.execPath, [...nodeArgs, BATON_BIN, 'coordinator', '--listen', target, '--data-dir', dataDir, '--metrics-listen', 'off', ...extra], { BATON_LOG_LEVEL: 'warn' });
  // Secure, as by default: agents join with its token; this process and the CLI use its admin.json.
  const token = await joinTokenOf(proc, 60_000);
  process.env.BATON_CONFIG = join(dataDir, 'admin.json');
  await waitFor('coordinator', () => listNodes(target, 30_000).then(() => true), 60_000);
  return { target, proc, token };
}

async function benchNodes() {
  const { target, proc, token } = await coordinator(await mkdtemp(join(tmpdir(), 'baton-bench-lists-nodes-')));
  const sim = startSimulatedAgents(target, nodeCount, workers, ramp, { token });
  try {
    // Each agent gets its node certificate by the real join, then connects over mutual TLS.
    // Joins at most 200 at a time, with time to spare: this measures listing, not the join burst
    // (bench:ingest does), and an agent that did not join never connects.
    const burst = await sim.join({ concurrency: 200, timeoutMs: 600_000 });
    if (burst.joined < nodeCount) throw new Error(`only ${burst.joined} of ${nodeCount} agents joined (last error: ${burst.lastError})`);
    sim.connect();
    await sim.allConnected(Math.max(120_000, (3 * nodeCount * 1000) / ramp));
    // Every agent past its first report, as in a cluster that has been up a while.
    await new Promise((r) => setTimeout(r, 3000));
    await waitFor(`${nodeCount} nodes listed`, async () => (await listNodes(target, 60_000)).length === nodeCount, 60_000, 1000);
    return { count: nodeCount, seconds: await timeCli(['nodes', '--json', '--coordinator', target], nodeCount) };
  } finally {
    await sim.stop();
    await stopCoordinator(proc);
  }
}

/** A profiled coordinator writes its profile as it exits, so it gets to exit. */
const stopCoordinator = (proc: Awaited<ReturnType<typeof coordinator>>['proc']) => proc.kill(profDir ? 'SIGTERM' : 'SIGKILL');

async function benchReplicas() {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-lists-replicas-'));
  // 100 replicas per service, 100 services per stack, as many stacks as it takes; 1,000 nodes.
  const stacks = Math.ceil(replicaCount / 10_000);
  const seeded = await seedState(dataDir, { nodes: 1000, stacks, servicesPerStack: 100, replicasPerService: Math.ceil(replicaCount / stacks / 100) });
  // The seeded nodes have no agents: long silence bounds keep them ready and their replicas placed.
  const { target, proc } = await coordinator(dataDir, ['--suspect-after-ms', '3600000', '--down-after-ms', '7200000']);
  try {
    return { count: seeded.replicas, seconds: await timeCli(['ps', '--json', '--coordinator', target], seeded.replicas) };
  } finally {
    await stopCoordinator(proc);
  }
}

const nodes = only === 'replicas' ? undefined : await benchNodes();
const replicas = only === 'nodes' ? undefined : await benchReplicas();
console.log(
  JSON.stringify({
    nodes,
    replicas,
    note: 'seconds: wall time of the CLI process (Node start, one streamed listing, JSON output), median of 3; nodes are live simulated agents reporting at 1 Hz; seeded replicas list as pending (no agent reports them)',
  }),
);
process.exit(0);
