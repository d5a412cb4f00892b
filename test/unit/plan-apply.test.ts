// The plan applier re-checks every placement against the state it is committed to: a table of
// accepted and rejected placements (each rejection reason once), with the arithmetic in comments.
import t from 'tap';
import { applyPlan, type ApplyPlanInput } from '../../coordinator/plan-apply.js';
import type { Placement, ReplicaRequest } from '../../coordinator/scheduler/types.js';
import type { AllocationRecord, NodeRecord, NodeStatus } from '../../coordinator/store/schema.js';
import { alloc, stack, svc } from '../fixtures/reconcile/builders.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function node(id: string, status: NodeStatus = 'ready', cpus = 2, memGiB = 4): NodeRecord {
  return { id, name: id, address: '', labels: {}, capacity: { cpuMillis: cpus * 1000, memoryBytes: memGiB * GiB, diskBytes: 0 }, status, statusSinceMs: 0, joinedAtMs: 0, lastSeenMs: 0, agentVersion: '', dockerVersion: '' };
}

function req(replica: number, o: Partial<ReplicaRequest> = {}): ReplicaRequest {
  return { service: 'shop/web', replica, cpuMillis: 500, memoryBytes: 512 * MiB, hostPorts: [], constraints: [], maxReplicasPerNode: 0, strategy: 'binpack', ...o };
}

const place = (replica: number, nodeId: string, service = 'shop/web'): Placement => ({ service, replica, nodeId, nodeName: nodeId });

/** An existing allocation of `cpuMillis`/`memoryBytes` on `nodeId`. */
function existing(id: string, nodeId: string, o: Partial<AllocationRecord> = {}): AllocationRecord {
  return { ...alloc(id, { service: 'db', replica: 1, node: nodeId }), ...o };
}

function run(o: { nodes?: NodeRecord[]; allocations?: AllocationRecord[]; placements: Placement[]; requests: ReplicaRequest[]; services?: string[] }) {
  const services = Object.fromEntries((o.services ?? ['web', 'db']).map((s) => [s, svc({ generation: 3 })]));
  const input: ApplyPlanInput = {
    state: {
      nodes: Object.fromEntries((o.nodes ?? [node('n1')]).map((n) => [n.id, n])),
      allocations: Object.fromEntries((o.allocations ?? []).map((a) => [a.id, a])),
      stacks: { shop: stack('shop', services) },
    },
    placements: o.placements,
    requests: o.requests,
    nowMs: 42,
    newId: (s) => `${s.stack}.${s.service}.${s.replica}`,
  };
  const r = applyPlan(input);
  return { accepted: r.records.map((x) => `${x.service}.${x.replica}@${x.nodeId}`), rejected: r.rejected.map((x) => `${x.replica}@${x.nodeId}: ${x.reason}`), records: r.records };
}

