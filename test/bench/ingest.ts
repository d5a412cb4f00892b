// bench:ingest: N simulated agents, each on its own connection, report at 1 Hz over real gRPC
// to a coordinator process (the compiled CLI, secure by default: mutual TLS on its one port) for
// a measured window. Before that, every agent gets its node certificate by the real join, all at
// once (joinsPerSec); after it, new mutual-TLS connections are timed while the agents keep
// reporting (handshakeMs). Prints one JSON object:
// {agents, joinsPerSec, join, handshakeMs, connectWelcomeMs, reportsPerSec, coordinatorCpuPercent,
//  workersCpuPercent, othersCpuPercent, coordinatorRssMb, p99ReportLagMs, falseEvictions, ...}; progress on stderr.
// Usage: npm run bench:ingest -- [--agents 5000] [--seconds 30] [--workers 2] [--ramp 400 (agents started per second)] [--containers 3 (per agent)] [--full-containers]
//   [--join-concurrency N (joins in flight in all; default: every agent at once)] [--probes 200]
//   [--insecure (plaintext, no joins: the figures without TLS, for comparison)] [--cpu-prof DIR (V8 profiles of the coordinator and the workers)]
// streamFailures counts agent streams that failed (each agent then reconnects, as real agents do).
// When not every agent connects within the bound, the window is measured with those that did (the
// rest keep trying), the result says allConnected: false with the counts, and the run exits 1.
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { CHANNEL_OPTIONS, joinCluster, nodeCredentials, type NodeTls } from '../../agent/security/node-tls.js';
import { collectBatches } from '../../shared/cli/client.js';
import type { ControlServiceClient } from '../../shared/grpc/gen/baton/v1/ControlService.js';
import type { Event__Output } from '../../shared/grpc/gen/baton/v1/Event.js';
import type { JoinServiceClient } from '../../shared/grpc/gen/baton/v1/JoinService.js';
import type { ListEventsResponse__Output } from '../../shared/grpc/gen/baton/v1/ListEventsResponse.js';
import type { ListNodesResponse__Output } from '../../shared/grpc/gen/baton/v1/ListNodesResponse.js';
import type { NodeInfo__Output } from '../../shared/grpc/gen/baton/v1/NodeInfo.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../../shared/grpc/load.js';
import { COORDINATOR_TLS_NAME } from '../../shared/security/names.js';
import { parseJoinToken } from '../../shared/security/token.js';
import { BATON_BIN, freePort, startProcess, waitFor } from '../fixtures/processes.js';
import { cpuSince, cpuSnapshot, type CpuPercents, percentile, startSimulatedAgents } from './simulated-agents.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const agents = arg('agents', 5000);
const seconds = arg('seconds', 30);
const workers = arg('workers', 2);
const ramp = arg('ramp', 400);
const joinConcurrency = arg('join-concurrency', agents);
const probes = arg('probes', 200);
// Containers each simulated agent reports (the workers read it from the environment they inherit).
process.env.BATON_BENCH_CONTAINERS = String(arg('containers', 3));
// --full-containers: every report describes its containers in full (no delta encoding), for comparison.
if (process.argv.includes('--full-containers')) process.env.BATON_BENCH_FULL_CONTAINERS = '1';
const insecure = process.argv.includes('--insecure');
const profDir = option('cpu-prof');
/** The burst's bound: joins still failing after it count as not joined. */
const JOIN_TIMEOUT_MS = 180_000;

const proto = loadProto();
/** As the CLI lists (shared/cli/client.ts): large messages, and a window that takes a listing in one go. */
const LIST_OPTIONS = { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES, 'grpc-node.flow_control_window': 32 * 1024 * 1024 };
const port = await freePort();
const metricsPort = await freePort();
const target = `127.0.0.1:${port}`;
const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-ingest-'));
const coordinator = startProcess(
  process.execPath,
  [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), BATON_BIN, 'coordinator', '--listen', target, '--data-dir', dataDir, '--metrics-listen', `127.0.0.1:${metricsPort}`, ...(insecure ? ['--insecure'] : [])],
  { BATON_LOG_LEVEL: 'warn' },
);
const pid = coordinator.child.pid!;

