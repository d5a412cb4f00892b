// The pure rollout step: a table of situations (record, replicas and their health, now) -> what it
// admits, stops, lets the reconciler place or hold, and how the record moves. The clock is the
// `nowMs` of each row; nothing sleeps.
import t from 'tap';
import type { UpdateConfigSpec } from '../../shared/compose/types.js';
import { healthDeadlineMs, START_ALLOWANCE_MS } from '../../coordinator/rollout/deadline.js';
import type { RolloutAllocation, RolloutInput } from '../../coordinator/rollout/input.js';
import { newRollout, type RolloutRecord, type RolloutSlotRecord } from '../../coordinator/rollout/record.js';
import { rolloutStep, type RolloutDecision } from '../../coordinator/rollout/step.js';
import { deepFreeze } from '../fixtures/reconcile/builders.js';

/** The rollout (generation 4, spec `old` -> generation 5, spec `new`) started at T0. */
const T0 = 100_000;
const CFG: UpdateConfigSpec = { parallelism: 1, delayMs: 0, failureAction: 'rollback', monitorMs: 5_000, maxFailureRatio: 0, order: 'start-first' };
const DEADLINE_MS = 70_000;

function record(cfg: Partial<UpdateConfigSpec> = {}, slots: Record<number, Partial<RolloutSlotRecord>> = {}, over: Partial<RolloutRecord> = {}): RolloutRecord {
  const r = newRollout({ kind: 'update', target: { generation: 5, specHash: 'new' }, from: { generation: 4, specHash: 'old' }, config: { ...CFG, ...cfg }, nowMs: T0 });
  for (const [k, s] of Object.entries(slots)) r.slots[k] = { allocationId: '', admittedAtMs: T0, order: r.config.order, ...s };
  return { ...r, ...over };
}

/** An old replica, running and healthy since long before the rollout. */
const old = (slot: number, over: Partial<RolloutAllocation> = {}): RolloutAllocation => ({
  id: `old.${slot}`, slot, specHash: 'old', desired: 'run', createdAtMs: 0, live: 'running', health: 'healthy', reported: true, restarts: 0, exitCode: 0, ...over,
});
/** A new replica placed at T0 + 1 s, running, health still starting. */
const neu = (slot: number, over: Partial<RolloutAllocation> = {}): RolloutAllocation => ({
  id: `new.${slot}`, slot, specHash: 'new', desired: 'run', createdAtMs: T0 + 1000, live: 'running', health: 'starting', reported: true, restarts: 0, exitCode: 0, ...over,
});
const olds = (n: number) => Array.from({ length: n }, (_, i) => old(i + 1));

function input(over: Partial<RolloutInput> & { record: RolloutRecord; allocations: RolloutAllocation[] }): RolloutInput {
  return { service: 'web', replicas: 3, expectsHealth: true, deadlineMs: DEADLINE_MS, unplaced: new Map(), nowMs: T0 + 2000, ...over };
}

/** The decision in a form a row can state: slot outcomes (`-` = in flight), stops, gate. */
interface Seen {
  state: string;
  slots: Record<string, string>;
  stop: string[];
  place: number[];
  hold: number[];
  rollbackTo?: number;
  events: string[];
}
function seen(d: RolloutDecision): Seen {
  return {
    state: d.record.state,
    slots: Object.fromEntries(Object.entries(d.record.slots).map(([k, s]) => [k, `${s.outcome ?? '-'}${s.order === 'stop-first' ? ' (stop-first)' : ''}`])),
    stop: d.stop.map((s) => s.allocationId),
    place: [...(d.gate?.place ?? [])].sort(),
    hold: [...(d.gate?.hold ?? [])].sort(),
    ...(d.rollback ? { rollbackTo: d.rollback.toGeneration } : {}),
    events: d.events.map((e) => e.type),
  };
}

interface Case {
  name: string;
  in: RolloutInput;
  want: Partial<Seen>;
}

