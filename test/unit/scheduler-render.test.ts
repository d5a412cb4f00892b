// `baton plan` output (text and JSON), its exit code, and turning Compose services into requests.
import t from 'tap';
import type { ServiceSpec } from '../../shared/compose/types.js';
import {
  fillBar,
  planBatch,
  planExitCode,
  planToJson,
  renderPlanText,
  replicaRequestsFor,
} from '../../coordinator/scheduler/index.js';
import { GiB, MiB, constraint, node } from '../fixtures/scheduler/builders.js';

function service(over: Partial<ServiceSpec>): ServiceSpec {
  return {
    name: 'web',
    image: 'nginx:1.27',
    environment: {},
    ports: [],
    labels: {},
    dependsOn: [],
    replicas: 1,
    reserved: { cpuMillis: 500, memoryBytes: 512 * MiB },
    reservedFrom: 'reservations',
    limits: {},
    constraints: [],
    maxReplicasPerNode: 0,
    restartPolicy: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 0, maxFailureRatio: 0, order: 'stop-first' },
    rollbackConfig: { parallelism: 1, delayMs: 0, failureAction: 'pause', monitorMs: 0, maxFailureRatio: 0, order: 'stop-first' },
    placementStrategy: 'binpack',
    stopGraceMs: 10000,
    ...over,
  };
}

// Before issue 9 the ingress port 8080 was a host port too; the ingress publishes it on every node
// now (the container gets an ephemeral one), so only the mode: host port is a host port.
t.test('replicaRequestsFor: one request per slot, published mode: host ports only', async (t) => {
  const svc = service({
    ports: [
      { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' },
      { target: 9000, protocol: 'tcp', mode: 'ingress' },
      { target: 53, published: 53, protocol: 'udp', mode: 'host' },
    ],
    constraints: [constraint('node.labels.zone==edge')],
    maxReplicasPerNode: 1,
    placementStrategy: 'spread',
  });
  const reqs = replicaRequestsFor('shop', svc, [1, 3]);
  t.equal(reqs.length, 2);
  t.same(reqs[1], {
    service: 'shop/web',
    replica: 3,
    cpuMillis: 500,
    memoryBytes: 512 * MiB,
    hostPorts: [{ port: 53, protocol: 'udp' }],
    constraints: svc.constraints,
    maxReplicasPerNode: 1,
    strategy: 'spread',
  });
});

const nodes = [
  node('edge-1', { cpuMillis: 4000, memoryBytes: 8 * GiB, reservedCpuMillis: 2000, reservedMemoryBytes: 2 * GiB }),
  node('edge-2', { cpuMillis: 4000, memoryBytes: 8 * GiB, status: 'down' }),
];
const requests = [
  ...replicaRequestsFor('shop', service({ name: 'web', reserved: { cpuMillis: 1200, memoryBytes: 1 * GiB } }), [1]),
  ...replicaRequestsFor('shop', service({ name: 'db', reserved: { cpuMillis: 4000, memoryBytes: 4 * GiB } }), [1]),
];

t.test('JSON: exact shape, plain service names, reservations after the plan', async (t) => {
  const plan = planBatch(nodes, requests);
  t.same(planToJson(nodes, requests, plan), {
    placements: [{ service: 'web', replica: 1, node: 'edge-1' }],
    unplaced: [
      {
        service: 'db',
        replica: 1,
        reason: '0/2 nodes fit: 1 node down, 1 insufficient cpu (needs 4 CPU, most free 0.8 CPU)',
      },
    ],
    nodes: [
      // 2000 + 1200 = 3200 millis; 2 GiB + 1 GiB = 3 GiB
      { name: 'edge-1', cpuMillis: 4000, memoryBytes: 8 * GiB, reservedCpuMillis: 3200, reservedMemoryBytes: 3 * GiB },
      { name: 'edge-2', cpuMillis: 4000, memoryBytes: 8 * GiB, reservedCpuMillis: 0, reservedMemoryBytes: 0 },
    ],
  });
  t.equal(planExitCode(plan), 1);
  t.equal(planExitCode(planBatch(nodes, requests.slice(0, 1))), 0);
});

t.test('text: replicas, fill bars before and after, reasons', async (t) => {
  const text = renderPlanText(nodes, requests, planBatch(nodes, requests));
  t.equal(
    text,
    [
      'placements:',
      '  web.1  -> edge-1',
      '',
      'nodes (reserved before -> after):',
      // cpu 2000/4000 = 50% -> 3200/4000 = 80%; mem 2/8 = 25% -> 3/8 = 38% (37.5 rounds up)
      '  edge-1  cpu [#####.....]  50% -> [########..]  80%  mem [###.......]  25% -> [####......]  38%',
      '  edge-2  cpu [..........]   0% -> [..........]   0%  mem [..........]   0% -> [..........]   0%  (down)',
      '',
      'unplaced:',
      '  db.1  0/2 nodes fit: 1 node down, 1 insufficient cpu (needs 4 CPU, most free 0.8 CPU)',
      '',
      '1 placed on 1 node, 1 unplaced',
      '',
    ].join('\n'),
  );
});

t.test('fill bars', async (t) => {
  t.equal(fillBar(0, 100), '[..........]   0%');
  t.equal(fillBar(100, 100), '[##########] 100%');
  // 1/3 = 33%: 3 of 10 cells
  t.equal(fillBar(1, 3), '[###.......]  33%');
  t.equal(fillBar(150, 100), '[##########] 150%', 'over-committed nodes show it');
  t.equal(fillBar(1, 0), '[          ]  n/a');
});