/** The control service as the coordinator's admin (its admin.json), or plaintext with --insecure. */
let control: () => ControlServiceClient;
let token: string | undefined;
if (insecure) {
  control = () => new proto.baton.v1.ControlService(target, grpc.credentials.createInsecure(), LIST_OPTIONS) as ControlServiceClient;
} else {
  token = await waitFor('the join token on the coordinator\'s stderr', () => /join token: (BATON1-\S+)/.exec(coordinator.output())?.[1], 30_000);
  const admin = await waitFor('admin.json', () => readFile(join(dataDir, 'admin.json'), 'utf8').then((t) => JSON.parse(t) as { ca: string; cert: string; key: string }), 30_000);
  const creds = grpc.credentials.createSsl(Buffer.from(admin.ca), Buffer.from(admin.key), Buffer.from(admin.cert));
  control = () => new proto.baton.v1.ControlService(target, creds, { ...CHANNEL_OPTIONS, ...LIST_OPTIONS }) as ControlServiceClient;
}
await waitFor('coordinator', () => listNodes().then(() => true), 20_000);

const sim = startSimulatedAgents(target, agents, workers, ramp, { ...(token ? { token } : {}), ...(profDir ? { cpuProfDir: profDir } : {}) });
const cleanup = async () => {
  await sim.stop();
  await coordinator.kill(profDir ? 'SIGTERM' : 'SIGKILL');
  // The coordinator names its admin credential in ~/.baton/local/<port> for the CLI on this host.
  const local = join(homedir(), '.baton', 'local', String(port));
  if ((await readFile(local, 'utf8').catch(() => '')).startsWith(dataDir)) await rm(local, { force: true });
};

