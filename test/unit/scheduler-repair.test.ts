// Repair: a replica greedy packing leaves out is placed by moving one batch replica aside.
import t from 'tap';
import { planBatch } from '../../coordinator/scheduler/index.js';
import { GiB, constraint, node, replicas, req, tcp } from '../fixtures/scheduler/builders.js';

t.test('moving a worker south makes room for the second web replica on the north node', async (t) => {
  const nodes = [
    node('north', { cpuMillis: 4000, memoryBytes: 8 * GiB, labels: { zone: 'north' } }),
    node('south', { cpuMillis: 4000, memoryBytes: 8 * GiB, labels: { zone: 'south' } }),
  ];
  // Demand: db 2000 (north only) + web 2 x 500 (port 8080: one per node) + worker 3 x 1000 = 6000 of 8000.
  // Best-fit-decreasing puts db, worker, worker on north (4000/4000) and web.1, worker.3 on
  // south; web.2 then fits nowhere: north is full and south holds port 8080.
  const requests = [
    req('s/db', 1, { cpuMillis: 2000, memoryBytes: 4 * GiB, constraints: [constraint('node.labels.zone==north')] }),
    ...replicas('s/web', 2, { cpuMillis: 500, memoryBytes: 512 * 1024 ** 2, hostPorts: [tcp(8080)] }),
    ...replicas('s/worker', 3, { cpuMillis: 1000, memoryBytes: GiB }),
  ];
  const plan = planBatch(nodes, requests, { improveBudgetMs: 0 });
  t.same(plan.unplaced, [], 'everything placed');
  t.equal(plan.placements.length, 6);
  const on = (n: string) => plan.placements.filter((p) => p.nodeName === n);
  const cpu = (n: string) => on(n).reduce((s, p) => s + requests.find((r) => r.service === p.service && r.replica === p.replica)!.cpuMillis, 0);
  t.ok(cpu('north') <= 4000 && cpu('south') <= 4000, `north ${cpu('north')}, south ${cpu('south')} within 4000`);
  t.equal(on('north').filter((p) => p.service === 's/web').length, 1, 'one web per node (port 8080)');
  t.same(on('north').filter((p) => p.service === 's/db').length, 1, 'db stays north');
});

t.test('when no single move helps, the replica stays unplaced with its reason', async (t) => {
  const nodes = [node('a', { cpuMillis: 1000, memoryBytes: GiB }), node('b', { cpuMillis: 1000, memoryBytes: GiB })];
  const requests = replicas('s/big', 3, { cpuMillis: 1000, memoryBytes: 512 * 1024 ** 2 });
  const plan = planBatch(nodes, requests);
  t.equal(plan.placements.length, 2);
  t.equal(plan.unplaced.length, 1);
  t.match(plan.unplaced[0]!.reason, /^0\/2 nodes fit: 2 insufficient cpu/);
});
