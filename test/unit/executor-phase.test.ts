// The restart supervisor's phase table (agent/supervisor/phase.ts), checked against a matrix written
// out independently here, and the supervisor's use of it: every move goes through transition(),
// which logs it, and a stop that lands in the middle of a start is reported as a stop.
import t from 'tap';
import type { EnsureResult, Executor } from '../../agent/executor/types.js';
import { canTransition, PHASE_TRANSITIONS, PhaseTransitionError, type Phase } from '../../agent/supervisor/phase.js';
import { RestartSupervisor } from '../../agent/supervisor/restart-supervisor.js';
import type { Logger } from '../../shared/logger.js';
import { replicaSpec, StatusLog } from '../fixtures/executor/replicas.js';

const PHASES: Phase[] = ['starting', 'running', 'backoff', 'retry', 'done', 'stopped'];

// Rows: from; columns: to, in PHASES order. x = allowed.
//                 starting running backoff retry done stopped
const MATRIX: Record<Phase, string> = {
  starting: /*  */ '.        x       .       x     x    x',
  running: /*   */ '.        .       x       .     x    x',
  backoff: /*   */ 'x        .       .       .     .    x',
  retry: /*     */ 'x        .       .       .     .    x',
  done: /*      */ '.        .       .       .     .    x',
  stopped: /*   */ 'x        .       .       .     .    x',
};

t.test('the table allows exactly the moves of the matrix', async (t) => {
  t.same(Object.keys(PHASE_TRANSITIONS).sort(), [...PHASES].sort(), 'one row per phase');
  for (const from of PHASES) {
    const row = MATRIX[from].split(/\s+/);
    PHASES.forEach((to, i) => t.equal(canTransition(from, to), row[i] === 'x', `${from} -> ${to}`));
  }
});

t.test('moves that would lose a decision are refused', async (t) => {
  // Each would skip a step the supervisor relies on; the reason is in the name.
  const refused: [Phase, Phase, string][] = [
    ['done', 'starting', 'a replica the policy gave up on stays down until Baton stops it'],
    ['running', 'starting', 'an exit is decided (backoff or done) before a restart'],
    ['backoff', 'running', 'a restart goes through starting'],
    ['retry', 'running', 'a retried restart goes through starting'],
    ['stopped', 'running', 'a replica stopped by Baton is started by run(), through starting'],
    ['stopped', 'done', 'a stop is final until run()'],
  ];
  for (const [from, to, why] of refused) t.notOk(canTransition(from, to), `${from} -> ${to}: ${why}`);
  const err = new PhaseTransitionError('a1', 'done', 'starting');
  t.match(err, { name: 'PhaseTransitionError', allocationId: 'a1', from: 'done', to: 'starting' });
  t.match(err.message, /a1 cannot go from done to starting/);
});

/** An executor whose ensureRunning() the test settles by hand; everything else succeeds at once. */
class HandExecutor implements Executor {
  private settle: ((r: EnsureResult | Error) => void) | undefined;
  private onStart: () => void = () => {};
  /** Resolves when ensureRunning() has been called. */
  readonly started = new Promise<void>((r) => (this.onStart = r));
  ensureRunning(): Promise<EnsureResult> {
    this.onStart();
    return new Promise((resolve, reject) => (this.settle = (r) => (r instanceof Error ? reject(r) : resolve(r))));
  }
  finish(r: EnsureResult | Error): void {
    this.settle!(r);
  }
  async stop() {
    return { ok: true as const, wasRunning: false, killed: false };
  }
  async remove() {
    return { ok: true as const, existed: false };
  }
  async list() {
    return [];
  }
  async inspect() {
    return undefined;
  }
  stopRequested() {
    return false;
  }
  watchExits() {
    return { connected: Promise.resolve(), close: async () => {} };
  }
}

function recordingLogger(moves: string[]): Logger {
  const noop = () => {};
  const debug = (o: { from?: string; to?: string }, msg: string) => msg === 'replica phase' && moves.push(`${o.from}->${o.to}`);
  return { debug, info: noop, warn: noop, error: noop } as unknown as Logger;
}

t.test('every phase move is logged', async (t) => {
  const executor = new HandExecutor();
  const moves: string[] = [];
  const log = new StatusLog();
  const sup = new RestartSupervisor({ executor, onStatus: log.onStatus, watchExits: false, resyncIntervalMs: 60_000, logger: recordingLogger(moves) });
  sup.start();
  t.teardown(() => sup.close());
  const spec = replicaSpec('phase', { image: 'unused' });
  const running = sup.run(spec);
  await executor.started;
  executor.finish({ ok: true, containerId: 'c1', created: true, started: true });
  await running;
  await sup.stop(spec.allocationId, 1000);
  await sup.remove(spec.allocationId);
  // A new entry starts in `starting` (no move); then started, stopped, removed (stays stopped).
  t.same(moves, ['starting->running', 'running->stopped', 'stopped->stopped']);
  t.same(log.trail(spec.allocationId), ['starting/0', 'running/0', 'stopped/0', 'removed/0']);
});

t.test('a stop during a start that then fails is reported as stopped, not failed', async (t) => {
  const executor = new HandExecutor();
  const log = new StatusLog();
  const sup = new RestartSupervisor({ executor, onStatus: log.onStatus, watchExits: false, resyncIntervalMs: 60_000 });
  sup.start();
  t.teardown(() => sup.close());
  const spec = replicaSpec('phase', { image: 'unused' });
  const run = sup.run(spec);
  await executor.started;
  const stopped = sup.stop(spec.allocationId, 1000); // while ensureRunning is in flight
  executor.finish(new Error('engine unreachable'));
  await run;
  t.match(await stopped, { ok: true });
  t.same(log.trail(spec.allocationId), ['starting/0', 'stopped/0']);
  t.match(sup.status(spec.allocationId), { state: 'stopped' });
});
