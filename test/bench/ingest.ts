// bench:ingest: N simulated agents, each on its own connection, report at 1 Hz over real gRPC
// to a coordinator process (the compiled CLI) for a measured window. Prints one JSON object:
// {agents, reportsPerSec, coordinatorCpuPercent, coordinatorRssMb, p99ReportLagMs, falseEvictions}.
// Usage: npm run bench:ingest -- [--agents 2000] [--seconds 30] [--workers 2] [--ramp 400 (agents started per second)]
// streamFailures counts agent streams that failed (each agent then reconnects, as real agents do).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listEvents, listNodes } from '../fixtures/control.js';
import { freePort, startBaton, waitFor } from '../fixtures/processes.js';
import { startSimulatedAgents } from './simulated-agents.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}
const agents = arg('agents', 2000);
const seconds = arg('seconds', 30);
const workers = arg('workers', 2);
const ramp = arg('ramp', 400);

const port = await freePort();
const metricsPort = await freePort();
const target = `127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-ingest-'));
const coordinator = startBaton(['coordinator', '--listen', target, '--data-dir', dataDir, '--metrics-listen', `127.0.0.1:${metricsPort}`], { BATON_LOG_LEVEL: 'warn' });
await waitFor('coordinator', () => listNodes(target).then(() => true), 20_000);
const pid = coordinator.child.pid!;

const sim = startSimulatedAgents(target, agents, workers, ramp);
const cleanup = async () => {
  await sim.stop();
  await coordinator.kill('SIGKILL');
};

try {
  await sim.allConnected(Math.max(120_000, (3 * agents * 1000) / ramp));
  // Let every agent settle into its 1 Hz rhythm before measuring.
  await new Promise((r) => setTimeout(r, 3000));
  const seqBefore = Math.max(0, ...(await listEvents(target, 30_000)).map((e) => e.seq));

  const m0 = await scrape(metricsPort);
  const c0 = await cpuTicks(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const m1 = await scrape(metricsPort);
  const c1 = await cpuTicks(pid);
  const elapsedS = (Date.now() - t0) / 1000;
  const rssMb = await rss(pid);

  const events = await listEvents(target, 30_000);
  const falseEvictions = events.filter((e) => e.seq > seqBefore && e.type === 'node.status' && (e.to === 'down' || e.to === 'suspect')).length;
  // Lists stream in batches, so this works at any pool size; the deadline allows for a busy coordinator.
  const nodes = await listNodes(target, 60_000);
  const result = {
    agents,
    seconds: Math.round(elapsedS),
    reportsPerSec: Math.round((m1.reports - m0.reports) / elapsedS),
    coordinatorCpuPercent: round1(((c1 - c0) / 100 / elapsedS) * 100),
    coordinatorRssMb: Math.round(rssMb),
    p99ReportLagMs: p99(m0.lagBuckets, m1.lagBuckets),
    falseEvictions,
    readyNodes: nodes.filter((n) => n.status === 'ready').length,
    streamFailures: sim.failures(),
    note: 'p99ReportLagMs is the upper bound of the histogram bucket holding the 99th percentile',
  };
  console.log(JSON.stringify(result));
} finally {
  await cleanup();
}
process.exit(0);

async function scrape(p: number): Promise<{ reports: number; lagBuckets: Map<number, number> }> {
  const text = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
  const reports = Number(/^baton_reports_total (\S+)$/m.exec(text)?.[1] ?? 0);
  const lagBuckets = new Map<number, number>();
  for (const m of text.matchAll(/^baton_report_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)) {
    lagBuckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  }
  return { reports, lagBuckets };
}

function p99(before: Map<number, number>, after: Map<number, number>): number | null {
  const les = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return null;
  for (const le of les) {
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= 0.99 * total) return le === Infinity ? null : le * 1000;
  }
  return null;
}

async function cpuTicks(p: number): Promise<number> {
  const stat = await readFile(`/proc/${p}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100/s)
}

async function rss(p: number): Promise<number> {
  const status = await readFile(`/proc/${p}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
