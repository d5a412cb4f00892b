// `baton volume ls` and `baton rm --stack --volumes` on the coordinator, in the harness (store over
// memory, recording sessions, manual clock): what the listing says per node (current, stale,
// unknown), that `rm --stack` keeps volumes and says how many, that `--volumes` is sent to each
// node only once the stack's containers are gone from it, that a node that is down does its part
// when it is back, that Docker's refusals are reported, and that a redeploy cancels what is left.
import t from 'tap';
import { NotFoundError, InputError } from '../../shared/errors.js';
import type { VolumeObservation } from '../../shared/model/volume.js';
import type { VolumeListItem, VolumeNodeItem } from '../../coordinator/volumes.js';
import { Harness } from '../fixtures/harness.js';

const stackFile = `name: shop
services:
  db:
    image: postgres:16
    volumes: ["data:/var/lib/postgresql/data"]
    deploy:
      replicas: 2
      placement:
        max_replicas_per_node: 1
volumes:
  data: {}
`;

const vol = (name: string, stack = 'shop', inUse = false): VolumeObservation => ({ name, stack, key: name.split('_').slice(1).join('_') || name, driver: 'local', createdAtMs: 1000, inUse });

const volumesOf = (h: Harness, node = '', stack = '') => h.volumes.list(node, stack).filter((e): e is VolumeListItem => e.kind === 'volume').map((v) => `${v.node}:${v.name}${v.stale ? ' (stale)' : ''}${v.removalError ? ` [${v.removalError}]` : ''}`);
const nodesOf = (h: Harness, stack = '') => Object.fromEntries(h.volumes.list('', stack).filter((e): e is VolumeNodeItem => e.kind === 'node').map((n) => [n.node, { up: n.connected && n.status === 'ready', known: n.known, pending: n.pendingRemovals.join(',') }]));

/** n1..n3 joined and reporting; shop deployed (db on two of them); every node reports shop_data. */
async function deployed(): Promise<Harness> {
  const h = new Harness();
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  await h.stacks.deploy({ text: stackFile, file: 'compose.yaml', stackName: undefined, env: {} });
  for (const n of ['n1', 'n2', 'n3']) h.setVolumes(n, [vol('shop_data', 'shop', true)]);
  h.setVolumes('n3', [vol('shop_data'), vol('other_cache', 'other')]);
  h.reportAll();
  await h.round();
  for (const n of ['n1', 'n2', 'n3']) h.sent(n);
  return h;
}

t.test('the listing: each node as last reported; a node not connected is stale; one never heard of is unknown', async (t) => {
  const h = await deployed();
  t.same(volumesOf(h), ['n1:shop_data', 'n2:shop_data', 'n3:other_cache', 'n3:shop_data']);
  t.same(volumesOf(h, 'n3', 'shop'), ['n3:shop_data'], 'filtered by node and stack');
  t.same(volumesOf(h, '', 'other'), ['n3:other_cache']);
  t.throws(() => h.volumes.list('n9', ''), NotFoundError, 'an unknown node is not found');
  h.silence('n3');
  h.advance(6000);
  t.same(volumesOf(h, 'n3'), ['n3:other_cache (stale)', 'n3:shop_data (stale)'], 'a down node keeps its last report, marked stale');
  h.join('n4');
  t.same(nodesOf(h).n4, { up: true, known: false, pending: '' }, 'a node that has not reported volumes: unknown, not "none"');
  h.reportAll();
  t.same(nodesOf(h).n4, { up: true, known: false, pending: '' }, 'an agent that never sends an inventory stays unknown');
  h.setVolumes('n4', []);
  h.reportAll();
  t.same(nodesOf(h).n4, { up: true, known: true, pending: '' }, 'an empty inventory is known to be empty');
});

t.test('rm --stack keeps the volumes and counts them; nothing is sent to remove them', async (t) => {
  const h = await deployed();
  const r = await h.stacks.remove('shop', '');
  t.same(r.removed, ['shop/db']);
  t.equal(r.volumesKept, 3, 'the three nodes report shop_data');
  t.same(r.volumeNodes, []);
  for (let i = 0; i < 4; i++) {
    h.advance(1000);
    await h.round();
  }
  t.notOk(['n1', 'n2', 'n3'].flatMap((n) => h.sent(n)).some((m) => m.startsWith('remove-volumes')), 'no RemoveVolumes without --volumes');
  t.same(h.store.state.volumeRemovals, {});
});

