// Issue 13: unhealthy nodes (coordinator/node-health.ts). The rules table-driven with time passed
// in, then the coordinator in the harness (manual clock): a node whose engine stays down while its
// agent reports turns unhealthy after the bound, takes no new work, its replicas move start-first
// to a healthy node, and it returns only after the hold time; the verdict survives a restart.
import t from 'tap';
import { DEFAULT_NODE_HEALTH as T, failedServicesByNode, nextHealth, unhealthyReason } from '../../coordinator/node-health.js';
import type { HostUsage } from '../../shared/observations.js';
import { Harness } from '../fixtures/harness.js';

const GiB = 1024 ** 3;
const usage = (o: Partial<HostUsage> = {}): HostUsage => ({
  cpuPercent: 10, load1: 0, load5: 0, load15: 0, memoryUsedBytes: 2 * GiB, memoryTotalBytes: 8 * GiB, diskUsedBytes: 10 * GiB, diskTotalBytes: 100 * GiB, netRxBytesPerSec: 0, netTxBytesPerSec: 0, ...o,
});

t.test('unhealthyReason: each cause with its numbers, below the bounds nothing', async (t) => {
  const now = 100_000;
  const rows: [string, Parameters<typeof unhealthyReason>[0], string | undefined][] = [
    ['all fine', { usage: usage(), failedServices: [] }, undefined],
    ['engine down 29 s of 30', { engineDownSinceMs: now - 29_000, failedServices: [] }, undefined],
    ['engine down 30 s', { engineDownSinceMs: now - 30_000, failedServices: [] }, 'engine unreachable for 30 s (bound 30 s)'],
    // 96 of 100 GiB = 96% > 95
    ['disk 96%', { usage: usage({ diskUsedBytes: 96 * GiB }), failedServices: [] }, 'disk 96.0% used (threshold 95%)'],
    ['disk exactly 95%', { usage: usage({ diskUsedBytes: 95 * GiB }), failedServices: [] }, undefined],
    // 7.9 of 8 GiB = 98.75% > 98
    ['memory 98.8%', { usage: usage({ memoryUsedBytes: 7.9 * GiB }), failedServices: [] }, 'memory 98.8% in use (threshold 98%)'],
    ['no disk size known', { usage: usage({ diskUsedBytes: 5, diskTotalBytes: 0 }), failedServices: [] }, undefined],
    ['two services failing', { failedServices: ['s/a', 's/b'] }, undefined],
    ['three different services failing', { failedServices: ['s/c', 's/a', 's/b'] }, 'replicas of 3 different services failed there within 10 min (s/a, s/b, s/c; threshold 3)'],
  ];
  for (const [name, facts, want] of rows) t.equal(unhealthyReason(facts, T, now), want, name);
});

t.test('nextHealth: unhealthy at once, healthy only after the hold', async (t) => {
  const a = nextHealth(undefined, 'disk 96.0% used (threshold 95%)', T, 1000);
  t.same(a, { next: { reason: 'disk 96.0% used (threshold 95%)', sinceMs: 1000 }, event: { type: 'node.unhealthy', reason: 'disk 96.0% used (threshold 95%)' }, changed: true });
  const same = nextHealth(a.next, 'disk 96.0% used (threshold 95%)', T, 2000);
  t.same(same, { next: a.next, changed: false }, 'no write, no event while nothing changes');
  const ok1 = nextHealth(a.next, undefined, T, 5000);
  t.same(ok1.next, { reason: 'disk 96.0% used (threshold 95%)', sinceMs: 1000, healthySinceMs: 5000 }, 'the hold starts');
  t.equal(ok1.event, undefined);
  const relapse = nextHealth(ok1.next, 'disk 97.0% used (threshold 95%)', T, 30_000);
  t.same(relapse.next, { reason: 'disk 97.0% used (threshold 95%)', sinceMs: 1000 }, 'unhealthy again before the hold ended: the hold starts over');
  const ok2 = nextHealth(ok1.next, undefined, T, 5000 + 59_999);
  t.same(ok2, { next: ok1.next, changed: false }, '1 ms short of the hold');
  const back = nextHealth(ok1.next, undefined, T, 5000 + 60_000);
  t.same(back, { next: undefined, event: { type: 'node.healthy', reason: 'healthy for 60 s after: disk 96.0% used (threshold 95%)' }, changed: true });
  t.same(nextHealth(undefined, undefined, T, 0), { next: undefined, changed: false });
});

