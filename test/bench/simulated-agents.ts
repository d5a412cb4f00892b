// Simulated agents for benchmarks: worker processes (ingest-worker.ts) that each run a share of N
// agents, every agent on its own connection, reporting at the heartbeat the coordinator asks for.
// Against a secure coordinator (a join token given) every agent first gets its node certificate by
// the real join, then connects over mutual TLS with it; without a token, plaintext (--insecure).
import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { waitFor } from '../fixtures/processes.js';

/** Parent -> worker. */
export type ToWorker =
  | { type: 'prepare' }
  | { type: 'join'; token: string; concurrency: number; timeoutMs: number }
  | { type: 'connect'; secure: boolean }
  | { type: 'stop' };

/** Worker -> parent. */
export type FromWorker =
  /** Its message handler is in place (messages sent before that would be lost). */
  | { type: 'ready' }
  | { type: 'status'; connected: number; failures: number; welcomeMs: number[] }
  | { type: 'prepared'; ms: number }
  | { type: 'joined'; joined: number; failed: number; startMs: number; endMs: number; latencies: number[]; lastError: string }
  | { type: 'error'; error: string };

export interface JoinBurst {
  agents: number;
  joined: number;
  /** Join attempts that failed (each retried after the agent's backoff). */
  failedAttempts: number;
  /** Wall time from the burst's start to the last certificate received. */
  seconds: number;
  joinsPerSec: number;
  /** One agent's join (GetClusterCA + hash check + Join, two new TLS connections), the attempt that succeeded, from its start. */
  joinMs: { p50: number; p99: number };
  /** Keys and requests made in the workers before the burst (each host's own work), wall time. */
  prepareSeconds: number;
  lastError?: string;
}

