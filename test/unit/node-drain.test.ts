// Issue 13: cordon, uncordon and drain (coordinator/node-schedule.ts, the reconciler's drain
// branch). The pure parts first, then the coordinator in the harness (store over memory,
// recording sessions, manual clock): a drain moves replicas start-first within
// update_config.parallelism, waits for a replacement's health, leaves global and sticky replicas,
// stops what is left at its deadline and says so, and the state survives a restart. The testbed
// test (testbed-drain) checks the same on real engines.
import t from 'tap';
import { drainExpired, drainRemaining, nextSchedule, parseLabelChanges, withOperatorLabels } from '../../coordinator/node-schedule.js';
import { Harness, type NodeSpec } from '../fixtures/harness.js';

t.test('nextSchedule and drainExpired', async (t) => {
  t.same(nextSchedule(undefined, 'cordon', 1000, 0), { state: 'cordoned', sinceMs: 1000 });
  t.same(nextSchedule(undefined, 'drain', 1000, 0), { state: 'draining', sinceMs: 1000 }, 'no deadline');
  t.same(nextSchedule(undefined, 'drain', 1000, 60_000), { state: 'draining', sinceMs: 1000, deadlineAtMs: 61_000 });
  t.same(nextSchedule({ state: 'draining', sinceMs: 1000, deadlineAtMs: 61_000 }, 'drain', 5000, 0), { state: 'draining', sinceMs: 1000 }, 'draining again keeps the start, takes the new (no) deadline');
  t.same(nextSchedule({ state: 'draining', sinceMs: 1000 }, 'cordon', 5000, 0), { state: 'draining', sinceMs: 1000 }, 'cordoning a draining node does not stop the drain');
  t.equal(nextSchedule({ state: 'drained', sinceMs: 1000 }, 'uncordon', 5000, 0), undefined);
  t.notOk(drainExpired({ state: 'draining', sinceMs: 0 }, 1e12), 'no deadline, never expired');
  t.notOk(drainExpired({ state: 'draining', sinceMs: 0, deadlineAtMs: 10 }, 9));
  t.ok(drainExpired({ state: 'draining', sinceMs: 0, deadlineAtMs: 10 }, 10));
  t.notOk(drainExpired({ state: 'drained', sinceMs: 0, deadlineAtMs: 10 }, 10));
});

t.test('drainRemaining counts replicated replicas that run or are still stopping there, not global ones', async (t) => {
  const stacks = {
    s: { name: 's', services: { web: { spec: { mode: undefined } }, agent: { spec: { mode: 'global' } } } },
  } as never;
  const allocations = [
    { nodeId: 'n1', stack: 's', service: 'web', replica: 2, desired: 'run' as const },
    { nodeId: 'n1', stack: 's', service: 'web', replica: 1, desired: 'run' as const },
    { nodeId: 'n1', stack: 's', service: 'web', replica: 3, desired: 'stop' as const },
    { nodeId: 'n1', stack: 's', service: 'agent', replica: 1, desired: 'run' as const },
    { nodeId: 'n2', stack: 's', service: 'web', replica: 4, desired: 'run' as const },
  ];
  const left = drainRemaining([{ id: 'n1', schedule: { state: 'draining', sinceMs: 0 } }, { id: 'n2' }], stacks, allocations);
  t.same([...left], [['n1', ['s/web.1', 's/web.2', 's/web.3']]], 'web.3 is still stopping: the drain waits for its container to go');
});

// ---- the coordinator ----

const stack = (o: { replicas?: number; parallelism?: number; extra?: string; services?: string } = {}) => `name: shop
services:
  web:
    image: web:1
    deploy:
      replicas: ${o.replicas ?? 4}
      update_config: { parallelism: ${o.parallelism ?? 2} }
      resources: { reservations: { cpus: "0.5", memory: 64M } }
${o.extra ?? ''}${o.services ?? ''}`;

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });

const cluster = (nodes: Record<string, NodeSpec>, ...texts: string[]) => Harness.settled(nodes, ...texts);
const runningOn = (h: Harness, service = 'web') => h.runningByNode(service);
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