t.test('failedServicesByNode: distinct services with a failure in the window', async (t) => {
  const f = (nodeId: string, service: string, atMs: number, state = 'failed') => ({ nodeId, stack: 's', service, observed: { state, atMs } as never });
  const m = failedServicesByNode([f('n1', 'a', 100), f('n1', 'a', 200), f('n1', 'b', 150), f('n1', 'c', 10), f('n2', 'a', 500, 'running'), { nodeId: 'n3', stack: 's', service: 'x' }], 50);
  t.same([...m], [['n1', ['s/a', 's/b']]], 'c failed before the window; n2 runs; n3 has no observation');
});

const stack = `name: shop
services:
  web:
    image: web:1
    deploy:
      replicas: 2
      update_config: { parallelism: 1 }
      resources: { reservations: { cpus: "0.5", memory: 64M } }
`;

const onNode = (h: Harness) => h.placed().map((p) => p.split('@')[1]!);

t.test('engine down while the agent reports: unhealthy after the bound, replicas move start-first, back after the hold', async (t) => {
  const h = new Harness();
  h.join('n1', { cpus: 1 });
  h.join('n2', { cpus: 8 });
  h.reportAll();
  await h.stacks.deploy({ text: stack, file: 'c.yaml', stackName: undefined, env: {} });
  await h.settle(3);
  t.same(onNode(h), ['n1', 'n1'], 'both on n1 (best fit)');
  h.setEngine('n1', false);
  await h.settle(20);
  t.equal(h.store.state.nodes['n1']!.unhealthy, undefined, '20 s: not yet');
  t.same(onNode(h), ['n1', 'n1']);
  await h.settle(11);
  const u = h.store.state.nodes['n1']!.unhealthy;
  t.match(u, { reason: /^engine unreachable for 3\d s \(bound 30 s\)$/ });
  t.match(h.events.list(0).find((e) => e.type === 'node.unhealthy'), { nodeName: 'n1', to: 'unhealthy', reason: /engine unreachable/ });
  await h.settle(4);
  t.same(onNode(h).sort(), ['n2', 'n2'], 'replaced on n2');
  t.same(h.sent('n2').filter((m) => m.startsWith('start')).length, 2, 'two starts on n2');
  // A new service avoids the unhealthy node.
  await h.stacks.deploy({ text: stack.replace('replicas: 2', 'replicas: 3'), file: 'c.yaml', stackName: undefined, env: {} });
  await h.settle(2);
  t.notOk(onNode(h).includes('n1'), 'no new work on an unhealthy node');
  // A restart keeps the verdict (no placement on it right after).
  const h2 = h.restart();
  h2.setEngine('n1', false);
  await h2.settle(2);
  t.ok(h2.store.state.nodes['n1']!.unhealthy, 'still unhealthy after a coordinator restart');
  h2.setEngine('n1', true);
  await h2.settle(30);
  t.ok(h2.store.state.nodes['n1']!.unhealthy?.healthySinceMs, 'healthy again, holding');
  await h2.settle(31);
  t.equal(h2.store.state.nodes['n1']!.unhealthy, undefined, 'back after the 60 s hold');
  t.match(h2.events.list(0).find((e) => e.type === 'node.healthy'), { nodeName: 'n1', reason: /^healthy for 6\d s after: engine unreachable/ });
  t.notOk(onNode(h2).includes('n1'), 'nothing moves back by itself');
});

t.test('a full disk makes a node unhealthy; with nowhere else to go its replicas stay', async (t) => {
  const h = new Harness();
  h.join('n1', { cpus: 2 });
  h.reportAll();
  await h.stacks.deploy({ text: stack, file: 'c.yaml', stackName: undefined, env: {} });
  await h.settle(3);
  h.setUsage('n1', usage({ diskUsedBytes: 99 * GiB }));
  await h.settle(3);
  t.match(h.store.state.nodes['n1']!.unhealthy, { reason: 'disk 99.0% used (threshold 95%)' });
  t.same(onNode(h), ['n1', 'n1'], 'still running there: no other node');
});
