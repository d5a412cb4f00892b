// Baton's own health checks without Docker: the pure state machine (probe-state.ts) as a table of
// check sequences with Docker's semantics, and the runner (probe-runner.ts) on a manual clock.
import t from 'tap';
import { ProbeRunner } from '../../agent/health/probe-runner.js';
import { afterCheck, INITIAL_PROBE_STATE, nextCheckDelayMs, probeTimings, type ProbeState, type ProbeTimings } from '../../agent/health/probe-state.js';
import { runProbe } from '../../agent/health/probes.js';
import type { Clock, TimerHandle } from '../../shared/clock.js';
import { MAX_HEALTH_OUTPUT_BYTES, truncateHealthOutput } from '../../shared/model/health.js';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';

const T = (p: Partial<ProbeTimings> = {}): ProbeTimings => ({ intervalMs: 1000, timeoutMs: 500, retries: 3, startPeriodMs: 0, startIntervalMs: 200, ...p });

interface Row {
  name: string;
  timings: ProbeTimings;
  /** Each check: when it began (ms after the container started) and whether it passed. */
  checks: [atMs: number, ok: boolean][];
  /** The status after each check, and the failing streak after the last. */
  want: ProbeState['status'][];
  streak: number;
}

const rows: Row[] = [
  { name: 'a success makes it healthy', timings: T(), checks: [[1000, true]], want: ['healthy'], streak: 0 },
  // retries 3: the third failure in a row turns it unhealthy, not before.
  { name: 'three failures without a start period: unhealthy on the third', timings: T(), checks: [[1000, false], [2000, false], [3000, false]], want: ['starting', 'starting', 'unhealthy'], streak: 3 },
  { name: 'healthy, then two failures stay healthy, the third turns unhealthy', timings: T(), checks: [[1000, true], [2000, false], [3000, false], [4000, false]], want: ['healthy', 'healthy', 'healthy', 'unhealthy'], streak: 3 },
  { name: 'a success in between resets the streak', timings: T(), checks: [[1000, false], [2000, false], [3000, true], [4000, false], [5000, false]], want: ['starting', 'starting', 'healthy', 'healthy', 'healthy'], streak: 2 },
  { name: 'unhealthy, then one success: healthy again', timings: T({ retries: 1 }), checks: [[1000, false], [2000, true]], want: ['unhealthy', 'healthy'], streak: 0 },
  // start period 5 s: failures that began at 1, 2, 3, 4 s do not count; those at 5 s (5000 - 0 is not < 5000) and after do.
  { name: 'failures during start_period do not count', timings: T({ startPeriodMs: 5000 }), checks: [[1000, false], [2000, false], [3000, false], [4000, false], [5000, false], [6000, false], [7000, false]], want: ['starting', 'starting', 'starting', 'starting', 'starting', 'starting', 'unhealthy'], streak: 3 },
  // After the first success the start period no longer shields failures (Docker checks it only while starting).
  { name: 'a success ends the start period', timings: T({ startPeriodMs: 60_000, retries: 2 }), checks: [[1000, true], [2000, false], [3000, false]], want: ['healthy', 'healthy', 'unhealthy'], streak: 2 },
  { name: 'retries 1: the first counted failure is enough', timings: T({ retries: 1 }), checks: [[1000, false]], want: ['unhealthy'], streak: 1 },
];

t.test('state machine: table of check sequences', async (t) => {
  for (const row of rows) {
    let state = INITIAL_PROBE_STATE;
    const seen: string[] = [];
    for (const [atMs, ok] of row.checks) {
      state = afterCheck(state, row.timings, { ok, output: `check at ${atMs}`, startedAtMs: 10_000 + atMs }, 10_000);
      seen.push(state.status);
    }
    t.same(seen, row.want, row.name);
    t.equal(state.failingStreak, row.streak, `${row.name}: streak`);
    t.equal(state.output, `check at ${row.checks.at(-1)![0]}`, `${row.name}: keeps the last output`);
  }
});

t.test('next check: start_interval only while starting within the start period', async (t) => {
  const timings = T({ startPeriodMs: 5000, startIntervalMs: 200, intervalMs: 1000 });
  const starting = INITIAL_PROBE_STATE;
  const healthy: ProbeState = { status: 'healthy', failingStreak: 0, output: '' };
  // Container started at 0.
  t.equal(nextCheckDelayMs(starting, timings, 0, 0), 200, 'at the start: start_interval');
  t.equal(nextCheckDelayMs(starting, timings, 4999, 0), 200, 'just inside the start period');
  t.equal(nextCheckDelayMs(starting, timings, 5000, 0), 1000, 'start period over: interval');
  t.equal(nextCheckDelayMs(healthy, timings, 1000, 0), 1000, 'healthy within the start period: interval');
  t.equal(nextCheckDelayMs(starting, T({ startPeriodMs: 0 }), 0, 0), 1000, 'no start period: interval from the start');
});