try {
  // A node of the bench's own, joined with the agent's own code (joinCluster), for the handshake probes.
  let probeTls: NodeTls | undefined;
  let join_: (Awaited<ReturnType<typeof sim.join>> & { coordinatorCpuMsPerJoin: number; coordinatorRssMbAfter: number } & CpuPercents) | undefined;
  if (token) {
    const parsed = parseJoinToken(token);
    if (!parsed.ok) throw new Error(parsed.error);
    const r = await joinCluster({ target, token: parsed.value, nodeId: 'bench-probe', dataDir: await mkdtemp(join(tmpdir(), 'baton-bench-probe-')) });
    if (!r.ok) throw new Error(`bench-probe: ${r.error}`);
    probeTls = r.value;
    await sim.prepare();
    const before = await cpuSnapshot(pid, sim.pids());
    const burst = await sim.join({ concurrency: joinConcurrency, timeoutMs: JOIN_TIMEOUT_MS });
    const cpu = cpuSince(before, await cpuSnapshot(pid, sim.pids()));
    join_ = { ...burst, coordinatorCpuMsPerJoin: round1((cpu.coordinatorTicks * 10) / burst.joined), ...cpu.percents, coordinatorRssMbAfter: Math.round(await rss(pid)) };
    if (burst.joined < agents) {
      console.log(JSON.stringify({ agents, joinsPerSec: join_.joinsPerSec, join: join_, error: `only ${burst.joined} of ${agents} agents joined within ${JOIN_TIMEOUT_MS / 1000} s` }));
      process.exitCode = 1;
      throw new Error(`only ${burst.joined} of ${agents} agents joined (last error: ${burst.lastError})`);
    }
  }

  if (join_) progress(`joined: ${JSON.stringify(join_)}`);
  sim.connect();
  const connectStart = performance.now();
  const ticker = setInterval(() => progress(`${Math.round((performance.now() - connectStart) / 1000)} s: ${sim.connected()} of ${agents} connected, ${sim.failures()} stream failures`), 10_000);
  // Not all connected within the bound: the figures are measured with those that did (the ramp
  // goes on meanwhile), and the result says how many of how many; the run then exits 1.
  let notAllConnected: string | undefined;
  try {
    await sim.allConnected(Math.max(120_000, (3 * agents * 1000) / ramp));
  } catch (err) {
    notAllConnected = (err as Error).message;
  } finally {
    clearInterval(ticker);
  }
  const connectSeconds = round1((performance.now() - connectStart) / 1000);
  const connectedAtBound = sim.connected();
  if (notAllConnected) {
    progress(`${notAllConnected}; measuring with those (the rest keep trying)`);
    process.exitCode = 1;
  } else progress(`all ${agents} connected in ${connectSeconds} s`);
  const connectWelcome = sim.welcomeMs();
  // Let every agent settle into its 1 Hz rhythm before measuring.
  await new Promise((r) => setTimeout(r, 3000));
  const seqBefore = Math.max(0, ...(await listEvents(30_000)).map((e) => e.seq));
  const windowStartMs = Date.now();

  const m0 = await scrape(metricsPort);
  const before = await cpuSnapshot(pid, sim.pids());
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const m1 = await scrape(metricsPort);
  const window = cpuSince(before, await cpuSnapshot(pid, sim.pids()));
  const elapsedS = window.seconds;
  const rssMb = await rss(pid);

  const evictions = (es: Event__Output[], afterSeq: number) => es.filter((e) => e.seq > afterSeq && e.type === 'node.status' && (e.to === 'down' || e.to === 'suspect'));
  const events = await listEvents(30_000);
  const windowEvictions = evictions(events, seqBefore);
  const falseEvictions = windowEvictions.length;
  // Lists stream in batches, so this works at any pool size; the deadline allows for a busy coordinator.
  const nodes = await listNodes(60_000);

  // New mutual-TLS connections while the agents keep reporting, after the CPU window (they cost the coordinator too).
  const seqBeforeProbes = Math.max(seqBefore, ...events.map((e) => e.seq));
  const handshake = probeTls ? await probeHandshakes(probeTls, probes) : undefined;
  const probeEvictions = handshake ? evictions(await listEvents(30_000), seqBeforeProbes).length : 0;
  const result = {
    agents,
    containersPerAgent: Number(process.env.BATON_BENCH_CONTAINERS),
    containerReports: process.env.BATON_BENCH_FULL_CONTAINERS === '1' ? 'full every report (--full-containers)' : 'usage only once described (unchanged)',
    tls: insecure ? 'off (--insecure)' : 'mutual TLS (node certificates from the join)',
    ...(join_ ? { joinsPerSec: join_.joinsPerSec, join: join_ } : {}),
    ...(handshake ? { handshakeMs: handshake } : {}),
    connectSeconds,
    ...(notAllConnected ? { allConnected: false, connectedAtBound, connectedAtEnd: sim.connected(), error: `only ${connectedAtBound} of ${agents} agents connected within ${connectSeconds} s` } : {}),
    connectWelcomeMs: { p50: round1(percentile(connectWelcome, 0.5)), p99: round1(percentile(connectWelcome, 0.99)), samples: connectWelcome.length },
    seconds: Math.round(elapsedS),
    reportsPerSec: Math.round((m1.reports - m0.reports) / elapsedS),
    ...window.percents,
    coordinatorRssMb: Math.round(rssMb),
    coordinatorHeapUsedMb: m1.heapMb,
    coordinatorExternalMb: m1.externalMb,
    p99ReportLagMs: p99(m0.lagBuckets, m1.lagBuckets),
    falseEvictions,
    ...(falseEvictions > 0
      ? { falseEvictionsDetail: { nodes: new Set(windowEvictions.map((e) => e.node_id)).size, firstAtS: round1((windowEvictions[0]!.at_ms - windowStartMs) / 1000), lastAtS: round1((windowEvictions.at(-1)!.at_ms - windowStartMs) / 1000) } }
      : {}),
    ...(handshake ? { falseEvictionsDuringProbes: probeEvictions } : {}),
    readyNodes: nodes.filter((n) => n.status === 'ready' && n.id !== 'bench-probe').length,
    streamFailures: sim.failures(),
    note: [
      `cpu percents are of one core; the coordinator and the simulated agents (${workers} worker processes: workersCpuPercent) share this machine's ${cpus().length} cores; othersCpuPercent is the rest of the machine's busy time meanwhile (other processes, interrupts)`,
      'p99ReportLagMs is the upper bound of the histogram bucket holding the 99th percentile',
      ...(join_
        ? [
            'joinsPerSec: agents that got a certificate / wall time of the burst (every agent at once: GetClusterCA over unverified TLS, hash check, Join over TLS pinned to the CA; two new TLS connections each); keys and requests were made before it (join.prepareSeconds), as each host makes its own; join.coordinatorCpuMsPerJoin: the coordinator\'s CPU over the burst / joins (1000 / it: the most joins a second one fully used core could take)',
            'handshakeMs: a new mutual-TLS connection with a node certificate to its first answer (JoinService/GetClusterCA), probes one at a time while the agents report, after the measured window (falseEvictionsDuringProbes: evictions meanwhile); tls*: the TLS handshake alone (node:tls to secureConnect)',
            'connectWelcomeMs: each agent from its new mutual-TLS connection to the Welcome on its Connect stream, during the ramp',
          ]
        : []),
    ],
  };
  console.log(JSON.stringify(result));
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);

