// Each feasibility filter on its own: a table of (node, request) -> pass or the rejection label.
import t from 'tap';
import {
  PlanState,
  constraintFilter,
  cpuFilter,
  hostPortFilter,
  maxPerNodeFilter,
  memoryFilter,
  statusFilter,
  type Filter,
  type ReplicaRequest,
  type SchedNode,
} from '../../coordinator/scheduler/index.js';
import { GiB, MiB, constraint, node, req, tcp } from '../fixtures/scheduler/builders.js';

interface Case {
  name: string;
  node: SchedNode;
  req: ReplicaRequest;
  /** undefined = passes; otherwise the label the node is counted under. */
  want: string | undefined;
}

/** Runs a filter table: [found, wanted, message] per case. */
function runTable(filter: Filter, cases: readonly Case[]): [string | undefined, string | undefined, string][] {
  return cases.map((c) => [filter.check(new PlanState([c.node]), 0, c.req)?.label, c.want, `${filter.name}: ${c.name}`]);
}

t.test('status: only ready nodes receive work', async (t) => {
  for (const [found, want, msg] of runTable(statusFilter, [
    { name: 'ready', node: node('a'), req: req('web'), want: undefined },
    { name: 'suspect', node: node('a', { status: 'suspect' }), req: req('web'), want: 'node suspect' },
    { name: 'down', node: node('a', { status: 'down' }), req: req('web'), want: 'node down' },
    { name: 'left', node: node('a', { status: 'left' }), req: req('web'), want: 'node left' },
  ]))
    t.equal(found, want, msg);
});

t.test('cpu: request must fit what is not reserved', async (t) => {
  for (const [found, want, msg] of runTable(cpuFilter, [
    // free = 4000 - 3000 = 1000 >= 1000
    { name: 'exactly fits', node: node('a', { reservedCpuMillis: 3000 }), req: req('web'), want: undefined },
    // free = 4000 - 3001 = 999 < 1000
    { name: 'one milli short', node: node('a', { reservedCpuMillis: 3001 }), req: req('web'), want: 'insufficient cpu' },
    { name: 'zero request on a full node', node: node('a', { reservedCpuMillis: 4000 }), req: req('web', 1, { cpuMillis: 0 }), want: undefined },
  ]))
    t.equal(found, want, msg);
});

t.test('memory: request must fit what is not reserved', async (t) => {
  for (const [found, want, msg] of runTable(memoryFilter, [
    // free = 8 GiB - 7 GiB = 1 GiB >= 1 GiB
    { name: 'exactly fits', node: node('a', { reservedMemoryBytes: 7 * GiB }), req: req('web'), want: undefined },
    // free = 8 GiB - 7.5 GiB = 512 MiB < 1 GiB
    { name: 'half short', node: node('a', { reservedMemoryBytes: 7.5 * GiB }), req: req('web'), want: 'insufficient memory' },
    { name: 'node without memory', node: node('a', { memoryBytes: 0 }), req: req('web', 1, { memoryBytes: 1 * MiB }), want: 'insufficient memory' },
  ]))
    t.equal(found, want, msg);
});

t.test('host port: same port and protocol conflict, nothing else does', async (t) => {
  for (const [found, want, msg] of runTable(hostPortFilter, [
    { name: 'free port', node: node('a', { usedPorts: [tcp(80)] }), req: req('web', 1, { hostPorts: [tcp(8080)] }), want: undefined },
    { name: 'same port tcp', node: node('a', { usedPorts: [tcp(8080)] }), req: req('web', 1, { hostPorts: [tcp(8080)] }), want: 'host port 8080 in use' },
    {
      name: 'same port, other protocol',
      node: node('a', { usedPorts: [{ port: 53, protocol: 'udp' }] }),
      req: req('dns', 1, { hostPorts: [tcp(53)] }),
      want: undefined,
    },
    {
      name: 'udp conflict names the protocol',
      node: node('a', { usedPorts: [{ port: 53, protocol: 'udp' }] }),
      req: req('dns', 1, { hostPorts: [tcp(53), { port: 53, protocol: 'udp' }] }),
      want: 'host port 53/udp in use',
    },
    { name: 'no published ports', node: node('a', { usedPorts: [tcp(8080)] }), req: req('web'), want: undefined },
  ]))
    t.equal(found, want, msg);
});

