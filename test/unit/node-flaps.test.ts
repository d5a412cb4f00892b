// Issue 13: flapping nodes (coordinator/node-flaps.ts). The hysteresis rules with time passed in,
// then the coordinator in the harness: a node that goes down and comes back twice within the
// window is held out of placement (growing with each down), keeps what runs on it, and takes new
// work again once the hold runs out; a clean stop (`left`) is no flap.
import t from 'tap';
import { DEFAULT_FLAP_POLICY as P, expireFlaps, holdFor, nextFlaps } from '../../coordinator/node-flaps.js';
import { Harness } from '../fixtures/harness.js';

t.test('holdFor: none for one down, 30 s for two, doubling, capped at 10 min', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 10].map((n) => holdFor(n, P)), [0, 30_000, 60_000, 120_000, 240_000, 480_000, 600_000]);
});

t.test('nextFlaps and expireFlaps', async (t) => {
  const d1 = nextFlaps(undefined, 'ready', 'down', 1000, P);
  t.same(d1, { downsAtMs: [1000] });
  t.same(nextFlaps(d1, 'down', 'ready', 5000, P), { downsAtMs: [1000] }, 'first return: no hold');
  const d2 = nextFlaps(d1, 'suspect', 'down', 60_000, P);
  t.same(d2, { downsAtMs: [1000, 60_000] });
  t.same(nextFlaps(d2, 'down', 'ready', 70_000, P), { downsAtMs: [1000, 60_000], heldUntilMs: 100_000 }, 'second down in the window: held 30 s');
  t.same(nextFlaps(d1, 'ready', 'down', 1000 + 10 * 60_000, P), { downsAtMs: [601_000] }, 'a down older than the window is forgotten');
  t.equal(nextFlaps(undefined, 'ready', 'left', 0, P), undefined, 'a clean stop is no flap');
  t.same(nextFlaps(d2, 'left', 'ready', 70_000, P), { downsAtMs: [1000, 60_000] }, 'back from left: no hold');
  t.same(expireFlaps({ downsAtMs: [1000, 60_000], heldUntilMs: 100_000 }, 99_999, P), { downsAtMs: [1000, 60_000], heldUntilMs: 100_000 });
  t.same(expireFlaps({ downsAtMs: [1000, 60_000], heldUntilMs: 100_000 }, 100_000, P), { downsAtMs: [1000, 60_000] }, 'hold over');
  t.equal(expireFlaps({ downsAtMs: [1000] }, 1000 + 10 * 60_000, P), undefined, 'all forgotten');
});

const stack = (replicas: number) => `name: shop
services:
  web:
    image: web:1
    deploy:
      replicas: ${replicas}
      resources: { reservations: { cpus: "0.5", memory: 64M } }
`;

/** The node goes silent past the eviction bound (down), then its agent connects again. */
async function flap(h: Harness, id: string): Promise<void> {
  h.silence(id);
  for (let i = 0; i < 7; i++) {
    h.advance(1000);
    await h.round();
  }
  t.equal(h.store.state.nodes[id]!.status, 'down');
  h.join(id, { cpus: 1 });
  h.reportAll();
  await h.round();
}

t.test('a node that flaps twice is held out of new work, keeps its replicas, and takes work again after the hold', async (t) => {
  const h = new Harness();
  h.join('n1', { cpus: 1 });
  h.join('n2', { cpus: 8 });
  h.reportAll();
  await h.stacks.deploy({ text: stack(1), file: 'c.yaml', stackName: undefined, env: {} });
  await h.settle(3);
  t.same(h.placed(), ['web.1@n1'], 'best fit: n1');
  await flap(h, 'n1');
  t.equal(h.store.state.nodes['n1']!.flaps?.heldUntilMs, undefined, 'one down: not held');
  await h.settle(10);
  await flap(h, 'n1');
  const held = h.store.state.nodes['n1']!.flaps!;
  t.ok(held.heldUntilMs !== undefined && held.heldUntilMs - h.clock.now() > 25_000, 'second down within 10 min: held about 30 s');
  t.match(h.events.list(0).find((e) => e.type === 'node.held'), { nodeName: 'n1', reason: /^flapping: 2 downs in 10 min: no new work for 30 s$/ });
  // A new replica goes to n2, though n1 fits it best.
  await h.settle(2);
  const runningOnN1 = h.placed().filter((p) => p.endsWith('@n1'));
  await h.stacks.deploy({ text: stack(2), file: 'c.yaml', stackName: undefined, env: {} });
  await h.settle(2);
  t.same(h.placed().filter((p) => p.endsWith('@n1')), runningOnN1, 'nothing new on the held node; what it had stays');
  t.ok(h.placed().includes('web.2@n2'), 'the new replica on n2');
  // The hold survives a restart, then runs out.
  const h2 = h.restart();
  h2.reportAll();
  t.ok(h2.store.state.nodes['n1']!.flaps?.heldUntilMs, 'still held after a coordinator restart');
  await h2.settle(30);
  t.equal(h2.store.state.nodes['n1']!.flaps?.heldUntilMs, undefined, 'the hold ran out');
  t.match(h2.events.list(0).find((e) => e.type === 'node.released'), { nodeName: 'n1' });
});