t.test('rm --stack --volumes: each connected node is told once the stack is gone from it; a down node when it is back', async (t) => {
  const h = await deployed();
  const placedOn = () => new Set(Object.values(h.store.state.allocations).filter((a) => a.desired === 'run').map((a) => a.nodeId));
  // One node with a replica goes down; its replica moves to the third, so two run one and the down node ran one.
  const down = [...placedOn()][1]!;
  h.silence(down);
  h.advance(6000);
  await h.round();
  h.reportAll();
  await h.round();
  // Past the dispatcher's resend interval: a stop is not held back by the recent start.
  h.advance(11_000);
  await h.round();
  for (const n of ['n1', 'n2', 'n3']) h.sent(n);
  const [up, other] = [...placedOn()].sort() as [string, string];
  t.notOk([up, other].includes(down));
  const r = await h.stacks.remove('shop', '', { volumes: true });
  t.same(r.volumeNodes, ['n1', 'n2', 'n3'], 'every node is to remove them');
  for (const n of [up, other]) t.same(h.sent(n).filter((m) => !m.startsWith('stop')), [], `${n} is told to stop its replica, not yet to remove volumes`);
  t.same(h.sent(down), [], 'nothing is sent to the down node');
  // The stop happened, but the coordinator has not heard yet: no removal before the container is gone.
  await h.round();
  t.same(h.sent(up), [], `${up}: not before its report shows the container gone`);
  h.reportAll();
  await h.round();
  t.same(h.sent(up), ['remove-volumes shop'], `${up}: once its container is gone`);
  t.same(h.sent(other), ['remove-volumes shop'], `${other} too`);

  t.equal(h.ackVolumes(other, { removed: ['shop_data'], refused: [] }), 'shop');
  h.ackVolumes(up, { removed: [], refused: [{ name: 'shop_data', error: 'volume is in use - [abc123]' }] });
  t.same(volumesOf(h, other, 'shop'), [], `${other}: shop_data leaves the listing with the ack`);
  t.same(volumesOf(h, up, 'shop'), [`${up}:shop_data [volume is in use - [abc123]]`], "Docker's refusal is shown on the volume");
  t.same(h.store.state.volumeRemovals.shop?.nodes, [down], 'only the down node is left to do it');
  t.same(nodesOf(h, 'shop')[down], { up: false, known: true, pending: 'shop' });
  t.match(h.events.list().filter((e) => e.type.startsWith('volume.')).map((e) => `${e.type} ${e.nodeName} ${e.message} (${e.reason})`), [
    /^volume\.removal  shop: on 3 node/,
    new RegExp(`^volume\\.removed ${other} shop: shop_data`),
    new RegExp(`^volume\\.remove-failed ${up} shop: shop_data \\(volume is in use`),
  ], 'events: requested, removed, refused');

  // No ack, no second command before the resend interval; the same removal again after it (idempotent on the agent).
  h.advance(2000);
  await h.round();
  t.same([other, up].flatMap((n) => h.sent(n)), [], 'answered nodes are not told again');

  // Back, it still runs its old replica's container: first that goes, then the volumes.
  h.join(down);
  h.reportAll();
  const toDown: string[] = [];
  for (let i = 0; i < 5 && !toDown.some((m) => m.startsWith('remove-volumes')); i++) {
    await h.round();
    toDown.push(...h.sent(down));
    h.advance(1000);
  }
  t.match(toDown, [/^reconcile \[\]/, /^stop .* \(node down: rescheduled\)/, /^remove-volumes shop$/], 'the node that was down does its part when it is back, after its old container is gone');
  h.advance(11_000);
  await h.round();
  t.same(h.sent(down).filter((m) => m.startsWith('remove-volumes')), ['remove-volumes shop'], 'sent again when no ack came within the resend interval');
  h.ackVolumes(down, { removed: ['shop_data'], refused: [] });
  t.same(h.store.state.volumeRemovals, {}, 'done on every node: the record is gone');
});

t.test('a redeploy cancels what is left; --volumes of a stack already removed; bad requests', async (t) => {
  const h = await deployed();
  h.silence('n3');
  h.advance(6000);
  await h.stacks.remove('shop', '');
  const again = await h.stacks.remove('shop', '', { volumes: true });
  t.same(again.removed, [], 'a stack removed before: only its volumes');
  t.same(again.volumeNodes, ['n1', 'n2', 'n3']);
  const d = await h.stacks.deploy({ text: stackFile, file: 'compose.yaml', stackName: undefined, env: {} });
  t.same(h.store.state.volumeRemovals, {}, 'the deploy cancelled the removal');
  t.match(d.warnings.join('\n'), /removed with --volumes and some nodes had not removed its volumes yet/);
  t.ok(h.events.list().some((e) => e.type === 'volume.removal-cancelled'), 'an event says so');
  await t.rejects(h.stacks.remove('', 'db', { volumes: true }), InputError, '--volumes with a service is bad input');
  await t.rejects(h.stacks.remove('shop', 'db', { volumes: true }), InputError);

  // Every node connected and reporting, none with volumes of `nope`: a typo is not found.
  const h2 = await deployed();
  await t.rejects(h2.stacks.remove('nope', '', { volumes: true }), NotFoundError, 'no stack and no node reports its volumes');
  await t.rejects(h2.stacks.remove('nope', ''), NotFoundError);
  const other = await h2.stacks.remove('other', '', { volumes: true });
  t.same(other.volumeNodes, ['n1', 'n2', 'n3'], 'n3 reports volumes of `other`: its removal is scheduled');
});

t.test('a node removed (baton node rm) is dropped from a pending removal', async (t) => {
  const h = await deployed();
  h.silence('n3');
  h.advance(6000);
  await h.stacks.remove('shop', '', { volumes: true });
  t.ok(h.store.state.volumeRemovals.shop?.nodes.includes('n3'));
  t.ok(h.pool.remove('n3', false, 'test').ok);
  await h.round();
  t.notOk(h.store.state.volumeRemovals.shop?.nodes.includes('n3'), 'n3 is no longer waited for');
});