t.test('host port: replicas placed earlier in the same plan count', async (t) => {
  const s = new PlanState([node('a')]);
  const r = req('web', 1, { hostPorts: [tcp(8080)] });
  t.equal(hostPortFilter.check(s, 0, r), undefined);
  s.place(0, r);
  t.equal(hostPortFilter.check(s, 0, req('web', 2, { hostPorts: [tcp(8080)] }))?.label, 'host port 8080 in use');
  s.unplace(0, r);
  t.equal(hostPortFilter.check(s, 0, req('web', 2, { hostPorts: [tcp(8080)] })), undefined, 'released again');
});

t.test('max_replicas_per_node: existing replicas plus this plan', async (t) => {
  const existing = node('a', { replicasByService: { 'app/web': 1 } });
  for (const [found, want, msg] of runTable(maxPerNodeFilter, [
    { name: 'unlimited (0)', node: existing, req: req('web', 2, { maxReplicasPerNode: 0 }), want: undefined },
    // 1 already there, max 2: 1 < 2
    { name: 'below the limit', node: existing, req: req('web', 2, { maxReplicasPerNode: 2 }), want: undefined },
    // 1 already there, max 1: 1 >= 1
    { name: 'at the limit', node: existing, req: req('web', 2, { maxReplicasPerNode: 1 }), want: 'max_replicas_per_node 1 reached' },
    { name: 'other service does not count', node: existing, req: req('api', 1, { maxReplicasPerNode: 1 }), want: undefined },
  ]))
    t.equal(found, want, msg);
  const s = new PlanState([node('b')]);
  s.place(0, req('web', 1, { maxReplicasPerNode: 2 }));
  s.place(0, req('web', 2, { maxReplicasPerNode: 2 }));
  t.equal(maxPerNodeFilter.check(s, 0, req('web', 3, { maxReplicasPerNode: 2 }))?.label, 'max_replicas_per_node 2 reached', 'batch placements count');
});

t.test('constraints: Swarm semantics', async (t) => {
  const edge = node('edge-1', { id: 'n-17', labels: { zone: 'edge', gpu: 'yes' }, os: 'linux', arch: 'arm64' });
  const bare = node('core-1');
  const cases: Case[] = [
    { name: 'hostname ==', node: edge, req: req('web', 1, { constraints: [constraint('node.hostname==edge-1')] }), want: undefined },
    { name: 'hostname == other', node: bare, req: req('web', 1, { constraints: [constraint('node.hostname==edge-1')] }), want: 'constraint node.hostname==edge-1' },
    { name: 'id ==', node: edge, req: req('web', 1, { constraints: [constraint('node.id==n-17')] }), want: undefined },
    { name: 'label ==', node: edge, req: req('web', 1, { constraints: [constraint('node.labels.zone==edge')] }), want: undefined },
    { name: 'label == differs', node: edge, req: req('web', 1, { constraints: [constraint('node.labels.zone==core')] }), want: 'constraint node.labels.zone==core' },
    { name: 'label !=', node: edge, req: req('web', 1, { constraints: [constraint('node.labels.zone!=edge')] }), want: 'constraint node.labels.zone!=edge' },
    // A missing label fails == and passes != (as Swarm does).
    { name: 'missing label ==', node: bare, req: req('web', 1, { constraints: [constraint('node.labels.zone==edge')] }), want: 'constraint node.labels.zone==edge' },
    { name: 'missing label !=', node: bare, req: req('web', 1, { constraints: [constraint('node.labels.zone!=edge')] }), want: undefined },
    { name: 'platform os', node: edge, req: req('web', 1, { constraints: [constraint('node.platform.os==linux')] }), want: undefined },
    { name: 'platform arch', node: edge, req: req('web', 1, { constraints: [constraint('node.platform.arch!=arm64')] }), want: 'constraint node.platform.arch!=arm64' },
    { name: 'missing platform !=', node: bare, req: req('web', 1, { constraints: [constraint('node.platform.arch!=arm64')] }), want: undefined },
    { name: 'values compare case-insensitively', node: edge, req: req('web', 1, { constraints: [constraint('node.labels.zone==EDGE')] }), want: undefined },
    {
      name: 'first failing constraint is named',
      node: edge,
      req: req('web', 1, { constraints: [constraint('node.labels.gpu==yes'), constraint('node.labels.zone==core'), constraint('node.id==x')] }),
      want: 'constraint node.labels.zone==core',
    },
  ];
  for (const [found, want, msg] of runTable(constraintFilter, cases)) t.equal(found, want, msg);
});
