// The node pool's silence checks over a manual clock: ticks every 250 ms (as the coordinator
// runs them) find each silent node at the first tick past its bound, and no other node.
import t from 'tap';
import { EventLog } from '../../coordinator/event-log.js';
import { NodePool, type SessionHandle } from '../../coordinator/node-pool.js';
import { DEFAULT_TIMEOUTS } from '../../coordinator/node-status.js';
import { Store } from '../../coordinator/store/store.js';
import { emptyState, type NodeRecord } from '../../coordinator/store/schema.js';
import { createLogger } from '../../shared/logger.js';
import { ManualClock } from '../fixtures/harness.js';

const TICK_MS = 250;
const log = createLogger('node-pool-test', 'silent');

function setup(store = Store.memory()) {
  const clock = new ManualClock(1_000_000);
  const events = new EventLog(store, clock, 100_000);
  const pool = new NodePool(store, events, clock, log, { timeouts: DEFAULT_TIMEOUTS, heartbeatIntervalMs: 1000 });
  const session: SessionHandle = { peer: 'ipv4:10.0.0.1:5000', end: () => {}, send: () => {} };
  const join = (id: string): string => {
    const r = pool.admit({ nodeId: id, name: id, address: '', capacity: { cpuMillis: 1000, memoryBytes: 1e9, diskBytes: 0 }, labels: {}, role: 'worker', agentVersion: 't', dockerVersion: 't', containers: [] }, session);
    if (!r.ok) throw new Error(r.message);
    return r.sessionId;
  };
  const report = (sessionId: string) => pool.report(sessionId, { seq: 0, sentAtMs: clock.now(), host: undefined, dockerUp: true, dockerError: '', containers: [] });
  /** Advances `ms` in ticks of TICK_MS, calling `each` before every tick. */
  const run = (ms: number, each: () => void = () => {}) => {
    for (let t = 0; t < ms; t += TICK_MS) {
      clock.advance(TICK_MS);
      each();
      pool.tick();
    }
  };
  /** Status changes as [node, to, ms since `t0`]. */
  const changes = (t0: number) => events.list().filter((e) => e.type === 'node.status').map((e) => [e.nodeId, e.to, e.atMs - t0]);
  return { clock, pool, join, report, run, changes };
}

t.test('a silent node is suspect at the first tick past 3 s and down at the first past 5 s; reporting nodes stay ready', async (t) => {
  const { clock, pool, join, report, run, changes } = setup();
  const t0 = clock.now();
  const sessions = Array.from({ length: 50 }, (_, i) => join(`n${i}`));
  // n0 goes silent at once; the others report every second for a minute.
  let sinceReportMs = 0;
  run(60_000, () => {
    sinceReportMs += TICK_MS;
    if (sinceReportMs >= 1000) {
      sinceReportMs = 0;
      for (const s of sessions.slice(1)) report(s);
    }
  });
  // Joined at t0; ticks at t0 + 250k: 3000 ms is a tick (silence >= 3000), 5000 ms too.
  t.same(changes(t0), [
    ['n0', 'suspect', 3000],
    ['n0', 'down', 5000],
  ]);
  t.equal(pool.list().filter((n) => n.status === 'ready').length, 49);
});

t.test('a node that reports again, or rejoins after being down, is checked again from its last report', async (t) => {
  const { clock, join, report, run, changes } = setup();
  const t0 = clock.now();
  const s = join('a');
  run(3000); // suspect at 3000
  report(s); // ready again at 3000 (last report 3000)
  run(4000); // silent from 3000: suspect at 6000; down due at 8000, not reached by 7000
  run(1000); // down at 8000
  clock.advance(100);
  const s2 = join('a'); // rejoins at 8100
  run(3000); // silent from 8100: suspect at the tick at 8100 + 12 x 250 = 11100
  t.same(changes(t0), [
    ['a', 'suspect', 3000],
    ['a', 'ready', 3000],
    ['a', 'suspect', 6000],
    ['a', 'down', 8000],
    ['a', 'ready', 8100],
    ['a', 'suspect', 11100],
  ]);
  t.ok(s2 !== s);
});

t.test('a closed stream makes the node suspect at once and down 5 s after its last report', async (t) => {
  const { clock, pool, join, report, run, changes } = setup();
  const t0 = clock.now();
  const s = join('a');
  run(1000);
  report(s); // last report at 1000
  run(1000);
  pool.disconnected(s, 'reset'); // suspect at 2000
  run(5000); // down due at 1000 + 5000 = 6000
  t.same(changes(t0), [
    ['a', 'suspect', 2000],
    ['a', 'down', 6000],
  ]);
});