const cases: Case[] = [
  // ---------------------------------------------------------------- batches and order
  {
    name: 'start-first, parallelism 1: slot 1 admitted, placed beside its old copy, nothing stopped',
    in: input({ record: record(), allocations: olds(3) }),
    want: { state: 'running', slots: { 1: '-' }, stop: [], place: [1] },
  },
  {
    name: 'stop-first, parallelism 1: slot 1 admitted, its old copy stopped, the new one waits for it to go',
    in: input({ record: record({ order: 'stop-first' }), allocations: olds(3) }),
    want: { slots: { 1: '- (stop-first)' }, stop: ['old.1'], place: [] },
  },
  {
    name: 'stop-first: the old copy no longer runs (desired stop, exited): the new one may be placed',
    in: input({ record: record({ order: 'stop-first' }, { 1: {} }), allocations: [old(1, { desired: 'stop', live: 'exited' }), old(2), old(3)] }),
    want: { slots: { 1: '- (stop-first)' }, stop: [], place: [1] },
  },
  {
    name: 'parallelism 2: slots 1 and 2 admitted at once',
    in: input({ record: record({ parallelism: 2 }), allocations: olds(3) }),
    want: { slots: { 1: '-', 2: '-' }, place: [1, 2] },
  },
  {
    name: 'parallelism 0: every slot admitted at once',
    in: input({ record: record({ parallelism: 0 }), allocations: olds(3) }),
    want: { slots: { 1: '-', 2: '-', 3: '-' }, place: [1, 2, 3] },
  },
  {
    name: 'parallelism 1, slot 1 still starting: nothing more admitted, nothing stopped',
    in: input({ record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [], place: [] },
  },
  {
    name: 'start-first: slot 1 healthy -> updated, its old copy stopped, the freed worker takes slot 2 in the same round',
    in: input({ record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { health: 'healthy' }), ...olds(3)] }),
    want: { slots: { 1: 'updated', 2: '-' }, stop: ['old.1'], place: [2] },
  },
  {
    name: 'delay 10 s: slot 1 updated at T0+2s, the worker rests; slot 2 not admitted yet',
    in: input({ record: record({ delayMs: 10_000 }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { health: 'healthy' }), ...olds(3)] }),
    want: { slots: { 1: 'updated' }, stop: ['old.1'], place: [] },
  },
  {
    // done at T0+2000; T0+11999 - (T0+2000) = 9999 < 10000: resting; T0+12000 - (T0+2000) = 10000: free.
    name: 'delay 10 s: 9,999 ms after slot 1 was done the worker still rests',
    in: input({ nowMs: T0 + 11_999, record: record({ delayMs: 10_000 }, { 1: { allocationId: 'new.1', outcome: 'updated', doneAtMs: T0 + 2000 } }), allocations: [neu(1, { health: 'healthy' }), old(2), old(3)] }),
    want: { slots: { 1: 'updated' }, place: [] },
  },
  {
    name: 'delay 10 s: 10,000 ms after slot 1 was done slot 2 is admitted',
    in: input({ nowMs: T0 + 12_000, record: record({ delayMs: 10_000 }, { 1: { allocationId: 'new.1', outcome: 'updated', doneAtMs: T0 + 2000 } }), allocations: [neu(1, { health: 'healthy' }), old(2), old(3)] }),
    want: { slots: { 1: 'updated', 2: '-' }, place: [2] },
  },
  {
    name: 'a start-first slot that could not be placed beside its old copy falls back to stop-first, and says so',
    in: input({ record: record({}, { 1: {} }), allocations: olds(3), unplaced: new Map([[1, 'node n1 has host port 80/tcp in use']]) }),
    want: { slots: { 1: '- (stop-first)' }, stop: ['old.1'], place: [], events: ['rollout.stop-first'] },
  },
  // ---------------------------------------------------------------- monitor and health
  {
    // running since T0+1000; monitor 5000: at T0+5999 it has run 4,999 ms.
    name: 'no health check: running 4,999 ms of a 5,000 ms monitor is not yet updated',
    in: input({ nowMs: T0 + 5999, expectsHealth: false, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1000 } }), allocations: [neu(1, { health: 'none' }), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [] },
  },
  {
    name: 'no health check: running the whole 5,000 ms monitor counts as updated',
    in: input({ nowMs: T0 + 6000, expectsHealth: false, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1000 } }), allocations: [neu(1, { health: 'none' }), ...olds(3)] }),
    want: { slots: { 1: 'updated', 2: '-' }, stop: ['old.1'] },
  },
  {
    name: 'a health check named by the spec: running past the monitor is not enough, it must report healthy',
    in: input({ nowMs: T0 + 60_000, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1000 } }), allocations: [neu(1, { health: '' }), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [] },
  },
  {
    name: "no check in the spec, but the image's own reports starting: waits for healthy",
    in: input({ nowMs: T0 + 60_000, expectsHealth: false, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1000 } }), allocations: [neu(1, { health: 'starting' }), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [] },
  },
  // ---------------------------------------------------------------- failures and failure_action
  {
    // 1 failed / 3 slots to move = 0.33 > 0 -> rollback.
    name: 'rollback: 1 of 3 unhealthy with max_failure_ratio 0 -> roll back to generation 4, nothing more admitted',
    in: input({ record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { health: 'unhealthy' }), ...olds(3)] }),
    want: { state: 'running', slots: { 1: 'failed' }, stop: [], place: [], hold: [1], rollbackTo: 4, events: ['rollout.replica-failed', 'rollout.rollback'] },
  },
  {
    name: 'pause: the same failure pauses; old copies keep serving',
    in: input({ record: record({ failureAction: 'pause' }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { health: 'unhealthy' }), ...olds(3)] }),
    want: { state: 'paused', slots: { 1: 'failed' }, stop: [], place: [], hold: [1], events: ['rollout.replica-failed', 'rollout.paused'] },
  },
  {
    name: 'paused: nothing admitted, but an in-flight slot that turns healthy completes (no two copies forever)',
    in: input({ record: record({ failureAction: 'pause', parallelism: 2 }, { 1: { allocationId: 'new.1', outcome: 'failed', failureKind: 'unhealthy' }, 2: { allocationId: 'new.2' } }, { state: 'paused' }), allocations: [neu(1, { health: 'unhealthy' }), neu(2, { health: 'healthy' }), ...olds(3)] }),
    want: { state: 'paused', slots: { 1: 'failed', 2: 'updated' }, stop: ['old.2'], place: [], hold: [1] },
  },
  {
    name: 'continue: the failure is counted, the slot is held (not replaced), slot 2 admitted',
    in: input({ record: record({ failureAction: 'continue' }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { health: 'unhealthy' }), ...olds(3)] }),
    want: { state: 'running', slots: { 1: 'failed', 2: '-' }, stop: [], place: [2], hold: [1] },
  },
  {
    // 1 / 3 = 0.333 <= 0.34: tolerated; the failed slot is held, the rollout goes on.
    name: 'max_failure_ratio 0.34, 3 slots: 1 failure (1/3 = 0.333) is tolerated',
    in: input({ record: record({ maxFailureRatio: 0.34 }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { live: 'exited', exitCode: 1 }), ...olds(3)] }),
    want: { state: 'running', slots: { 1: 'failed', 2: '-' }, hold: [1] },
  },
  {
    // 2 / 3 = 0.667 > 0.34: act.
    name: 'max_failure_ratio 0.34, 3 slots: 2 failures (2/3 = 0.667) roll back',
    in: input({ record: record({ maxFailureRatio: 0.34 }, { 1: { allocationId: 'new.1', outcome: 'failed', failureKind: 'exited' }, 2: { allocationId: 'new.2' } }), allocations: [neu(1, { live: 'exited' }), neu(2, { live: 'exited' }), ...olds(3)] }),
    want: { slots: { 1: 'failed', 2: 'failed' }, rollbackTo: 4 },
  },
  {
    // SwarmKit compares with `>`: 1 / 2 = 0.5 is not > 0.5.
    name: 'max_failure_ratio 0.5, 2 slots: 1 failure (1/2 = 0.5, not > 0.5) is tolerated',
    in: input({ replicas: 2, record: record({ maxFailureRatio: 0.5 }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { failed: 'no such image' }), old(1), old(2)] }),
    want: { state: 'running', slots: { 1: 'failed', 2: '-' } },
  },
  {
    // 1 / 4 = 0.25 > 0.2. The denominator is the slots to move, not the replicas updated so far (SwarmKit's len(dirtySlots)).
    name: 'max_failure_ratio 0.2, 4 slots: the first failure (1/4 = 0.25) already acts',
    in: input({ replicas: 4, record: record({ maxFailureRatio: 0.2 }, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { restarts: 2 }), ...olds(4)] }),
    want: { slots: { 1: 'failed' }, rollbackTo: 4 },
  },
  {
    name: 'a rollback that fails is not rolled back: it pauses',
    in: input({ record: record({}, { 1: { allocationId: 'new.1' } }, { kind: 'rollback' }), allocations: [neu(1, { health: 'unhealthy' }), ...olds(3)] }),
    want: { state: 'paused', slots: { 1: 'failed' }, events: ['rollout.replica-failed', 'rollout.paused'] },
  },
  // ---------------------------------------------------------------- the deadline
  {
    // placed at T0+1000, deadline 70,000: at T0+71,001 it is 70,001 ms old.
    name: 'deadline: still starting 70,001 ms after its placement -> failure',
    in: input({ nowMs: T0 + 71_001, record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1), ...olds(3)] }),
    want: { slots: { 1: 'failed' }, rollbackTo: 4 },
  },
  {
    name: 'deadline: exactly 70,000 ms old is still in time',
    in: input({ nowMs: T0 + 71_000, record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1), ...olds(3)] }),
    want: { slots: { 1: '-' } },
  },
  {
    name: 'deadline: not applied while its node does not report (as after a coordinator restart)',
    in: input({ nowMs: T0 + 500_000, record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1, { live: undefined, health: '', reported: false }), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [], place: [] },
  },
  {
    // admitted at T0, deadline 70,000: at T0+70,001 still nothing placed.
    name: 'deadline: admitted 70,001 ms ago and never placed (the new spec fits nowhere) -> failure, the slot held, its old copy kept',
    in: input({ nowMs: T0 + 70_001, record: record({ failureAction: 'pause' }, { 1: {} }), allocations: olds(3), unplaced: new Map([[1, 'no node satisfies node.labels.zone==edge']]) }),
    want: { state: 'paused', slots: { 1: 'failed' }, stop: [], hold: [1], place: [] },
  },
  // ---------------------------------------------------------------- superseding and resuming
  {
    // Deployed back to `old` (generation 6) while generation 5 rolled: slot 1 already runs generation 5.
    name: 'superseded back to the old spec: replicas on it are kept, only slot 1 (on the newer spec) moves',
    in: input({
      record: { ...record(), targetGeneration: 6, targetSpecHash: 'old', fromGeneration: 5, fromSpecHash: 'new', startedAtMs: T0 + 1500 },
      allocations: [neu(1, { health: 'healthy' }), old(2), old(3)],
    }),
    want: { slots: { 1: '-' }, stop: [], place: [1] },
  },
  {
    name: 'superseded by a third spec: every slot, on either older spec, moves',
    in: input({
      record: { ...record({ parallelism: 0 }), targetGeneration: 6, targetSpecHash: 'v3', fromGeneration: 5, fromSpecHash: 'new', startedAtMs: T0 + 1500 },
      allocations: [neu(1, { health: 'healthy' }), old(2), old(3)],
    }),
    want: { slots: { 1: '-', 2: '-', 3: '-' }, place: [1, 2, 3] },
  },
  {
    name: 'resumed from a stored record, before any node reports: nothing failed, stopped, admitted or placed twice',
    in: input({ nowMs: T0 + 400_000, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1500 } }), allocations: [neu(1, { live: undefined, health: '', reported: false }), ...olds(3).map((a) => ({ ...a, live: undefined, reported: false }))] }),
    want: { state: 'running', slots: { 1: '-' }, stop: [], place: [] },
  },
  {
    name: 'resumed, the nodes report again: slot 1 healthy -> its old copy stopped, slot 2 admitted',
    in: input({ nowMs: T0 + 400_000, record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1500 } }), allocations: [neu(1, { health: 'healthy' }), ...olds(3)] }),
    want: { slots: { 1: 'updated', 2: '-' }, stop: ['old.1'], place: [2] },
  },
  {
    name: 'the new replica was lost with its node and replaced: the replacement is followed from scratch',
    in: input({ record: record({}, { 1: { allocationId: 'new.1', runningSinceMs: T0 + 1000 } }), allocations: [neu(1, { desired: 'stop' }), neu(1, { id: 'new.1b', createdAtMs: T0 + 1800 }), ...olds(3)] }),
    want: { slots: { 1: '-' }, stop: [], place: [] },
  },
  // ---------------------------------------------------------------- scale and completion
  {
    name: 'scaled down to 2 mid-rollout: slot 3 leaves the rollout (the reconciler stops it)',
    in: input({ replicas: 2, record: record({ parallelism: 0 }, { 1: { allocationId: 'new.1', outcome: 'updated' }, 3: {} }), allocations: [neu(1, { health: 'healthy' }), old(2), old(3)] }),
    want: { slots: { 1: 'updated', 2: '-' }, stop: [], place: [2] },
  },
  {
    name: 'scaled up mid-rollout: a new-spec replica placed in slot 4 is followed like the others',
    in: input({ replicas: 4, record: record({}, { 1: { allocationId: 'new.1' } }), allocations: [neu(1), ...olds(3), neu(4)] }),
    want: { slots: { 1: '-', 4: '-' }, place: [] },
  },
  {
    name: 'the last slot healthy: completed, its old copy stopped, the gate lifted',
    in: input({ record: record({}, { 1: { allocationId: 'new.1', outcome: 'updated' }, 2: { allocationId: 'new.2', outcome: 'updated' }, 3: { allocationId: 'new.3' } }), allocations: [neu(1, { health: 'healthy' }), neu(2, { health: 'healthy' }), neu(3, { health: 'healthy' }), old(3)] }),
    want: { state: 'completed', slots: { 1: 'updated', 2: 'updated', 3: 'updated' }, stop: ['old.3'], place: [], hold: [], events: ['rollout.completed'] },
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const frozen = deepFreeze(structuredClone(c.in));
    const d = rolloutStep(frozen);
    const got = seen(d);
    for (const [k, v] of Object.entries(c.want)) t.same(got[k as keyof Seen], v, k);
    t.same(seen(rolloutStep(frozen)), got, 'the same input gives the same decision (and the input is not mutated: it is frozen)');
  });
}