/** `count` new connections one after another (a pause between): TLS + HTTP/2 + one call, and TLS alone. */
async function probeHandshakes(tls: NodeTls, count: number) {
  const creds = nodeCredentials(tls);
  const full: number[] = [];
  const tlsOnly: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const client = new proto.baton.v1.JoinService(target, creds, { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 }) as JoinServiceClient;
    await new Promise<void>((resolve, reject) => client.GetClusterCA({}, { deadline: Date.now() + 10_000 }, (err) => (err ? reject(err) : resolve())));
    full.push(performance.now() - t0);
    client.close();
    const t1 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, ca: tls.caPem, key: tls.keyPem, cert: tls.certPem, servername: COORDINATOR_TLS_NAME, ALPNProtocols: ['h2'] }, () => {
        tlsOnly.push(performance.now() - t1);
        s.destroy();
        resolve();
      });
      s.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 25));
  }
  return { p50: round1(percentile(full, 0.5)), p99: round1(percentile(full, 0.99)), tlsP50: round1(percentile(tlsOnly, 0.5)), tlsP99: round1(percentile(tlsOnly, 0.99)), samples: count };
}

async function listNodes(timeoutMs = 2000): Promise<NodeInfo__Output[]> {
  const c = control();
  try {
    return await collectBatches(c.ListNodes({}, { deadline: Date.now() + timeoutMs }), (b: ListNodesResponse__Output) => b.nodes);
  } finally {
    c.close();
  }
}

async function listEvents(timeoutMs = 2000): Promise<Event__Output[]> {
  const c = control();
  try {
    return await collectBatches(c.ListEvents({ limit: 0 }, { deadline: Date.now() + timeoutMs }), (b: ListEventsResponse__Output) => b.events);
  } finally {
    c.close();
  }
}

async function scrape(p: number): Promise<{ reports: number; lagBuckets: Map<number, number>; heapMb: number; externalMb: number }> {
  const text = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
  const reports = Number(/^baton_reports_total (\S+)$/m.exec(text)?.[1] ?? 0);
  const mb = (name: string) => Math.round(Number(new RegExp(`^baton_coordinator_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20);
  const lagBuckets = new Map<number, number>();
  for (const m of text.matchAll(/^baton_report_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm)) {
    lagBuckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  }
  return { reports, lagBuckets, heapMb: mb('nodejs_heap_size_used_bytes'), externalMb: mb('nodejs_external_memory_bytes') };
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

async function rss(p: number): Promise<number> {
  const status = await readFile(`/proc/${p}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** A line on stderr about how the run goes (stdout carries only the result). */
function progress(line: string): void {
  process.stderr.write(`bench:ingest: ${line}\n`);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
