// Issue 13: `baton rebalance`. The planner (coordinator/rebalance/plan.ts) over states the harness
// builds by deploying (so the inputs are what a coordinator really holds), then the applied moves
// in the harness (store over memory, recording sessions, manual clock): start-first within
// update_config.parallelism, pinned to the planned node, done, dropped, and kept through a restart.
// The testbed test (testbed-rebalance) checks the same on real engines.
import t from 'tap';
import { improves, planRebalance, type RebalanceInput } from '../../coordinator/rebalance/plan.js';
import { pendingMoves, stepRebalance } from '../../coordinator/rebalance/progress.js';
import type { SnapshotNode } from '../../coordinator/scheduler/index.js';
import type { AllocationRecord, RebalanceRecord } from '../../coordinator/store/schema.js';
import { Harness, type NodeSpec } from '../fixtures/harness.js';

// 0.5 CPU each: a node of 2 CPUs takes 4 of them.
const stack = (o: { replicas?: number; parallelism?: number; placement?: string; services?: string; name?: string } = {}) => `name: ${o.name ?? 'shop'}
services:
  web:
    image: web:1
    x-baton: { placement: ${o.placement ?? 'spread'} }
    deploy:
      replicas: ${o.replicas ?? 6}
      update_config: { parallelism: ${o.parallelism ?? 1} }
      resources: { reservations: { cpus: "0.5", memory: 64M } }
${o.services ?? ''}`;

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });

const cluster = (nodes: Record<string, NodeSpec>, ...texts: string[]) => Harness.settled(nodes, ...texts);
const runningOn = (h: Harness, service = 'web') => h.runningByNode(service);
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** The planner's input from the harness's state, as the Rebalancer builds it. */
function inputOf(h: Harness, extra: Partial<RebalanceInput> = {}): RebalanceInput {
  const running = new Set([...h.containers()].filter(([, c]) => c.state === 'running').map(([id]) => id));
  return { stacks: h.store.state.stacks, allocations: h.store.allocations(), nodes: h.pool.list(), rollouts: h.store.state.rollouts, running, ...extra };
}

const three = { n1: { cpus: 2 }, n2: { cpus: 2 }, n3: { cpus: 2 } };

t.test('improves: binpack counts nodes, spread the peak load, then the most replicas on a node', async (t) => {
  const m = (nodesUsed: number, maxCpu: number, maxReplicas = 0) => ({ nodesUsed, maxCpu, maxMemory: 0, maxReplicas });
  t.ok(improves('binpack', m(3, 0.5), m(2, 0.75)));
  t.notOk(improves('binpack', m(2, 0.75), m(2, 0.5)), 'as many nodes: no gain for binpack');
  t.ok(improves('spread', m(1, 0.75), m(2, 0.5)));
  t.notOk(improves('spread', m(2, 0.5), m(3, 0.5)), 'same peak, same replicas: no gain');
  t.ok(improves('spread', m(2, 0, 4), m(3, 0, 2)), 'no reservations: fewer replicas on the fullest node');
});

