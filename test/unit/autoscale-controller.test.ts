// The autoscaler through the whole coordinator in the harness (store over memory, recording
// sessions, manual clock): load reported by the nodes scales the service up through the same write
// as `baton scale`, placed by the scheduler; the count comes back to min after the load stops; every
// change is an event with its numbers; a restarted coordinator waits a fresh window; a manual scale
// is refused; a redeploy keeps the autoscaler's count.
import t from 'tap';
import { Autoscaler } from '../../coordinator/autoscale/controller.js';
import { Harness } from '../fixtures/harness.js';

const STACK = `name: shop
services:
  web:
    image: web:1
    deploy:
      resources: { reservations: { cpus: "0.5" } }
    x-baton:
      autoscale: { min: 1, max: 4, cpu: "50%", window: 5s, scale_down_window: 20s }
`;

const deploy = (h: Harness, text = STACK) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });

function autoscalerOf(h: Harness): Autoscaler {
  return new Autoscaler(h.store, h.pool, h.stacks, h.clock, h.log);
}

/** `seconds` of 1 s syncs: nodes report, the autoscaler decides, the control loop runs. */
async function run(h: Harness, a: Autoscaler, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    h.advance(1000);
    await a.tick();
    await h.round();
    h.reportAll();
  }
}

const running = (h: Harness) => [...h.containers().values()].filter((c) => c.state === 'running').length;
const replicasOf = (h: Harness) => h.store.state.stacks.shop!.services.web!.replicas;
const events = (h: Harness) => h.events.list().filter((e) => e.type === 'autoscale.scaled').map((e) => `${e.from}->${e.to} ${e.message}`);
const burnAll = (h: Harness, cpu: number) => {
  for (const id of h.containers().keys()) h.cpuUse.set(id, cpu);
};

t.test('load scales up, placed by the scheduler; back to min after it stops', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.join('n2');
  h.reportAll();
  await deploy(h);
  h.reportAll();
  await h.round();
  t.equal(running(h), 1, 'starts at min');
  const a = autoscalerOf(h);
  // One replica at 100% of a core = 200% of its 0.5-core reservation; target 50: ratio 4 -> ceil(1 × 4) = 4.
  burnAll(h, 100);
  await run(h, a, 4);
  t.equal(replicasOf(h), 1, 'no decision before a full 5 s window');
  t.match(a.status()[0]!.last, { kind: 'wait' });
  await run(h, a, 3);
  t.equal(replicasOf(h), 4, 'scaled to 4 (max) once the window is full');
  t.equal(running(h), 4, 'the nodes run 4');
  t.equal(h.placed().length, 4, 'four allocations placed by the scheduler (binpack: on one node while it fits)');
  t.match(events(h), [/^1->4 shop\/web: cpu 400% of target \(200% of reservation, target 50%\) over 1 replica \(window 5 s\) → 4 replicas/]);
  // The new replicas idle: mean (100 + 0 × 3) / 4 = 25% of a core = 50% of reservation: at target, hold.
  await run(h, a, 15);
  t.equal(replicasOf(h), 4, 'holds at target');
  // Load stops: 0% -> ceil(0) = 0 -> min 1, after the 20 s down window of recommendations at 0.
  burnAll(h, 0);
  await run(h, a, 10);
  t.equal(replicasOf(h), 4, 'not before the down window holds only low recommendations');
  await run(h, a, 20);
  t.equal(replicasOf(h), 1, 'back to min');
  t.equal(running(h), 1, 'the nodes run 1');
  // The down window drops the 4s recommended at target only 20 s after the last of them: then down,
  // only downward changes, ending at min.
  const changes = events(h).map((e) => e.split(' ')[0]!.split('->').map(Number) as [number, number]);
  t.same(changes[0], [1, 4]);
  t.ok(changes.slice(1).every(([from, to]) => to < from), `only scale-downs after the load stopped: ${JSON.stringify(changes)}`);
  t.match(events(h).at(-1), /shop\/web: cpu 0% of target .* → 1 replica \(min 1\)/);
  const st = a.status()[0]!;
  t.match(st, { stack: 'shop', service: 'web', replicas: 1, lastChange: { to: 1 } });
  t.match(h.queries.services()[0], { desired: 1, autoscale: { min: 1, max: 4, cpuTargetPercent: 50, memoryTargetPercent: 0 } }, 'baton services marks it');
});