t.test('the rollback event says why, with the arithmetic of the ratio', async (t) => {
  const d = rolloutStep(input({ record: record({ parallelism: 0 }, { 1: { allocationId: 'new.1' }, 2: { allocationId: 'new.2' }, 3: { allocationId: 'new.3' } }), allocations: [neu(1, { health: 'unhealthy' }), neu(2, { health: 'unhealthy' }), neu(3), ...olds(3)] }));
  t.equal(d.rollback?.reason, 'web: 2 of 3 new replicas unhealthy (max_failure_ratio 0): rolling back to generation 4');
  t.equal(d.record.reason, d.rollback?.reason);
  const mixed = rolloutStep(input({ record: record({ parallelism: 0 }, { 1: { allocationId: 'new.1' }, 2: { allocationId: 'new.2' } }), allocations: [neu(1, { health: 'unhealthy' }), neu(2, { failed: 'start refused: no such image' }), ...olds(3)] }));
  t.equal(mixed.rollback?.reason, 'web: 2 of 3 new replicas failed (1 unhealthy, 1 failed to run) (max_failure_ratio 0): rolling back to generation 4');
  t.match(mixed.events.find((e) => e.message.startsWith('web.2'))?.message, /failed: start refused: no such image/);
});

t.test('a rollout with no previous spec to return to pauses instead', async (t) => {
  const d = rolloutStep(input({ record: record({}, { 1: { allocationId: 'new.1' } }, { fromSpecHash: '' }), allocations: [neu(1, { health: 'unhealthy' }), ...olds(3)] }));
  t.equal(d.record.state, 'paused');
  t.equal(d.rollback, undefined);
  t.match(d.record.reason, /no previous spec/);
});