t.test('pendingMoves and stepRebalance: pending -> stopping -> done; dropped with the reason; completed when none is left', async (t) => {
  const node = (id: string, extra: Partial<SnapshotNode> = {}): SnapshotNode => ({ id, name: id, status: 'ready', labels: {}, capacity: { cpuMillis: 1000, memoryBytes: 1 }, ...extra });
  const nodes = new Map([['n1', node('n1')], ['n2', node('n2', { schedule: { state: 'cordoned' } })], ['n3', node('n3', { status: 'down' })]]);
  const alloc = (id: string, o: Partial<AllocationRecord> = {}) => ({ id, stack: 's', service: 'web', replica: 1, nodeId: 'n9', generation: 1, cpuMillis: 0, memoryBytes: 0, hostPorts: [], desired: 'run' as const, createdAtMs: 0, ...o });
  const move = (allocationId: string, to: string, state: RebalanceRecord['moves'][number]['state'] = 'pending') => ({ allocationId, stack: 's', service: 'web', replica: 1, from: 'n9', to, state });
  const load = { nodesUsed: 0, maxCpu: 0, maxMemory: 0, maxReplicas: 0 };
  const record: RebalanceRecord = {
    id: 'r', strategy: 'binpack', state: 'running', by: 'x', startedAtMs: 0, before: load, after: load, freed: [],
    moves: [move('a', 'n1'), move('b', 'n1'), move('c', 'n1'), move('d', 'n2'), move('e', 'n3'), move('f', 'n1'), move('g', 'n1', 'stopping'), move('h', 'n1')],
  };
  const allocations = {
    a: alloc('a'), // on its way
    b: alloc('b', { desired: 'stop', stopReason: 'rebalanced: replaced by x' }), // container still reported: stopping
    c: alloc('c', { desired: 'stop', stopReason: 'rebalanced: replaced by y' }), // container gone: done
    d: alloc('d'), // target cordoned
    e: alloc('e'), // target down
    f: alloc('f', { desired: 'stop', stopReason: 'node down: rescheduled' }),
    g: alloc('g', { desired: 'stop', stopReason: 'rebalanced: replaced by z' }), // stopping, container gone now: done
    h: alloc('h'), // its replacement refused at commit
  };
  t.same([...pendingMoves(record, allocations, nodes)], [['a', 'n1'], ['h', 'n1']], 'only pending moves whose copy runs and whose target takes work');
  const next = stepRebalance(record, { allocations, nodes, refused: new Map([['h', 'node n1 has no room']]), reported: new Set(['a', 'b', 'd', 'e', 'h']), nowMs: 5 })!;
  t.same(next.moves.map((m) => [m.allocationId, m.state, m.reason ?? '']), [
    ['a', 'pending', ''],
    ['b', 'stopping', ''],
    ['c', 'done', ''],
    ['d', 'dropped', 'its target n2 is cordoned'],
    ['e', 'dropped', 'its target n3 is down'],
    ['f', 'dropped', 'its replica stopped: node down: rescheduled'],
    ['g', 'done', ''],
    ['h', 'dropped', 'its replacement was not placed: node n1 has no room'],
  ]);
  t.equal(next.state, 'running', 'a and b are not finished');
  t.equal(record.moves[0]!.state, 'pending', 'the input is not changed');
  const last = stepRebalance(next, { allocations: { ...allocations, a: alloc('a', { desired: 'stop', stopReason: 'rebalanced: replaced by q' }) }, nodes, refused: new Map(), reported: new Set(), nowMs: 9 })!;
  t.match(last, { state: 'completed', finishedAtMs: 9 });
  t.equal(stepRebalance(last, { allocations, nodes, refused: new Map(), reported: new Set(), nowMs: 10 }), undefined, 'a completed rebalance does not change');
  t.equal(pendingMoves(last, allocations, nodes).size, 0);
});

t.test('binpack frees a node with the fewest moves; global, sticky and in-rollout services do not move', async (t) => {
  const extra = `  exporter:
    image: exp:1
    deploy: { mode: global, resources: { reservations: { cpus: "0.1" } } }
  db:
    image: db:1
    x-baton: { placement: spread }
    volumes: [data:/data]
    deploy: { replicas: 2, resources: { reservations: { cpus: "0.1" } } }
volumes:
  data: { x-baton: { sticky: true } }
`;
  const h = await cluster(three, stack({ services: extra }));
  t.same(runningOn(h), { n1: 2, n2: 2, n3: 2 }, 'spread: two web replicas per node');
  const r = planRebalance(inputOf(h));
  if (!r.ok) return t.fail(r.error);
  const p = r.value;
  t.equal(p.strategy, 'binpack');
  t.equal(p.before.nodesUsed, 3);
  // The global exporter stays on every node: binpack cannot free one (web alone, 6 x 0.5 CPU, would fit two nodes).
  t.same(p.moves, [], 'the global exporter keeps every node in use: nothing gained');
  t.match(p.reason, /^already balanced/);
  t.same(p.skipped.map((s) => `${s.service}: ${s.reason}`).sort(), ['db: sticky: its replicas stay with their volume data', 'exporter: global: a replica belongs to its node']);

  // Without the global service: web packs onto two nodes and frees the third, moving only its two replicas there.
  const h2 = await cluster(three, stack());
  const r2 = planRebalance(inputOf(h2));
  if (!r2.ok) return t.fail(r2.error);
  t.equal(r2.value.before.nodesUsed, 3);
  t.equal(r2.value.after.nodesUsed, 2);
  t.equal(r2.value.freed.length, 1, `frees one node: ${r2.value.freed.join(',')}`);
  t.equal(r2.value.moves.length, 2, 'the fewest moves: the freed node\'s two replicas, nothing else');
  const freed = r2.value.freed[0]!;
  t.ok(r2.value.moves.every((m) => m.from === freed && m.to !== freed), JSON.stringify(r2.value.moves));
  // cpu: 2 x 0.5 of 2 = 50% before; 4 x 0.5 of 2 = 100% after on the fuller kept node.
  t.equal(r2.value.before.maxCpu, 0.5);
  t.equal(r2.value.after.maxCpu, 1);
  t.equal(r2.value.after.maxReplicas, 4);
  t.same(planRebalance(inputOf(h2)), r2, 'deterministic');

  // A service in a rollout is not moved.
  const r3 = planRebalance(inputOf(h2, { rollouts: { 'shop/web': { state: 'running' } } }));
  t.match(r3, { ok: true, value: { moves: [], skipped: [{ service: 'web', reason: 'its rollout is running' }] } });
  // Nor one with a replica not running (starting, stopping, failed).
  const someId = Object.values(h2.store.state.allocations)[0]!.id;
  const running = new Set(inputOf(h2).running);
  running.delete(someId);
  t.match(planRebalance(inputOf(h2, { running })), { ok: true, value: { moves: [], skipped: [{ service: 'web', reason: /not settled/ }] } });
});

