// "Why didn't it place?" strings: every node counted once, under the first filter that rejects it.
import t from 'tap';
import { explainUnplaced, planBatch } from '../../coordinator/scheduler/index.js';
import { formatBytes, formatCpu } from '../../shared/format.js';
import { GiB, MiB, constraint, node, req, tcp } from '../fixtures/scheduler/builders.js';

t.test('the example from the issue', async (t) => {
  const nodes = [
    // Free memory 8 GiB - (8 GiB - 300 MiB) = 300 MiB: the most free among the memory rejections.
    node('a', { labels: { zone: 'edge' }, reservedMemoryBytes: 8 * GiB - 300 * MiB }),
    node('b', { labels: { zone: 'edge' }, reservedMemoryBytes: 8 * GiB - 100 * MiB }),
    node('c', { labels: { zone: 'edge' }, reservedMemoryBytes: 8 * GiB }),
    node('d', { labels: { zone: 'core' } }),
    node('e', { labels: { zone: 'edge' }, usedPorts: [tcp(8080)] }),
  ];
  const r = req('web', 1, {
    memoryBytes: 512 * MiB,
    hostPorts: [tcp(8080)],
    constraints: [constraint('node.labels.zone==edge')],
  });
  const u = explainUnplaced(nodes, r);
  t.equal(
    u.reason,
    '0/5 nodes fit: 3 insufficient memory (needs 512 MiB, most free 300 MiB), 1 constraint node.labels.zone==edge, 1 host port 8080 in use',
  );
  t.same(u.rejections, { memory: 3, constraint: 1, 'host-port': 1 });
  t.equal(u.service, 'app/web');
  t.equal(u.replica, 1);
});

t.test('down nodes are counted by status, before anything else', async (t) => {
  const nodes = [
    node('a', { status: 'down' }),
    node('b', { status: 'down', reservedCpuMillis: 4000 }),
    node('c', { status: 'suspect' }),
    node('d', { reservedCpuMillis: 3500 }),
  ];
  const u = explainUnplaced(nodes, req('web'));
  // Sorted by count: 2 down first; 1 suspect and 1 cpu tie, pipeline order puts status first.
  t.equal(u.reason, '0/4 nodes fit: 2 node down, 1 node suspect, 1 insufficient cpu (needs 1 CPU, most free 0.5 CPU)');
});

t.test('max replicas per node and no nodes at all', async (t) => {
  const u = explainUnplaced([node('a', { replicasByService: { 'app/web': 2 } })], req('web', 3, { maxReplicasPerNode: 2 }));
  t.equal(u.reason, '0/1 nodes fit: 1 max_replicas_per_node 2 reached');
  t.equal(explainUnplaced([], req('web')).reason, '0/0 nodes fit: no nodes');
});

t.test('a plan explains against the state after its own placements', async (t) => {
  // Two nodes, each fits exactly two replicas of 2 CPU: the fifth does not fit anywhere.
  const plan = planBatch([node('a'), node('b')], Array.from({ length: 5 }, (_, i) => req('web', i + 1, { cpuMillis: 2000 })));
  t.equal(plan.placements.length, 4);
  t.equal(plan.unplaced.length, 1);
  t.equal(plan.unplaced[0]!.reason, '0/2 nodes fit: 2 insufficient cpu (needs 2 CPU, most free 0 CPU)');
});

t.test('units', async (t) => {
  t.equal(formatCpu(1500), '1.5 CPU');
  t.equal(formatCpu(250), '0.25 CPU');
  t.equal(formatBytes(512 * MiB), '512 MiB');
  t.equal(formatBytes(1.5 * GiB), '1.5 GiB');
  t.equal(formatBytes(1000), '1000 B');
  t.equal(formatBytes(-5), '0 B', 'an over-committed node shows 0 free');
});