t.test('after a coordinator restart: a fresh window, no burst', async (t) => {
  let h = new Harness();
  h.join('n1', { cpus: 8 });
  h.reportAll();
  await deploy(h);
  h.reportAll();
  await h.round();
  const a = autoscalerOf(h);
  burnAll(h, 100);
  await run(h, a, 6);
  t.equal(replicasOf(h), 4);
  h = h.restart();
  h.reportAll();
  await h.round();
  // Now idle; before the restart the down window would have been satisfied soon.
  burnAll(h, 0);
  const b = autoscalerOf(h);
  await run(h, b, 4);
  t.match(b.status()[0]!.last, { kind: 'wait' }, 'waits for a fresh window');
  await run(h, b, 10);
  t.equal(replicasOf(h), 4, 'a scale-down waits a whole down window after the restart');
  t.match(b.status()[0]!.last!.reason, /scale-down waits for a full 20 s window/);
  await run(h, b, 12);
  t.equal(replicasOf(h), 1, 'then scales down');
  t.equal(events(h).length, 2, 'one change before, one after: no burst');
});

t.test('manual scale is refused with the bounds; redeploy keeps the count within the new bounds', async (t) => {
  const h = new Harness();
  h.join('n1', { cpus: 8 });
  h.reportAll();
  await deploy(h);
  await t.rejects(h.stacks.scale('web', '3'), /web: is autoscaled \(x-baton.autoscale min 1, max 4\): change min\/max in the Compose file and deploy it, or remove x-baton.autoscale to scale by hand/);
  t.equal(await h.stacks.autoscale('shop', 'web', 1, 3, 'test'), true);
  const r = await deploy(h);
  t.match(r.changes, [{ service: 'web', change: 'unchanged', replicas: 3 }], 'a redeploy keeps the autoscaler\'s 3');
  const narrower = await deploy(h, STACK.replace('max: 4', 'max: 2'));
  t.match(narrower.changes, [{ service: 'web', change: 'scaled', replicas: 2 }], 'moved into the new max');
  t.equal(await h.stacks.autoscale('shop', 'web', 1, 2, 'stale'), false, 'a stale change (count no longer 1) is not written');
  t.equal(await h.stacks.autoscale('shop', 'web', 2, 5, 'over'), false, 'nor one outside the bounds');
  const manual = await deploy(h, STACK.replace(/    x-baton:\n.*\n/, ''));
  t.match(manual.changes, [{ service: 'web', replicas: 1 }], 'without x-baton.autoscale the file\'s count again');
  await t.resolves(h.stacks.scale('web', '3'), 'and scale works again');
});

t.test('replicas that do not fit are pending with the scheduler\'s reason; the count holds', async (t) => {
  const h = new Harness();
  // One core: two 0.5-core replicas fit.
  h.join('n1', { cpus: 1 });
  h.reportAll();
  await deploy(h);
  h.reportAll();
  await h.round();
  const a = autoscalerOf(h);
  burnAll(h, 100);
  await run(h, a, 7);
  t.equal(replicasOf(h), 4, 'asked for 4');
  t.equal(running(h), 2, 'two fit');
  const row = h.queries.services()[0]!;
  t.equal(row.pending.length, 2, 'two pending');
  t.match(row.pending[0]!.reason, /cpu/i, `with the scheduler's reason: ${row.pending[0]!.reason}`);
  // Both running at 50% of a core: ratio 2, but 2 of the 4 are not placed (count as 0): 2 × 2 / 4 = 1 -> hold.
  for (const id of h.containers().keys()) h.cpuUse.set(id, 50);
  await run(h, a, 12);
  t.equal(replicasOf(h), 4, 'holds: neither more (the unplaced count as idle) nor fewer');
  t.equal(events(h).length, 1);
});