t.test('binpack empties the node with the fewest replicas on it, not whichever the packer left empty', async (t) => {
  const h = await cluster(three);
  const cordon = async (...ids: string[]) => { for (const id of ids) await h.schedules.set(id, 'cordon', 0, 'admin test'); };
  const uncordon = async (...ids: string[]) => { for (const id of ids) await h.schedules.set(id, 'uncordon', 0, 'admin test'); };
  await cordon('n2', 'n3');
  await deploy(h, stack({ replicas: 3 }));
  await h.settle(2);
  await uncordon('n2');
  await cordon('n1');
  await deploy(h, stack({ replicas: 4 }));
  await h.settle(2);
  await uncordon('n3');
  await cordon('n2');
  await deploy(h, stack({ replicas: 6 }));
  await h.settle(2);
  await uncordon('n1', 'n2');
  await h.settle(2);
  t.same(runningOn(h), { n1: 3, n2: 1, n3: 2 });
  const r = planRebalance(inputOf(h));
  if (!r.ok) return t.fail(r.error);
  t.equal(r.value.after.nodesUsed, 2);
  t.same(r.value.freed, ['n2']);
  t.equal(r.value.moves.length, 1, `one move, n2's replica: ${JSON.stringify(r.value.moves)}`);
});

t.test('already balanced: no moves, and the reason', async (t) => {
  // Binpack placed all six on the smallest node that fits them: nothing to gain with binpack.
  const h = await cluster({ n1: { cpus: 3 }, n2: { cpus: 8 }, n3: { cpus: 8 } }, stack({ placement: 'binpack' }));
  t.same(runningOn(h), { n1: 6 });
  const r = planRebalance(inputOf(h));
  t.match(r, { ok: true, value: { moves: [], reason: /^already balanced/, before: { nodesUsed: 1 } } });
  // Spread over three nodes: spreading again gains nothing.
  const h2 = await cluster(three, stack());
  t.match(planRebalance(inputOf(h2, { strategy: 'spread' })), { ok: true, value: { moves: [], reason: /^already balanced/ } });
});

t.test('spread lowers the fullest node\'s load', async (t) => {
  const h = await cluster({ n1: { cpus: 3 }, n2: { cpus: 8 }, n3: { cpus: 8 } }, stack({ placement: 'binpack' }));
  t.same(runningOn(h), { n1: 6 });
  const r = planRebalance(inputOf(h, { strategy: 'spread' }));
  if (!r.ok) return t.fail(r.error);
  // Before: n1 holds 6 x 0.5 = 3 of 3 CPUs (100%). After: no node above 3/8 CPUs (spread weighs free fractions).
  t.equal(r.value.before.maxCpu, 1);
  t.ok(r.value.after.maxCpu < 1, `after ${r.value.after.maxCpu}`);
  t.ok(r.value.moves.length >= 2 && r.value.moves.every((m) => m.from === 'n1'), JSON.stringify(r.value.moves));
  t.equal(r.value.freed.length, 0);
});