const cases: { name: string; input: Parameters<typeof run>[0]; accepted: string[]; rejected: string[] }[] = [
  { name: 'fits: accepted', input: { placements: [place(1, 'n1')], requests: [req(1)] }, accepted: ['web.1@n1'], rejected: [] },
  { name: 'node gone', input: { placements: [place(1, 'n9')], requests: [req(1)] }, accepted: [], rejected: ['1@n9: node n9 does not exist'] },
  ...(['suspect', 'down', 'left'] as const).map((status) => ({
    name: `node ${status}`,
    input: { nodes: [node('n1', status)], placements: [place(1, 'n1')], requests: [req(1)] },
    accepted: [],
    rejected: [`1@n1: node n1 is ${status}, not ready for placements`],
  })),
  {
    // 2000 millicores - 1800 reserved = 200 free < 500 asked.
    name: 'no CPU left',
    input: { allocations: [existing('a', 'n1', { cpuMillis: 1800 })], placements: [place(1, 'n1')], requests: [req(1)] },
    accepted: [],
    rejected: ['1@n1: node n1 has no room: needs 500 millicores, 200 free'],
  },
  {
    // 4 GiB - 3.75 GiB reserved = 256 MiB free < 512 MiB asked.
    name: 'no memory left',
    input: { allocations: [existing('a', 'n1', { memoryBytes: 3 * GiB + 768 * MiB })], placements: [place(1, 'n1')], requests: [req(1)] },
    accepted: [],
    rejected: [`1@n1: node n1 has no room: needs ${512 * MiB} bytes of memory, ${256 * MiB} free`],
  },
  {
    name: 'host port taken by what runs there',
    input: { allocations: [existing('a', 'n1', { hostPorts: [{ port: 8080, protocol: 'tcp' }] })], placements: [place(1, 'n1')], requests: [req(1, { hostPorts: [{ port: 8080, protocol: 'tcp' }] })] },
    accepted: [],
    rejected: ['1@n1: node n1 has host port 8080/tcp in use'],
  },
  {
    name: 'same port, other protocol: no conflict',
    input: { allocations: [existing('a', 'n1', { hostPorts: [{ port: 8080, protocol: 'udp' }] })], placements: [place(1, 'n1')], requests: [req(1, { hostPorts: [{ port: 8080, protocol: 'tcp' }] })] },
    accepted: ['web.1@n1'],
    rejected: [],
  },
  {
    name: 'host port taken by an earlier placement of the same plan',
    input: { placements: [place(1, 'n1'), place(2, 'n1')], requests: [req(1, { hostPorts: [{ port: 80, protocol: 'tcp' }] }), req(2, { hostPorts: [{ port: 80, protocol: 'tcp' }] })] },
    accepted: ['web.1@n1'],
    rejected: ['2@n1: node n1 has host port 80/tcp in use'],
  },
  {
    // 1200 reserved + 500 (web.1) = 1700; + 500 (web.2) = 2200 > 2000.
    name: 'room is counted across the plan',
    input: { allocations: [existing('a', 'n1', { cpuMillis: 1200 })], placements: [place(1, 'n1'), place(2, 'n1')], requests: [req(1), req(2)] },
    accepted: ['web.1@n1'],
    rejected: ['2@n1: node n1 has no room: needs 500 millicores, 300 free'],
  },
  {
    name: 'stopped allocations reserve nothing',
    input: { allocations: [existing('a', 'n1', { cpuMillis: 1800, desired: 'stop', hostPorts: [{ port: 80, protocol: 'tcp' }] })], placements: [place(1, 'n1')], requests: [req(1, { hostPorts: [{ port: 80, protocol: 'tcp' }] })] },
    accepted: ['web.1@n1'],
    rejected: [],
  },
  {
    name: 'service removed before commit',
    input: { services: ['db'], placements: [place(1, 'n1')], requests: [req(1)] },
    accepted: [],
    rejected: ['1@n1: service shop/web was removed before the plan was committed'],
  },
  {
    name: 'placement without a request',
    input: { placements: [place(7, 'n1')], requests: [req(1)] },
    accepted: [],
    rejected: ['7@n1: no request for shop/web#7 in this plan'],
  },
  {
    name: 'one rejection does not hold up the rest',
    input: { nodes: [node('n1'), node('n2', 'down')], placements: [place(1, 'n2'), place(2, 'n1')], requests: [req(1), req(2)] },
    accepted: ['web.2@n1'],
    rejected: ['1@n2: node n2 is down, not ready for placements'],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const r = run(c.input);
    t.same(r.accepted, c.accepted, 'accepted');
    t.same(r.rejected, c.rejected, 'rejected');
  });
}

t.test('records carry the injected id, the current generation, the request and the time', async (t) => {
  const r = run({ placements: [place(1, 'n1')], requests: [req(1, { hostPorts: [{ port: 80, protocol: 'tcp' }] })] });
  t.same(r.records, [
    { id: 'shop.web.1', stack: 'shop', service: 'web', replica: 1, nodeId: 'n1', generation: 3, cpuMillis: 500, memoryBytes: 512 * MiB, hostPorts: [{ port: 80, protocol: 'tcp' }], desired: 'run', createdAtMs: 42 },
  ]);
});

t.test('the state is not mutated', async (t) => {
  const allocations = [existing('a', 'n1')];
  const before = JSON.stringify(allocations);
  run({ allocations, placements: [place(1, 'n1')], requests: [req(1)] });
  t.equal(JSON.stringify(allocations), before);
});