export interface SimulatedAgents {
  /** Every agent makes its key and certificate request (before `join`, which does it when not done); resolves with the wall time in seconds. */
  prepare(): Promise<number>;
  /**
   * All agents join at once (at most `concurrency` joins in flight in all); resolves when every
   * agent has its certificate or `timeoutMs` has passed.
   */
  join(o?: { concurrency?: number; timeoutMs?: number }): Promise<JoinBurst>;
  /** Starts the agents (rampPerSec a second): after `join` with a token; at once without one. */
  connect(): void;
  connected(): number;
  failures(): number;
  /** Milliseconds from each new connection's start to its Welcome, so far (every connection, reconnects too). */
  welcomeMs(): number[];
  /** The worker processes' ids (their CPU competes with the coordinator's on one machine). */
  pids(): number[];
  /** Resolves once all agents are welcomed; the error says how many were when time ran out. */
  allConnected(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

interface Kid {
  child: ChildProcess;
  state: { connected: number; failures: number };
  next(type: FromWorker['type']): Promise<FromWorker>;
  ready: Promise<FromWorker>;
}

/**
 * `rampPerSec`: agents started per second in all (connections the coordinator accepts per second).
 * `token`: the coordinator's join token; without it the agents speak plaintext and start at once.
 * `cpuProfDir`: V8 CPU profiles of the worker processes, written there as they stop.
 */
export function startSimulatedAgents(target: string, agents: number, workers: number, rampPerSec = 400, o: { token?: string; cpuProfDir?: string } = {}): SimulatedAgents {
  const welcome: number[] = [];
  const kids: Kid[] = Array.from({ length: workers }, (_, w) => {
    const share = Math.floor(agents / workers) + (w < agents % workers ? 1 : 0);
    const child = fork(new URL('./ingest-worker.ts', import.meta.url).pathname, [target, String(w), String(share), String(Math.ceil(rampPerSec / workers))], {
      execArgv: ['--import', 'tsx', ...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const state = { connected: 0, failures: 0 };
    const waiting = new Map<string, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
    child.on('message', (m: FromWorker) => {
      if (m.type === 'status') {
        state.connected = m.connected;
        state.failures = m.failures;
        for (const x of m.welcomeMs) welcome.push(x);
      } else if (m.type === 'error') {
        for (const p of waiting.values()) p.reject(new Error(`simulated agents (worker ${w}): ${m.error}`));
        waiting.clear();
      } else {
        waiting.get(m.type)?.resolve(m);
        waiting.delete(m.type);
      }
    });
    const next = (type: FromWorker['type']) => new Promise<FromWorker>((resolve, reject) => waiting.set(type, { resolve, reject }));
    return { child, state, next, ready: next('ready') };
  });
  const tell = async (m: ToWorker) => {
    await Promise.all(kids.map((k) => k.ready));
    for (const k of kids) k.child.send(m);
  };
  const connected = () => kids.reduce((s, k) => s + k.state.connected, 0);
  let preparing: Promise<number> | undefined;
  const prepare = () =>
    (preparing ??= (async () => {
      if (!o.token) throw new Error('prepare: no token (the agents speak plaintext)');
      const t0 = performance.now();
      const prepared = kids.map((k) => k.next('prepared'));
      await tell({ type: 'prepare' });
      await Promise.all(prepared);
      return (performance.now() - t0) / 1000;
    })());
  if (!o.token) void tell({ type: 'connect', secure: false });
  return {
    prepare,
    async join(j = {}) {
      if (!o.token) throw new Error('join: no token (the agents speak plaintext)');
      const prepareSeconds = await prepare();
      const joined = kids.map((k) => k.next('joined'));
      const concurrency = Math.max(1, Math.ceil((j.concurrency ?? agents) / workers));
      await tell({ type: 'join', token: o.token, concurrency, timeoutMs: j.timeoutMs ?? 120_000 });
      const rs = (await Promise.all(joined)) as Extract<FromWorker, { type: 'joined' }>[];
      const n = rs.reduce((s, r) => s + r.joined, 0);
      const seconds = (Math.max(...rs.map((r) => r.endMs)) - Math.min(...rs.map((r) => r.startMs))) / 1000;
      const lat = rs.flatMap((r) => r.latencies);
      const lastError = rs.map((r) => r.lastError).find((e) => e);
      return {
        agents,
        joined: n,
        failedAttempts: rs.reduce((s, r) => s + r.failed, 0),
        seconds: round(seconds, 2),
        joinsPerSec: seconds > 0 ? Math.round(n / seconds) : 0,
        joinMs: { p50: round(percentile(lat, 0.5), 1), p99: round(percentile(lat, 0.99), 1) },
        prepareSeconds: round(prepareSeconds, 2),
        ...(lastError ? { lastError } : {}),
      };
    },
    connect() {
      if (o.token) void tell({ type: 'connect', secure: true });
    },
    connected,
    failures: () => kids.reduce((s, k) => s + k.state.failures, 0),
    welcomeMs: () => welcome.slice(),
    pids: () => kids.map((k) => k.child.pid!),
    async allConnected(timeoutMs) {
      try {
        await waitFor(`${agents} agents connected`, () => connected() >= agents, timeoutMs, 250);
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${connected()} were`, { cause: err });
      }
    },
    async stop() {
      for (const k of kids) if (k.child.connected) k.child.send({ type: 'stop' } satisfies ToWorker);
      // Time to exit by themselves (and write their CPU profiles), then no more.
      await Promise.all(
        kids.filter((k) => k.child.exitCode === null && k.child.signalCode === null).map((k) => Promise.race([new Promise((r) => k.child.once('exit', r)), new Promise((r) => setTimeout(r, 5000))])),
      );
      for (const k of kids) k.child.kill('SIGKILL');
    },
  };
}

/** The nearest-rank percentile (q in 0..1) of `xs`; NaN when empty. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---- CPU accounting: the coordinator, the simulated agents, and the rest of the machine ----

/** utime + stime of a process (all its threads), in clock ticks (100/s). */
export async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy clock ticks of the whole machine (all cores): /proc/stat's cpu line less idle and iowait. */
async function machineTicks(): Promise<number> {
  const [, ...f] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).map(Number);
  return f.slice(0, 8).reduce((a, b) => a + b, 0) - f[3]! - f[4]!;
}

export interface CpuSnapshot {
  atMs: number;
  coordinator: number;
  workers: number;
  self: number;
  machine: number;
}

export interface CpuPercents {
  coordinatorCpuPercent: number;
  workersCpuPercent: number;
  /** The machine's busy time not the coordinator's, the workers' or this process's (other processes, interrupts). */
  othersCpuPercent: number;
}

export async function cpuSnapshot(coordinatorPid: number, workerPids: number[]): Promise<CpuSnapshot> {
  const [coordinator, workers, self, machine] = await Promise.all([
    cpuTicks(coordinatorPid),
    Promise.all(workerPids.map(cpuTicks)).then((ts) => ts.reduce((a, b) => a + b, 0)),
    cpuTicks(process.pid),
    machineTicks(),
  ]);
  return { atMs: performance.now(), coordinator, workers, self, machine };
}

/** CPU between two snapshots, as percentages of one core. */
export function cpuSince(a: CpuSnapshot, b: CpuSnapshot): { seconds: number; coordinatorTicks: number; percents: CpuPercents } {
  const s = (b.atMs - a.atMs) / 1000;
  const pct = (ticks: number) => round((ticks / 100 / s) * 100, 1);
  const ours = b.coordinator - a.coordinator + (b.workers - a.workers) + (b.self - a.self);
  return {
    seconds: s,
    coordinatorTicks: b.coordinator - a.coordinator,
    percents: { coordinatorCpuPercent: pct(b.coordinator - a.coordinator), workersCpuPercent: pct(b.workers - a.workers), othersCpuPercent: pct(Math.max(0, b.machine - a.machine - ours)) },
  };
}