t.test('bad input: an unknown strategy or stack names the field', async (t) => {
  const h = await cluster(three, stack());
  t.same(planRebalance(inputOf(h, { strategy: 'random' })), { ok: false, kind: 'input', error: 'strategy: expected binpack or spread, got "random"' });
  t.same(planRebalance(inputOf(h, { stack: 'nope' })), { ok: false, kind: 'not-found', error: 'stack: no stack named "nope"' });
  await t.rejects(h.rebalancer.rebalance({ strategy: 'random', dryRun: true }, 'admin test'), { name: 'InputError', message: /^strategy:/ });
  await t.rejects(h.rebalancer.rebalance({ stack: 'nope', dryRun: true }, 'admin test'), { name: 'NotFoundError', message: /^stack:/ });
  t.throws(() => h.rebalancer.status('zzz'), { name: 'NotFoundError', message: /^id: no rebalance "zzz"/ });
});

t.test('--stack: only that stack\'s services move', async (t) => {
  // shop.web on n1 and n2, blog.web spread over all four.
  const h = await cluster({ n1: { cpus: 2 }, n2: { cpus: 2 }, n3: { cpus: 2 }, n4: { cpus: 2 } }, stack({ replicas: 2 }), stack({ name: 'blog' }));
  const r = planRebalance(inputOf(h, { stack: 'blog' }));
  if (!r.ok) return t.fail(r.error);
  t.ok(r.value.moves.length > 0 && r.value.moves.every((m) => m.stack === 'blog'), JSON.stringify(r.value.moves));
  t.ok(r.value.after.nodesUsed < r.value.before.nodesUsed, `nodes used ${r.value.before.nodesUsed} -> ${r.value.after.nodesUsed}`);
});