t.test("timings: zeros read as Docker's defaults", async (t) => {
  const zero = { test: [], intervalMs: 0, timeoutMs: 0, retries: 0, startPeriodMs: 0, disable: false };
  t.same(probeTimings(zero), { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, startIntervalMs: 5_000 });
  t.same(probeTimings({ ...zero, intervalMs: 1000, timeoutMs: 300, retries: 2, startPeriodMs: 4000, startIntervalMs: 100 }), { intervalMs: 1000, timeoutMs: 300, retries: 2, startPeriodMs: 4000, startIntervalMs: 100 });
});

t.test('output is cut to 1 KiB on a character boundary', async (t) => {
  t.equal(truncateHealthOutput('  ok\n'), 'ok', 'trimmed');
  const long = 'é'.repeat(1000); // 2000 bytes
  const cut = truncateHealthOutput(long);
  t.ok(Buffer.byteLength(cut) <= MAX_HEALTH_OUTPUT_BYTES, `at most ${MAX_HEALTH_OUTPUT_BYTES} bytes: ${Buffer.byteLength(cut)}`);
  t.ok(cut.endsWith('…') && !cut.includes('\uFFFD'), 'marked, no broken character');
  // (1024 - 3 marker bytes) = 1021 bytes of 2-byte characters: 510 whole ones.
  t.equal(cut.length, 511);
});

/** A clock whose timers fire only when the test advances it. */
class TimerClock implements Clock {
  nowMs = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now(): number {
    return this.nowMs;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.push({ at: this.nowMs + ms, fn, id });
    return id;
  }
  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  /** Moves time on, firing due timers in order, and lets their promise work settle. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.nowMs = due.at;
      due.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.nowMs = end;
  }
}

t.test('runner: first check after one interval, then after each; a hung check times out', async (t) => {
  const clock = new TimerClock();
  const calls: number[] = [];
  let answer: 'ok' | 'fail' | 'hang' = 'fail';
  const results: { status: string; output: string; at: number }[] = [];
  const runner = new ProbeRunner({
    timings: T({ retries: 2, timeoutMs: 300 }),
    clock,
    containerStartedAtMs: 0,
    check: (signal) => {
      calls.push(clock.now());
      if (answer === 'hang') return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ ok: false, output: 'aborted' })));
      return Promise.resolve({ ok: answer === 'ok', output: answer });
    },
    onResult: (state) => results.push({ status: state.status, output: state.output, at: clock.now() }),
  });
  runner.start();
  await clock.advance(999);
  t.same(calls, [], 'nothing before the first interval');
  await clock.advance(1);
  t.same(calls, [1000], 'first check at 1 s');
  answer = 'ok';
  await clock.advance(1000);
  t.same(results.map((r) => r.status), ['starting', 'healthy']);
  answer = 'hang';
  // Check at 3000 hangs; the 300 ms timeout ends it at 3300; the next one is one interval later, at 4300.
  await clock.advance(1300);
  t.same(calls, [1000, 2000, 3000], 'no new check while one is in flight');
  t.match(results.at(-1), { status: 'healthy', output: /^Health check exceeded timeout \(300 ms\): aborted$/, at: 3300 });
  // The check at 4300 hangs too and times out at 4600: the second failure in a row.
  await clock.advance(1300);
  t.same(calls, [1000, 2000, 3000, 4300]);
  t.match(results.at(-1), { status: 'unhealthy', at: 4600 }, 'second failure in a row (retries 2)');
  runner.stop();
  await clock.advance(10_000);
  t.equal(calls.length, 4, 'no checks after stop');
});

t.test('probes against real sockets: http status range and Host header, tcp connect, refused port', async (t) => {
  const seenHosts: string[] = [];
  const http = createServer((req, res) => {
    seenHosts.push(req.headers.host ?? '');
    res.statusCode = req.url === '/ok' ? 204 : 503;
    res.end('body');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  t.teardown(() => http.close());
  const port = (http.address() as AddressInfo).port;
  const signal = new AbortController().signal;
  const range = { statusMin: 200, statusMax: 399 };
  t.same(await runProbe({ kind: 'http', port, path: '/ok', ...range, host: 'web.example' }, '127.0.0.1', signal), { ok: true, output: `GET http://127.0.0.1:${port}/ok: 204 No Content` });
  t.same(await runProbe({ kind: 'http', port, path: '/bad', ...range }, '127.0.0.1', signal), { ok: false, output: `GET http://127.0.0.1:${port}/bad: 503 Service Unavailable (expected 200-399)` });
  t.same(seenHosts, ['web.example', `127.0.0.1:${port}`], 'Host header when given, else the address');

  const tcp = createTcpServer((s) => s.end());
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const tcpPort = (tcp.address() as AddressInfo).port;
  t.same(await runProbe({ kind: 'tcp', port: tcpPort }, '127.0.0.1', signal), { ok: true, output: `connected to 127.0.0.1:${tcpPort}` });
  await new Promise<void>((r) => tcp.close(() => r()));
  t.match(await runProbe({ kind: 'tcp', port: tcpPort }, '127.0.0.1', signal), { ok: false, output: new RegExp(`^connect to 127.0.0.1:${tcpPort}: ECONNREFUSED`) });
  t.same(await runProbe({ kind: 'tcp', port: 80 }, '', signal), { ok: false, output: 'the container has no IP address to check' });
});