t.test('a completed rollout lifts the gate and changes nothing', async (t) => {
  const r = record({}, { 1: { allocationId: 'new.1', outcome: 'updated' } }, { state: 'completed' });
  const d = rolloutStep(input({ record: r, allocations: [neu(1, { health: 'unhealthy' }), old(2)] }));
  t.equal(d.gate, undefined);
  t.same(d.stop, []);
  t.equal(d.changed, false);
});

t.test('one replica at a time through a whole rollout, round by round with an injected clock', async (t) => {
  // Each round the test plays the reconciler and the agents: what the gate admits is placed, runs,
  // turns healthy the next round; what the step stops disappears.
  let rec = record();
  let allocs: RolloutAllocation[] = olds(3);
  let now = T0;
  const log: string[] = [];
  for (let round = 0; round < 20 && rec.state === 'running'; round++) {
    now += 1000;
    const d = rolloutStep(input({ nowMs: now, record: rec, allocations: allocs }));
    rec = d.record;
    const stopped = new Set(d.stop.map((s) => s.allocationId));
    allocs = allocs.filter((a) => !stopped.has(a.id)).map((a) => (a.specHash === 'new' && a.health === 'starting' ? { ...a, health: 'healthy' } : a));
    for (const slot of d.gate?.place ?? []) allocs.push(neu(slot, { createdAtMs: now }));
    const running = allocs.filter((a) => a.live === 'running' && a.health === 'healthy').length;
    log.push(`${running}`);
    t.ok(running >= 3 - 1, `round ${round}: at least replicas - parallelism = 2 healthy (${running})`);
    t.ok(allocs.length <= 3 + 1, `round ${round}: at most one extra copy (start-first, parallelism 1)`);
  }
  t.equal(rec.state, 'completed');
  t.same(allocs.map((a) => `${a.id}:${a.specHash}`).sort(), ['new.1:new', 'new.2:new', 'new.3:new']);
});