t.test('applied: moves start-first, one at a time (parallelism 1), pinned to the planned node, never below desired; done', async (t) => {
  const h = await cluster(three, stack());
  const dry = await h.rebalancer.rebalance({ dryRun: true }, 'admin test');
  t.equal(dry.state, 'planned');
  await h.settle(2);
  t.same(runningOn(h), { n1: 2, n2: 2, n3: 2 }, 'a dry run moves nothing');
  t.equal(h.store.state.rebalance, undefined, 'and stores nothing');

  const v = await h.rebalancer.rebalance({ dryRun: false }, 'admin test');
  t.equal(v.state, 'running');
  t.equal(v.id, 'rb1');
  const freed = v.freed[0]!;
  const targets = new Map(v.moves.map((m) => [m.allocationId, m.to]));
  await t.rejects(h.rebalancer.rebalance({ dryRun: false }, 'admin test'), { name: 'ConflictError' }, 'one at a time');
  let min = Infinity;
  let maxExtra = 0;
  await h.settle(10, () => {
    min = Math.min(min, total(runningOn(h)));
    maxExtra = Math.max(maxExtra, h.placed().length - 6);
  });
  t.equal(min, 6, 'never fewer than desired running');
  t.equal(maxExtra, 1, 'one extra copy at a time (parallelism 1)');
  t.equal(runningOn(h)[freed], undefined, `nothing left on ${freed}`);
  t.equal(total(runningOn(h)), 6);
  const status = h.rebalancer.status('');
  t.equal(status.state, 'completed');
  t.ok(status.moves.every((m) => m.state === 'done'), JSON.stringify(status.moves));
  // Each replacement went where the plan said.
  const started = h.started.filter((s) => s.node !== freed).slice(-2);
  t.equal(started.length, 2);
  const stops = h.sent(freed).filter((m) => m.startsWith('stop '));
  t.equal(stops.length, 2);
  t.ok(stops.every((m) => /\(rebalanced: replaced by web\.\d#\d+\)$/.test(m)), stops.join('; '));
  for (const [id, to] of targets) {
    const old = h.store.state.allocations[id];
    t.ok(!old || old.desired === 'stop', `${id} stopped`);
    const replica = Number(id.split('.')[1]!.split('#')[0]);
    t.ok(Object.values(h.store.state.allocations).some((a) => a.desired === 'run' && a.replica === replica && a.nodeId === to), `replica ${replica} now on ${to}`);
  }
  t.ok(h.events.list(0).some((e) => e.type === 'rebalance.completed' && e.reason.startsWith('2 of 2 moves done')));
  // Nothing moves by itself afterwards.
  await h.settle(3);
  t.equal(runningOn(h)[freed], undefined);
});

t.test('parallelism 2 moves two at once; a coordinator restart mid-rebalance carries on', async (t) => {
  const h = await cluster({ n1: { cpus: 2 }, n2: { cpus: 2 }, n3: { cpus: 2 }, n4: { cpus: 2 } }, stack({ replicas: 8, parallelism: 2 }));
  t.same(runningOn(h), { n1: 2, n2: 2, n3: 2, n4: 2 });
  h.startBehaviour = () => ({ state: 'created' });
  const v = await h.rebalancer.rebalance({ dryRun: false }, 'admin test');
  t.equal(v.moves.length, 4, 'two nodes freed, two replicas each');
  await h.settle(2);
  t.equal(h.placed().length, 10, 'two replacements at once, not started yet: the old copies still run');
  t.equal(total(runningOn(h)), 8);
  const h2 = h.restart();
  h2.startBehaviour = () => ({ state: 'running' });
  // The new coordinator's replacements-to-be: the two created ones never start; start them as their engine would.
  for (const a of Object.values(h2.store.state.allocations)) if (a.desired === 'run') h2.stray(a.nodeId, a.id);
  let min = Infinity;
  await h2.settle(10, () => (min = Math.min(min, total(runningOn(h2)))));
  t.equal(min, 8, 'never fewer than desired');
  t.equal(h2.rebalancer.status('rb1').state, 'completed');
  t.same(Object.keys(runningOn(h2)).length, 2, `two nodes used: ${JSON.stringify(runningOn(h2))}`);
});

t.test('a move whose target stops taking work is dropped and reported; the copy stays', async (t) => {
  const h = await cluster(three, stack());
  h.startBehaviour = () => ({ state: 'created' });
  const v = await h.rebalancer.rebalance({ dryRun: false }, 'admin test');
  const target = v.moves[0]!.to;
  // Every target cordoned before the replacements run.
  for (const to of new Set(v.moves.map((m) => m.to))) await h.schedules.set(to, 'cordon', 0, 'admin test');
  await h.settle(4);
  const s = h.rebalancer.status('');
  t.equal(s.state, 'completed');
  t.ok(s.moves.every((m) => m.state === 'dropped' && /^its target n\d is cordoned$/.test(m.reason)), JSON.stringify(s.moves));
  t.ok(h.events.list(0).some((e) => e.type === 'rebalance.dropped' && e.nodeName === target));
  t.equal(total(runningOn(h)), 6, 'the old copies still run');
  t.equal(h.placed().length, 6, 'no replacement left behind');
});

t.test('a move whose replacement does not fit on its target is dropped', async (t) => {
  const h = await cluster(three, stack());
  // The first replacement is placed and does not start yet, so the second move waits (parallelism 1).
  h.startBehaviour = () => ({ state: 'created' });
  const v = await h.rebalancer.rebalance({ dryRun: false }, 'admin test');
  t.equal(v.moves.length, 2);
  await h.settle(1);
  t.equal(h.placed().length, 7, 'one replacement placed');
  // Something else takes what is left on the second move's target.
  const second = v.moves.find((m) => !h.placed().includes(`web.${m.replica}@${m.to}`))!;
  const freeCpu = 2 - 0.5 * h.placed().filter((p) => p.endsWith(`@${second.to}`)).length;
  await deploy(h, stack({ services: `  big:\n    image: big:1\n    deploy: { replicas: 1, placement: { constraints: ["node.hostname == ${second.to}"] }, resources: { reservations: { cpus: "${freeCpu}" } } }\n` }));
  h.startBehaviour = () => ({ state: 'running' });
  for (const a of Object.values(h.store.state.allocations)) if (a.desired === 'run') h.stray(a.nodeId, a.id);
  await h.settle(10);
  const s = h.rebalancer.status('');
  t.equal(s.state, 'completed', JSON.stringify(s.moves));
  const m = s.moves.find((x) => x.allocationId === second.allocationId)!;
  t.equal(m.state, 'dropped');
  t.match(m.reason, /^its replacement was not placed: .*(insufficient cpu|no room)/);
  t.equal(s.moves.filter((x) => x.state === 'done').length, 1, 'the other move is done');
  t.equal(total(runningOn(h)), 6, 'web still runs six');
});
