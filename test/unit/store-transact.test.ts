// Store transactions are all or nothing: a function that throws leaves the state as it was, at any
// depth (new keys, changed fields, arrays, deletions), and nothing of the journal's proxies is left
// in the state or in what a transaction returns.
import t from 'tap';
import { types } from 'node:util';
import { Store } from '../../coordinator/store/store.js';
import { emptyState } from '../../coordinator/store/schema.js';
import { alloc, stack, svc } from '../fixtures/reconcile/builders.js';

function seeded(): Store {
  const s = emptyState();
  s.allocations.a1 = alloc('a1', { service: 'web', replica: 1, node: 'n1', report: { state: 'running' } });
  s.stacks.shop = stack('shop', { web: svc({ replicas: 2 }) });
  s.events.push({ seq: 1, atMs: 0, type: 'x', nodeId: '', nodeName: '', from: '', to: '', reason: '', message: '' });
  s.eventSeq = 1;
  return Store.memory(s);
}

t.test('a throwing transaction changes nothing', async (t) => {
  const store = seeded();
  const before = structuredClone(store.state);
  t.throws(
    () =>
      store.transact((s) => {
        s.allocations.a2 = alloc('a2', { service: 'web', replica: 2, node: 'n2' }); // new key
        s.allocations.a1!.desired = 'stop'; // changed field
        s.allocations.a1!.observed!.state = 'failed'; // nested field
        delete s.allocations.a1!.observed; // deleted key
        s.events.push({ ...s.events[0]!, seq: 2 }); // array append
        s.events.splice(0, 1); // array shift
        s.eventSeq += 1;
        s.stacks.shop!.services.web!.replicas = 9;
        delete s.stacks.shop;
        throw new Error('halfway');
      }),
    /halfway/,
  );
  t.same(store.state, before, 'state as it was');
  t.equal(store.state.events.length, 1);
});

t.test('a transaction that returns commits, and its result and stored values are plain objects', async (t) => {
  const store = seeded();
  const rec = store.transact((s) => {
    const prev = s.stacks.shop!.services.web!;
    // A copy of a tracked record holds tracked children: they must be stored plain.
    s.stacks.shop!.services.api = { ...prev, replicas: 1 };
    s.allocations.a1!.desired = 'stop';
    return s.allocations.a1!;
  });
  t.equal(store.state.allocations.a1!.desired, 'stop');
  t.notOk(types.isProxy(rec), 'the returned record is the stored object, not a proxy');
  t.equal(rec, store.state.allocations.a1);
  const api = store.state.stacks.shop!.services.api!;
  t.notOk(types.isProxy(api), 'stored value is plain');
  t.notOk(types.isProxy(api.spec), 'and so are its children');
  t.notOk(types.isProxy(api.spec.ports), 'at any depth');
});

t.test('nested transactions are refused (the outer one could not undo the inner one)', async (t) => {
  const store = seeded();
  t.throws(() => store.transact(() => store.transact(() => 1)), /inside a transaction/);
  t.equal(store.transact(() => 2), 2, 'the store is usable afterwards');
});

t.test('allocations() lists what Object.values does, kept only while no record is added, replaced or removed', async (t) => {
  const store = seeded();
  const values = () => Object.values(store.state.allocations);
  const first = store.allocations();
  t.same(first, values(), 'the records, in key order');
  // A change inside a record: the same list (it holds the records), which shows the change.
  store.transact((s) => void (s.allocations.a1!.desired = 'stop'));
  t.equal(store.allocations(), first, 'kept across a change inside a record');
  t.equal(store.allocations()[0]!.desired, 'stop');
  store.transact((s) => void (s.allocations.a2 = alloc('a2', { service: 'web', replica: 2, node: 'n1' })));
  t.not(store.allocations(), first, 'listed afresh after an addition');
  t.same(store.allocations().map((a) => a.id), ['a1', 'a2']);
  store.transact((s) => void (s.allocations.a1 = { ...s.allocations.a1!, nodeId: 'n2' }));
  t.same(store.allocations().map((a) => a.nodeId), ['n2', 'n1'], 'a replaced record, in its place');
  store.transact((s) => void delete s.allocations.a1);
  t.same(store.allocations().map((a) => a.id), ['a2'], 'a removed record is gone');
  // An undone removal puts a1 back after a2: the list follows the new key order.
  store.transact((s) => void (s.allocations.a1 = alloc('a1', { service: 'web', replica: 1, node: 'n1' })));
  const before = store.allocations();
  t.throws(() =>
    store.transact((s) => {
      delete s.allocations.a2;
      throw new Error('boom');
    }),
  );
  t.same(values().map((a) => a.id), ['a1', 'a2'], 'the undo re-added a2 last');
  t.same(store.allocations(), values(), 'after an undone transaction, as Object.values lists them');
  t.same(before.map((a) => a.id), ['a2', 'a1']);
});

t.test('allocationsOn(node) is the allocations on that node, following additions, replacements, removals and undos', async (t) => {
  const store = seeded();
  const on = (node: string) => store.allocationsOn(node).map((a) => a.id);
  const scan = (node: string) => Object.values(store.state.allocations).filter((a) => a.nodeId === node).map((a) => a.id);
  t.same(on('n1'), scan('n1'));
  t.same(on('nowhere'), [], 'a node without allocations has none');
  store.transact((s) => void (s.allocations.a2 = alloc('a2', { service: 'web', replica: 2, node: 'n2' })));
  t.same(on('n2'), ['a2'], 'an added record is on its node');
  store.transact((s) => void (s.allocations.a1 = { ...s.allocations.a1!, nodeId: 'n2' }));
  t.same([on('n1'), on('n2')], [scan('n1'), scan('n2')], 'a replaced record moves with its node');
  t.same(on('n1'), [], 'and leaves the old one');
  store.transact((s) => void delete s.allocations.a2);
  t.same(on('n2'), ['a1'], 'a removed record is gone');
  t.throws(() =>
    store.transact((s) => {
      s.allocations.a3 = alloc('a3', { service: 'web', replica: 3, node: 'n2' });
      throw new Error('boom');
    }),
  );
  t.same(on('n2'), ['a1'], 'an undone addition is not listed');
  store.transact((s) => void (s.allocations.a1!.desired = 'stop'));
  t.equal(store.allocationsOn('n2')[0]!.desired, 'stop', 'a change inside a record shows');
});