t.test('the health deadline from the check timings and monitor', async (t) => {
  // 60 s to pull and start, then (retries + 1) rounds of interval + timeout after the start period.
  const h = { test: ['CMD', 'true'], intervalMs: 1000, timeoutMs: 1000, retries: 3, startPeriodMs: 2000, disable: false };
  t.equal(healthDeadlineMs(h, 5000), START_ALLOWANCE_MS + 2000 + 4 * (1000 + 1000)); // 60,000 + 2,000 + 8,000 = 70,000
  // Docker's defaults (30 s, 30 s, 3 retries): 60 + 4 x 60 = 300 s, Nomad's default healthy_deadline.
  t.equal(healthDeadlineMs({ ...h, intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0 }, 5000), 300_000);
  // No check: the replica must be running through its monitor: 60,000 + 5,000.
  t.equal(healthDeadlineMs(undefined, 5000), 65_000);
  t.equal(healthDeadlineMs({ ...h, disable: true }, 5000), 65_000);
  // No check in the spec, but the image reports health: Docker's default timings are assumed.
  t.equal(healthDeadlineMs(undefined, 5000, true), 300_000);
});

t.test('a global service: the slots are its nodes\' numbers, not 1..replicas', async (t) => {
  // Slots 2 and 5 run (their nodes); a stale record entry for slot 1 (a node that left) is dropped.
  const d = rolloutStep(input({ replicas: 0, slots: [2, 5], record: record({ parallelism: 2 }, { 1: { allocationId: 'x' } }), allocations: [old(2), old(5)] }));
  t.same(seen(d).slots, { 2: '-', 5: '-' }, 'both admitted (parallelism 2); slot 1 forgotten');
  t.same(seen(d).place, [2, 5]);
  t.equal(d.progress.total, 2);
  // Once both new replicas are healthy past the check, the old ones go and the rollout completes.
  const healthy = (slot: number) => neu(slot, { health: 'healthy' });
  const admitted = record({ parallelism: 2 }, { 2: { allocationId: 'new.2' }, 5: { allocationId: 'new.5' } });
  const done = rolloutStep(input({ replicas: 0, slots: [2, 5], record: admitted, allocations: [old(2), old(5), healthy(2), healthy(5)] }));
  t.same(seen(done).stop.sort(), ['old.2', 'old.5']);
  t.same(seen(done).slots, { 2: 'updated', 5: 'updated' });
});