t.test('drain: replicas move start-first, at most parallelism at once, never below desired; then drained', async (t) => {
  // n1 is the smallest that fits them all: bin-packing (best fit) puts every replica there.
  const h = await cluster({ n1: { cpus: 2 }, n2: { cpus: 8 }, n3: { cpus: 8 } }, stack());
  t.same(runningOn(h), { n1: 4 }, 'all four on n1');
  await h.schedules.set('n1', 'drain', 0, 'admin test');
  await h.round();
  const first = h.placed().filter((p) => !p.endsWith('@n1'));
  t.equal(first.length, 2, 'two replacements placed elsewhere (parallelism 2)');
  t.equal(h.placed().filter((p) => p.endsWith('@n1')).length, 4, 'the drained copies still run meanwhile');
  let min = Infinity;
  let maxMoving = 0;
  await h.settle(12, () => {
    min = Math.min(min, total(runningOn(h)));
    maxMoving = Math.max(maxMoving, h.placed().length - 4);
  });
  t.same(runningOn(h)['n1'] ?? 0, 0, 'nothing left on n1');
  t.equal(total(runningOn(h)), 4, 'four running elsewhere');
  t.equal(min, 4, 'never fewer than desired running during the drain');
  t.ok(maxMoving <= 2, `at most 2 extra copies at once (saw ${maxMoving})`);
  t.equal(h.store.state.nodes['n1']!.schedule?.state, 'drained');
  const ev = h.events.list(0).find((e) => e.type === 'node.drained');
  t.match(ev, { nodeName: 'n1', from: 'draining', to: 'drained' });
  const stops = h.sent('n1').filter((m) => m.startsWith('stop '));
  t.equal(stops.length, 4, 'n1 was told to stop four replicas');
  t.ok(stops.every((m) => / \(drained: replaced by web\.\d#\d+\)$/.test(m)), `stop reasons: ${stops.join('; ')}`);

  // Drained stays cordoned: a new service avoids n1; uncordon lets work in, nothing moves back.
  await deploy(h, stack({ services: '  api:\n    image: api:1\n    deploy: { replicas: 2, resources: { reservations: { cpus: "0.5" } } }\n' }));
  await h.settle(2);
  t.notOk(h.placed().some((p) => p.endsWith('@n1')), 'nothing new on a drained node');
  await h.schedules.set('n1', 'uncordon', 0, 'admin test');
  await h.settle(2);
  t.equal(h.store.state.nodes['n1']!.schedule, undefined);
  t.notOk(h.placed().some((p) => p.startsWith('web.') && p.endsWith('@n1')), 'uncordon moves nothing back');
});

t.test('drain waits for the replacement to be healthy before it stops the drained copy', async (t) => {
  const h = await cluster({ n1: { cpus: 1 }, n2: { cpus: 8 } }, stack({ replicas: 1, parallelism: 1, extra: '    healthcheck: { test: [CMD, "true"], interval: 1s }\n' }));
  h.healthAll('starting', 'healthy');
  await h.settle(1);
  t.same(runningOn(h), { n1: 1 });
  h.startBehaviour = () => ({ state: 'running', health: 'starting' });
  await h.schedules.set('n1', 'drain', 0, 'admin test');
  await h.settle(5);
  t.same(runningOn(h), { n1: 1, n2: 1 }, 'replacement running but starting: both run');
  t.equal(h.store.state.nodes['n1']!.schedule?.state, 'draining');
  h.healthAll('starting', 'healthy');
  await h.settle(2);
  t.same(runningOn(h), { n2: 1 }, 'healthy replacement: the drained copy is stopped');
  t.equal(h.store.state.nodes['n1']!.schedule?.state, 'drained');
});

t.test('nowhere to go: the replica stays; at the deadline it stops and the drain says what was lost', async (t) => {
  const h = await cluster({ n1: {} }, stack({ replicas: 2 }));
  await h.schedules.set('n1', 'drain', 10_000, 'admin test');
  await h.settle(3);
  t.same(runningOn(h), { n1: 2 }, 'still running: no other node');
  const pending = h.queries.services().find((s) => s.name === 'web')!.pending;
  t.ok(pending.length === 2 && pending.every((p) => /draining/.test(p.reason)), `replacements unplaced because n1 is draining: ${JSON.stringify(pending)}`);
  t.equal(h.store.state.nodes['n1']!.schedule?.state, 'draining');
  await h.settle(9);
  t.same(runningOn(h), {}, 'deadline passed: stopped');
  const sch = h.store.state.nodes['n1']!.schedule!;
  t.equal(sch.state, 'drained');
  t.same([...(sch.lost ?? [])].sort(), ['shop/web.1', 'shop/web.2']);
  t.match(h.events.list(0).find((e) => e.type === 'node.drained')?.reason, /stopped at the deadline before a replacement served: shop\/web\.[12], shop\/web\.[12]/);
});

t.test('global replicas stay with a draining node; a new one is not refused by the cordon', async (t) => {
  const h = await cluster({ n1: { cpus: 1 }, n2: { cpus: 8 } }, stack({ replicas: 1, services: '  exporter:\n    image: exp:1\n    deploy: { mode: global }\n' }));
  t.equal(runningOn(h, 'exporter')['n1'], 1);
  await h.schedules.set('n1', 'drain', 0, 'admin test');
  await h.settle(10);
  t.same(runningOn(h), { n2: 1 }, 'web moved');
  t.same(runningOn(h, 'exporter'), { n1: 1, n2: 1 }, 'the global replica stays on n1 (as kubectl drain --ignore-daemonsets)');
  t.equal(h.store.state.nodes['n1']!.schedule?.state, 'drained', 'drained with its global replica still there');
});

t.test('cordon: no new work, what runs stays; it survives a coordinator restart; bad input is refused', async (t) => {
  const h = await cluster({ n1: { cpus: 1 }, n2: { cpus: 8 } }, stack({ replicas: 2 }));
  t.same(runningOn(h), { n1: 2 });
  await h.schedules.set('n1', 'cordon', 0, 'admin test');
  await h.settle(2);
  t.same(runningOn(h), { n1: 2 }, 'cordon moves nothing');
  await deploy(h, stack({ replicas: 4 }));
  await h.settle(3);
  t.same(runningOn(h), { n1: 2, n2: 2 }, 'the two new replicas go to n2 only');
  const h2 = h.restart();
  h2.reportAll();
  t.equal(h2.store.state.nodes['n1']!.schedule?.state, 'cordoned', 'kept through a restart and the agent saying hello again');
  await t.rejects(h.schedules.set('n1', 'pause', 0, 'x'), { message: 'action: expected cordon, uncordon or drain, got "pause"' });
  await t.rejects(h.schedules.set('n1', 'cordon', 5000, 'x'), { message: 'deadline_ms: only a drain takes a deadline' });
  await t.rejects(h.schedules.set('nope', 'cordon', 0, 'x'), { message: 'no node with id or name "nope"' });
  await t.rejects(h.schedules.set('n1', 'drain', -1, 'x'), { message: /deadline_ms: expected 0 \(none\) or a positive number/ });
});

t.test('parseLabelChanges and withOperatorLabels', async (t) => {
  t.same(parseLabelChanges(['zone=b', 'rack-', 'ssd=']), { set: { zone: 'b', ssd: '' }, remove: ['rack'] });
  t.same(parseLabelChanges([]), { error: 'labels: give at least one key=value to set or key- to remove' });
  t.match(parseLabelChanges(['bad key=1']), { error: /label "bad key=1": expected key=value or key-/ });
  t.match(parseLabelChanges(['zone']), { error: 'label "zone": expected key=value or key-' });
  t.match(parseLabelChanges(['zone=a b']), { error: /without spaces or commas/ });
  t.same(parseLabelChanges(['zone=a', 'zone-']), { error: 'label zone: both set and removed' });
  t.same(withOperatorLabels({ zone: 'a', rack: '1' }, { zone: 'b', rack: null, ssd: 'yes' }), { zone: 'b', ssd: 'yes' });
});

t.test('node label: a replica whose node no longer meets its constraints moves, start-first; the labels outlive the hello', async (t) => {
  const h = await cluster(
    { n1: { cpus: 2, labels: { zone: 'a' } }, n2: { cpus: 8, labels: { zone: 'b' } }, n3: { cpus: 8, labels: { zone: 'c' } } },
    stack({ replicas: 2, parallelism: 1, extra: '      placement: { constraints: ["node.labels.zone != c"] }\n' }),
  );
  t.same(runningOn(h), { n1: 2 });
  await h.schedules.label('n1', { zone: 'c' }, [], 'admin test');
  t.same(h.store.state.nodes['n1']!.labels, { zone: 'c' });
  let min = Infinity;
  await h.settle(8, () => (min = Math.min(min, total(runningOn(h)))));
  t.same(runningOn(h), { n2: 2 }, 'moved to the one node that still matches');
  t.equal(min, 2, 'never fewer than desired');
  const stops = h.sent('n1').filter((m) => m.startsWith('stop '));
  t.ok(stops.length === 2 && stops.every((m) => m.includes('its node no longer meets node.labels.zone != c: replaced by')), stops.join('; '));
  t.match(h.events.list(0).find((e) => e.type === 'node.labels'), { nodeName: 'n1', message: 'zone=c', reason: 'by admin test' });
  // The agent says hello again with its own labels: the operator's stay on top.
  const h2 = h.restart();
  h2.reportAll();
  t.same(h2.store.state.nodes['n1']!.labels, { zone: 'c' }, "operator's zone=c kept over the agent's zone=a");
  await h2.schedules.label('n1', {}, ['zone'], 'admin test');
  t.same(h2.store.state.nodes['n1']!.labels, {}, 'removed: not the agent\'s either');
  await t.rejects(h2.schedules.label('n1', {}, [], 'x'), { message: 'labels: give at least one key=value to set or key- to remove' });
  await t.rejects(h2.schedules.label('nope', { a: 'b' }, [], 'x'), { message: 'no node with id or name "nope"' });
});

t.test('node label: with nowhere else to go the replica stays on its node', async (t) => {
  const h = await cluster({ n1: { cpus: 2, labels: { zone: 'a' } } }, stack({ replicas: 1, extra: '      placement: { constraints: ["node.labels.zone == a"] }\n' }));
  await h.schedules.label('n1', { zone: 'b' }, [], 'admin test');
  await h.settle(4);
  t.same(runningOn(h), { n1: 1 }, 'kept running: no node meets the constraint');
  t.match(h.queries.services().find((s) => s.name === 'web')!.pending[0]?.reason ?? '', /constraint node\.labels\.zone == a/);
});
