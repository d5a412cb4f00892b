// Which slots a service should run: 1..replicas, or for a global service one per eligible node,
// each node keeping the number of the replica it has and new nodes taking the lowest free one.
import t from 'tap';
import { desiredSlots, globalEligible, type SlotAllocation, type SlotNode } from '../../coordinator/desired-slots.js';
import { constraint } from '../fixtures/scheduler/builders.js';

const n = (id: string, over: Partial<SlotNode> = {}): SlotNode => ({ id, name: id, labels: {}, status: 'ready', ...over });
const a = (replica: number, nodeId: string, desired: 'run' | 'stop' = 'run', createdAtMs = 0): SlotAllocation => ({ replica, nodeId, desired, createdAtMs });
const global = (constraints: string[] = []) => ({ mode: 'global' as const, constraints: constraints.map(constraint) });

const cases: { name: string; nodes: SlotNode[]; allocations: SlotAllocation[]; constraints?: string[]; want: Record<string, number> }[] = [
  { name: 'fresh: numbered in node order', nodes: [n('a'), n('b'), n('c')], allocations: [], want: { a: 1, b: 2, c: 3 } },
  { name: 'a node keeps its number', nodes: [n('a'), n('b'), n('c')], allocations: [a(3, 'a'), a(1, 'c')], want: { a: 3, c: 1, b: 2 } },
  { name: 'a new node takes the lowest number no allocation uses', nodes: [n('a'), n('d')], allocations: [a(1, 'a'), a(2, 'gone', 'stop')], want: { a: 1, d: 3 } },
  { name: 'a stopped copy on its node keeps the number (the node came back)', nodes: [n('a'), n('b')], allocations: [a(1, 'a'), a(2, 'b', 'stop')], want: { a: 1, b: 2 } },
  { name: 'run wins over stop on one node', nodes: [n('a')], allocations: [a(4, 'a', 'stop', 9), a(2, 'a', 'run', 1)], want: { a: 2 } },
  { name: 'the newest of two running copies (mode switched from replicated)', nodes: [n('a'), n('b')], allocations: [a(1, 'a', 'run', 1), a(3, 'a', 'run', 5)], want: { a: 3, b: 2 } },
  { name: 'down and left nodes have no slot; suspect ones keep theirs', nodes: [n('a', { status: 'down' }), n('b', { status: 'left' }), n('c', { status: 'suspect' })], allocations: [a(1, 'a')], want: { c: 2 } },
  { name: 'constraints', nodes: [n('a', { labels: { zone: 'edge' } }), n('b'), n('c', { role: 'manager', labels: { zone: 'edge' } })], allocations: [], constraints: ['node.labels.zone==edge'], want: { a: 1, c: 2 } },
  { name: 'role constraint', nodes: [n('a'), n('b', { role: 'manager' })], allocations: [], constraints: ['node.role==manager'], want: { b: 1 } },
  { name: 'two nodes claiming one number (hand-edited state): the first keeps it', nodes: [n('a'), n('b')], allocations: [a(1, 'a'), a(1, 'b')], want: { a: 1, b: 2 } },
];

t.test('global slots', async (t) => {
  for (const c of cases) {
    const d = desiredSlots(global(c.constraints), 0, c.allocations, c.nodes);
    t.same(Object.fromEntries(d.slotOf!), c.want, c.name);
    t.same(d.slots, Object.values(c.want).sort((x, y) => x - y), `${c.name}: slots ascending`);
    for (const [node, slot] of Object.entries(c.want)) t.equal(d.nodeOf!.get(slot), node, `${c.name}: slot ${slot} -> ${node}`);
  }
});

t.test('replicated: 1..replicas, whatever the nodes', async (t) => {
  t.same(desiredSlots({ constraints: [] }, 3, [a(7, 'a')], [n('a')]), { slots: [1, 2, 3] });
  t.same(desiredSlots({ constraints: [] }, 0, [], []), { slots: [] });
});

t.test('eligibility', async (t) => {
  t.ok(globalEligible(n('a'), []));
  t.ok(globalEligible(n('a', { status: 'suspect' }), []));
  t.notOk(globalEligible(n('a', { status: 'down' }), []));
  t.notOk(globalEligible(n('a', { status: 'left' }), []));
  t.notOk(globalEligible(n('a'), [constraint('node.role==manager')]));
});
