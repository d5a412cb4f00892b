// The scheduler snapshot: node views plus what their running allocations reserve.
import t from 'tap';
import { snapshotOf, type SnapshotAllocation, type SnapshotNode } from '../../coordinator/scheduler/index.js';
import { GiB, MiB } from '../fixtures/scheduler/builders.js';

function view(id: string, over: Partial<SnapshotNode> = {}): SnapshotNode {
  return { id, name: `host-${id}`, status: 'ready', labels: {}, capacity: { cpuMillis: 4000, memoryBytes: 8 * GiB }, ...over };
}

function alloc(nodeId: string, service: string, over: Partial<SnapshotAllocation> = {}): SnapshotAllocation {
  return { nodeId, stack: 'app', service, cpuMillis: 500, memoryBytes: 256 * MiB, hostPorts: [], desired: 'run', ...over };
}

t.test('reservations, ports and per-service counts come from running allocations only', async (t) => {
  const nodes = [view('a', { labels: { zone: 'edge' } }), view('b', { status: 'down' })];
  const snap = snapshotOf(nodes, [
    alloc('a', 'web', { hostPorts: [{ port: 80, protocol: 'tcp' }] }),
    alloc('a', 'web'),
    alloc('a', 'db', { cpuMillis: 1000, memoryBytes: 1 * GiB, hostPorts: [{ port: 53, protocol: 'udp' }] }),
    // Being stopped: reserves nothing.
    alloc('a', 'old', { desired: 'stop', cpuMillis: 3000, hostPorts: [{ port: 8080, protocol: 'tcp' }] }),
    // On a node not in the listing (it left): ignored.
    alloc('gone', 'web'),
  ]);
  t.same(snap, [
    {
      id: 'a',
      name: 'host-a',
      status: 'ready',
      labels: { zone: 'edge' },
      cpuMillis: 4000,
      memoryBytes: 8 * GiB,
      // 500 + 500 + 1000 = 2000 millis; 256 + 256 + 1024 = 1536 MiB
      reservedCpuMillis: 2000,
      reservedMemoryBytes: 1536 * MiB,
      usedPorts: [
        { port: 80, protocol: 'tcp' },
        { port: 53, protocol: 'udp' },
      ],
      replicasByService: { 'app/web': 2, 'app/db': 1 },
    },
    {
      id: 'b',
      name: 'host-b',
      status: 'down',
      labels: {},
      cpuMillis: 4000,
      memoryBytes: 8 * GiB,
      reservedCpuMillis: 0,
      reservedMemoryBytes: 0,
      usedPorts: [],
      replicasByService: {},
    },
  ]);
});

t.test('keeps the listing order; allocations may be a one-shot iterator', async (t) => {
  const allocations = [alloc('b', 'web'), alloc('a', 'web')];
  const snap = snapshotOf([view('b'), view('a')], allocations.values());
  t.same(
    snap.map((n) => [n.id, n.reservedCpuMillis]),
    [
      ['b', 500],
      ['a', 500],
    ],
  );
});
