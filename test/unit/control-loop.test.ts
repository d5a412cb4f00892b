// The control loop driven round by round in the coordinator harness (store over memory, recording
// sessions, manual clock): what each node is sent after deploys, scaling, a node going down or
// coming back, and a stray container. Assertions are on the wire messages each session received.
import t from 'tap';
import { Harness } from '../fixtures/harness.js';

const web = (replicas: number, extra = '') => `name: shop
services:
  web:
    image: nginx:1.27
    deploy:
      replicas: ${replicas}
      placement:
        max_replicas_per_node: 1
${extra}`;

async function cluster(nodes: string[], replicas: number): Promise<Harness> {
  const h = new Harness();
  for (const n of nodes) h.join(n);
  h.reportAll();
  await h.stacks.deploy({ text: web(replicas), file: 'compose.yaml', stackName: undefined, env: {} });
  h.reportAll();
  for (const n of nodes) h.sent(n); // the session-start reconcile and the first starts
  return h;
}

t.test('a deploy places each replica once and sends each start to its node only', async (t) => {
  const h = new Harness();
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  for (const n of ['n1', 'n2', 'n3']) t.same(h.sent(n), ['reconcile []'], `${n}'s session starts with the complete (empty) set`);
  h.reportAll();
  const r = await h.stacks.deploy({ text: web(2), file: 'compose.yaml', stackName: undefined, env: {} });
  t.same(r.unplaced, []);
  const placed = h.placed();
  t.equal(placed.length, 2);
  const nodesUsed = placed.map((p) => p.split('@')[1]!);
  t.equal(new Set(nodesUsed).size, 2, 'max_replicas_per_node: 1 puts them on two nodes');
  for (const n of ['n1', 'n2', 'n3']) {
    const mine = placed.filter((p) => p.endsWith(`@${n}`)).map((p) => `start ${p.split('@')[0]}`);
    t.same(h.sent(n), mine, `${n} is sent exactly the starts of what was placed on it`);
  }
  await h.round();
  h.reportAll();
  await h.round();
  t.same(['n1', 'n2', 'n3'].flatMap((n) => h.sent(n)), [], 'running replicas are not started again');
});

t.test('n2 down: stop its replica, place it again elsewhere, start sent there, nothing sent to n2', async (t) => {
  const h = await cluster(['n1', 'n2', 'n3'], 2);
  const before = h.placed();
  const onN2 = before.find((p) => p.endsWith('@n2'));
  t.ok(onN2, 'one replica runs on n2');
  const slot = onN2!.split('@')[0]!;
  const oldId = Object.values(h.store.state.allocations).find((a) => a.nodeId === 'n2')!.id;
  h.silence('n2');
  h.advance(6000); // past the 5 s silence bound
  t.equal(h.pool.get('n2')!.status, 'down');
  await h.round();
  t.equal(h.store.state.allocations[oldId]!.desired, 'stop', "n2's allocation is stopped");
  t.match(h.store.state.allocations[oldId]!.stopReason, /node down/);
  const free = ['n1', 'n3'].find((n) => !before.some((p) => p.endsWith(`@${n}`)))!;
  t.ok(h.placed().includes(`${slot}@${free}`), `${slot} placed on ${free}, the node without a web replica`);
  t.same(h.sent(free), [`start ${slot}`], `start sent to ${free}`);
  t.same(h.sent('n2'), [], 'nothing sent to n2');
});

t.test('n2 comes back: its session starts with the complete set, and the stale copy is removed', async (t) => {
  const h = await cluster(['n1', 'n2'], 2);
  const oldId = Object.values(h.store.state.allocations).find((a) => a.nodeId === 'n2')!.id;
  h.silence('n2');
  h.advance(6000);
  h.join('n3');
  h.reportAll();
  await h.round();
  h.reportAll();
  await h.round();
  t.same(h.sent('n3'), ['reconcile []', `start ${h.store.state.allocations[oldId]!.service}.${h.store.state.allocations[oldId]!.replica}`]);
  h.join('n2');
  t.same(h.sent('n2'), ['reconcile []'], 'the complete set for n2 is empty: its old replica runs on n3 now');
  h.reportAll();
  await h.round();
  t.same(h.sent('n2'), [`stop ${oldId} (node down: rescheduled)`], 'the old copy still reported by n2 is stopped and removed');
});

t.test('scale down stops the highest replicas; scale up places new ones', async (t) => {
  const h = await cluster(['n1', 'n2', 'n3'], 3);
  // A command for an allocation is not sent again within the resend interval (10 s), a stop
  // right after its start included: let that pass first.
  h.advance(10_000);
  await h.stacks.scale('web', '1');
  const stops = ['n1', 'n2', 'n3'].flatMap((n) => h.sent(n));
  t.equal(stops.length, 2);
  t.ok(stops.every((s) => /^stop web\.[23]#\d+ \(scaled down\)$/.test(s)), stops.join(', '));
  t.same(h.placed().map((p) => p.split('@')[0]), ['web.1']);
  h.reportAll();
  await h.stacks.scale('web', '+1');
  t.same(h.placed().map((p) => p.split('@')[0]), ['web.1', 'web.2']);
});

t.test('a container of an allocation the coordinator has no record of is removed', async (t) => {
  const h = await cluster(['n1'], 1);
  h.stray('n1', 'ghost-1');
  h.reportAll();
  await h.round();
  t.same(h.sent('n1'), ['stop ghost-1 (unknown allocation)']);
  h.reportAll();
  await h.round();
  t.same(h.sent('n1'), [], 'not asked again within the resend interval');
});

t.test('what does not fit stays pending with the reason, and is placed when a node joins', async (t) => {
  const h = await cluster(['n1'], 2);
  t.same(h.placed().map((p) => p.split('@')[0]), ['web.1']);
  const pending = h.loop.unplaced();
  t.same(pending.map((p) => `${p.service}.${p.replica}`), ['web.2']);
  t.match(pending[0]!.reason, /max_replicas_per_node|replicas per node/);
  h.join('n2');
  h.reportAll();
  await h.round();
  t.same(h.sent('n2'), ['reconcile []', 'start web.2']);
  t.same(h.loop.unplaced(), []);
});