t.test('after a restart every known node gets the full silence bound from the start, and down or left nodes stay as they are', async (t) => {
  const state = emptyState();
  const rec = (id: string, status: NodeRecord['status']): NodeRecord => ({
    id, name: id, address: '', labels: {}, capacity: { cpuMillis: 1000, memoryBytes: 1e9, diskBytes: 0 }, status,
    statusSinceMs: 0, joinedAtMs: 0, lastSeenMs: 0, agentVersion: 't', dockerVersion: 't',
  });
  for (const [id, status] of [['r', 'ready'], ['s', 'suspect'], ['d', 'down'], ['l', 'left']] as const) state.nodes[id] = rec(id, status);
  const { clock, run, changes } = setup(Store.memory(state));
  const t0 = clock.now();
  run(6000);
  // r: ready, silent from t0 -> suspect at 3000, down at 5000; s: suspect -> down at 5000.
  t.same(changes(t0).sort(), [
    ['r', 'down', 5000],
    ['r', 'suspect', 3000],
    ['s', 'down', 5000],
  ]);
});

t.test('graceUntil: after a restart, a node not back yet is silent only from the grace end; one that is back is unaffected', async (t) => {
  const state = emptyState();
  const rec = (id: string): NodeRecord => ({
    id, name: id, address: '', labels: {}, capacity: { cpuMillis: 1000, memoryBytes: 1e9, diskBytes: 0 }, status: 'ready',
    statusSinceMs: 0, joinedAtMs: 0, lastSeenMs: 0, agentVersion: 't', dockerVersion: 't',
  });
  state.nodes.late = rec('late');
  state.nodes.back = rec('back');
  const { clock, pool, join, run, changes } = setup(Store.memory(state));
  const t0 = clock.now();
  join('back'); // back at once, then silent
  pool.graceUntil(t0 + 4000); // listening now; agents may take up to 4 s
  run(10_000);
  t.same(changes(t0).sort(), [
    ['back', 'down', 5000],
    ['back', 'suspect', 3000],
    ['late', 'down', 9000],
    ['late', 'suspect', 7000],
  ], 'late: 3 s and 5 s counted from the grace end; back: from its hello');
});

t.test('onContainersChange: called for a change in state or health (not usage), and the pool already shows the new report', async (t) => {
  const { clock, pool, join } = setup();
  const sessionId = join('n1');
  const container = (state: string, health: string, cpuPercent = 0) => ({
    containerId: 'c1', name: 'x', image: 'i', state, cpuPercent, memoryBytes: 0, memoryLimitBytes: 0, labels: {}, exitCode: 0, startedAtMs: 0, restartCount: 0, health, healthOutput: '',
  });
  const seen: string[] = [];
  pool.onContainersChange(() => seen.push(pool.list()[0]!.containers.map((c) => `${c.state}/${c.health}`).join()));
  const send = (state: string, health: string, cpu = 0) => pool.report(sessionId, { seq: 0, sentAtMs: clock.now(), host: undefined, dockerUp: true, dockerError: '', containers: [container(state, health, cpu)] });
  send('running', 'starting');
  send('running', 'starting', 50); // usage alone: no call
  send('running', 'healthy');
  send('exited', 'healthy');
  t.same(seen, ['running/starting', 'running/healthy', 'exited/healthy'], 'each call sees the report that caused it');
});

t.test('the node list stays sorted and current as nodes join, rejoin under a new name, change status and leave', async (t) => {
  const { pool, join, run } = setup();
  const store = (pool as unknown as { store: Store }).store;
  const names = () => pool.list().map((n) => n.name);
  for (const id of ['n3', 'n1', 'n2']) join(id);
  t.same(names(), ['n1', 'n2', 'n3'], 'sorted by name, not by join order');
  t.equal(store.nodes(), store.nodes(), 'the store keeps its node list between calls');
  // A hello under a new name replaces the record: the list is sorted again.
  const s = pool.admit({ nodeId: 'n1', name: 'z-last', address: '', capacity: { cpuMillis: 1000, memoryBytes: 1e9, diskBytes: 0 }, labels: {}, role: 'worker', agentVersion: 't', dockerVersion: 't', containers: [] }, { peer: 'ipv4:10.0.0.9:5000', end: () => {}, send: () => {} });
  t.ok(!s.ok, 'a second live session is refused (the first still reports)');
  run(3_000);
  const again = pool.admit({ nodeId: 'n1', name: 'z-last', address: '', capacity: { cpuMillis: 1000, memoryBytes: 1e9, diskBytes: 0 }, labels: {}, role: 'worker', agentVersion: 't', dockerVersion: 't', containers: [] }, { peer: 'ipv4:10.0.0.9:5000', end: () => {}, send: () => {} });
  t.ok(again.ok, 'the silent session is superseded');
  t.same(names(), ['n2', 'n3', 'z-last'], 'the renamed node moves to its new place');
  // A status change writes inside the records (the same record objects): the views show it.
  run(6_000);
  t.same(pool.list().map((n) => n.status), ['down', 'down', 'down'], 'statuses changed in place are seen');
  t.ok(pool.remove('n2', false, 'test').ok, 'a down node can be removed');
  t.same(names(), ['n3', 'z-last'], 'a removed node leaves the list');
});
