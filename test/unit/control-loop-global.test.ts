// Global services (deploy.mode: global) through the whole coordinator in the harness (store over
// memory, recording sessions, manual clock): one replica per eligible node, following nodes that
// join, go down, come back and are removed; constraints (labels and node.role); a node that cannot
// fit it; `baton scale` refused; a rolling update that replaces replica by replica, each on its node.
import t from 'tap';
import { Harness, type NodeSpec } from '../fixtures/harness.js';

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });

const agentStack = (o: { image?: string; constraints?: string[]; cpus?: string; extra?: string } = {}) => `name: mon
services:
  exporter:
    image: ${o.image ?? 'prom/node-exporter:v1'}
    deploy:
      mode: global
${o.constraints ? `      placement:\n        constraints: [${o.constraints.map((c) => JSON.stringify(c)).join(', ')}]\n` : ''}${o.cpus ? `      resources:\n        reservations: { cpus: "${o.cpus}" }\n` : ''}${o.extra ?? ''}`;

/** Allocations that should run, as `slot@node`, sorted. */
const placed = (h: Harness) => h.placed().map((p) => p.replace(/^exporter\./, ''));
const nodesOf = (h: Harness) => placed(h).map((p) => p.split('@')[1]).sort();
const row = (h: Harness) => h.queries.services().find((s) => s.name === 'exporter')!;

async function cluster(nodes: Record<string, NodeSpec>, text = agentStack()): Promise<Harness> {
  const h = new Harness();
  for (const [id, spec] of Object.entries(nodes)) h.join(id, spec);
  h.reportAll();
  await deploy(h, text);
  h.reportAll();
  await h.round();
  for (const id of Object.keys(nodes)) h.sent(id);
  return h;
}

t.test('one replica on every node, each start sent to its own node, numbered by node', async (t) => {
  const h = new Harness();
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  for (const n of ['n1', 'n2', 'n3']) h.sent(n);
  const r = await deploy(h, agentStack());
  t.same(r.unplaced, []);
  t.same(placed(h), ['1@n1', '2@n2', '3@n3'], 'slot N on the Nth node, exactly one each');
  for (const [n, slot] of [['n1', 1], ['n2', 2], ['n3', 3]] as const) t.same(h.sent(n), [`start exporter.${slot}`], `${n} is sent its own replica only`);
  h.reportAll();
  await h.round();
  t.same(['n1', 'n2', 'n3'].flatMap((n) => h.sent(n)), [], 'nothing more once they run');
  t.match(row(h), { desired: 3, running: 3, mode: 'global' }, 'baton services: 3/3, global');
});

t.test('a node that joins later gets one; the others are left alone', async (t) => {
  const h = await cluster({ n1: {}, n2: {} });
  t.same(placed(h), ['1@n1', '2@n2']);
  h.join('n3');
  h.reportAll();
  await h.round();
  t.same(placed(h), ['1@n1', '2@n2', '3@n3']);
  t.same(h.sent('n3'), ['reconcile []', 'start exporter.3'], 'the new node: its complete (empty) set, then its replica');
  t.same([...h.sent('n1'), ...h.sent('n2')], [], 'nothing sent to the nodes that already run theirs');
  t.equal(row(h).desired, 3, 'desired follows the nodes');
});

t.test('constraints: only matching nodes, others neither run it nor show it pending', async (t) => {
  const cases: { name: string; constraints: string[]; nodes: Record<string, NodeSpec>; want: string[] }[] = [
    { name: 'label', constraints: ['node.labels.zone == edge'], nodes: { n1: { labels: { zone: 'edge' } }, n2: { labels: { zone: 'core' } }, n3: { labels: { zone: 'edge' } } }, want: ['n1', 'n3'] },
    { name: 'label != (a node without the label passes)', constraints: ['node.labels.zone != core'], nodes: { n1: { labels: { zone: 'edge' } }, n2: { labels: { zone: 'core' } }, n3: {} }, want: ['n1', 'n3'] },
    { name: 'node.role == manager', constraints: ['node.role == manager'], nodes: { n1: { role: 'manager' }, n2: {}, n3: {} }, want: ['n1'] },
    { name: 'node.role == worker', constraints: ['node.role == worker'], nodes: { n1: { role: 'manager' }, n2: {}, n3: { role: 'worker' } }, want: ['n2', 'n3'] },
    { name: 'node.hostname != n2', constraints: ['node.hostname != n2'], nodes: { n1: {}, n2: {}, n3: {} }, want: ['n1', 'n3'] },
    { name: 'nothing matches', constraints: ['node.labels.gpu == true'], nodes: { n1: {}, n2: {} }, want: [] },
  ];
  for (const c of cases) {
    const h = await cluster(c.nodes, agentStack({ constraints: c.constraints }));
    t.same(nodesOf(h), c.want, c.name);
    t.same(row(h).pending, [], `${c.name}: a node that does not match is not a pending replica`);
    t.equal(row(h).desired, c.want.length, `${c.name}: desired counts the matching nodes`);
  }
});

t.test('a node that matches but cannot fit it: pending with the scheduler\'s reason naming the node', async (t) => {
  const h = await cluster({ n1: { cpus: 4 }, n2: { cpus: 1 }, n3: { cpus: 4 } }, agentStack({ cpus: '2' }));
  t.same(placed(h), ['1@n1', '3@n3']);
  const r = row(h);
  t.equal(r.desired, 3);
  t.equal(r.pending.length, 1);
  t.match(r.pending[0], { replica: 2, reason: 'node n2: insufficient cpu (needs 2 CPU, 1 CPU free)' });
  const ps = h.queries.replicas('exporter').find((x) => x.replica === 2)!;
  t.match(ps, { state: 'unplaced', error: 'node n2: insufficient cpu (needs 2 CPU, 1 CPU free)' }, 'baton ps shows it with the reason');
});

t.test('a global replica goes before a replicated one when both want the last room on a node', async (t) => {
  const h = new Harness();
  h.join('n1', { cpus: 1 });
  h.reportAll();
  await deploy(h, `name: mon
services:
  batch:
    image: busybox
    deploy:
      replicas: 1
      resources: { reservations: { cpus: "0.6" } }
  exporter:
    image: prom/node-exporter:v1
    deploy:
      mode: global
      resources: { reservations: { cpus: "0.6" } }
`);
  t.same(h.placed(), ['exporter.1@n1'], 'the pinned replica is placed first; the replicated one could go elsewhere');
  t.match(h.queries.replicas('batch')[0], { state: 'unplaced' });
});

t.test('a node that goes down: its replica is stopped, not moved; when it returns it runs one again', async (t) => {
  const h = await cluster({ n1: {}, n2: {}, n3: {} });
  const onN2 = Object.values(h.store.state.allocations).find((a) => a.nodeId === 'n2')!;
  h.silence('n2');
  h.advance(6000);
  t.equal(h.pool.get('n2')!.status, 'down');
  await h.round();
  t.equal(h.store.state.allocations[onN2.id]!.desired, 'stop');
  t.match(h.store.state.allocations[onN2.id]!.stopReason, /^node down: a global replica stays with its node/);
  t.same(placed(h), ['1@n1', '3@n3'], 'nothing placed on n1 or n3 in its stead');
  t.same([...h.sent('n1'), ...h.sent('n3')], [], 'n1 and n3 are sent nothing');
  t.equal(row(h).desired, 2);
  // The agent comes back on a new session: its complete set leaves the old copy out (a real agent
  // removes it, and a replica is started again, as Swarm starts a new task); the harness' agent
  // keeps it running, so here it is taken back. Either way n2 runs slot 2 again, once.
  h.join('n2');
  t.same(h.sent('n2'), ['reconcile []']);
  h.reportAll();
  await h.round();
  t.same(placed(h), ['1@n1', '2@n2', '3@n3'], 'slot 2 is n2\'s again, and only n2 runs it');
  t.equal(row(h).desired, 3);
});

t.test('a partition that heals on the same stream: the copy still running there is taken back', async (t) => {
  const h = await cluster({ n1: {}, n2: {} });
  const onN2 = Object.values(h.store.state.allocations).find((a) => a.nodeId === 'n2')!;
  const session = (h as unknown as { agents: Map<string, { sessionId: string }> }).agents.get('n2')!;
  const sid = session.sessionId;
  h.silence('n2');
  h.advance(6000);
  await h.round();
  t.equal(h.store.state.allocations[onN2.id]!.desired, 'stop');
  session.sessionId = sid; // reports resume on the old stream
  h.reportAll();
  await h.round();
  t.equal(h.pool.get('n2')!.status, 'ready');
  t.equal(h.store.state.allocations[onN2.id]!.desired, 'run', 'revived: no restart of a running container');
  t.same(placed(h), ['1@n1', '2@n2']);
});

t.test('baton node rm: the replica is forgotten; a node joining later takes the lowest free number', async (t) => {
  const h = await cluster({ n1: {}, n2: {}, n3: {} });
  h.silence('n2');
  const removed = h.pool.remove('n2', true, 'removed by test');
  t.ok(removed.ok);
  await h.round();
  t.same(placed(h), ['1@n1', '3@n3']);
  t.equal(row(h).desired, 2);
  await h.round();
  t.notOk(Object.values(h.store.state.allocations).some((a) => a.nodeId === 'n2'), 'its allocation is forgotten (the node is gone)');
  h.join('n4');
  h.reportAll();
  await h.round();
  t.same(placed(h), ['1@n1', '2@n4', '3@n3'], 'n4 takes number 2, free again');
});

t.test('a node whose labels change so it no longer matches: its replica is stopped there', async (t) => {
  const h = await cluster({ n1: { labels: { zone: 'edge' } }, n2: { labels: { zone: 'edge' } } }, agentStack({ constraints: ['node.labels.zone==edge'] }));
  t.same(nodesOf(h), ['n1', 'n2']);
  const onN2 = Object.values(h.store.state.allocations).find((a) => a.nodeId === 'n2')!;
  // The agent restarts with other labels (same identity, new hello on a new session).
  h.silence('n2');
  h.advance(2500);
  h.join('n2', { labels: { zone: 'core' } });
  h.reportAll();
  await h.round();
  t.equal(h.store.state.allocations[onN2.id]!.desired, 'stop');
  t.equal(h.store.state.allocations[onN2.id]!.stopReason, 'its node no longer meets the constraints');
  t.same(nodesOf(h), ['n1']);
});

t.test('baton scale refuses a global service, naming why', async (t) => {
  const h = await cluster({ n1: {}, n2: {} });
  await t.rejects(h.stacks.scale('exporter', '5'), { name: 'InputError', message: 'exporter: scale can only be used with replicated mode (exporter is global: one replica on every node that meets its constraints)' });
  t.same(placed(h), ['1@n1', '2@n2'], 'nothing changed');
});

t.test('replicated -> global and back: one per node, then the replica count', async (t) => {
  const h = new Harness();
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  await deploy(h, `name: mon\nservices:\n  exporter:\n    image: prom/node-exporter:v1\n    deploy:\n      replicas: 1\n      update_config: { parallelism: 0 }\n`);
  t.equal(h.placed().length, 1);
  await deploy(h, agentStack({ extra: '      update_config: { parallelism: 0, monitor: 1s }\n' }));
  for (let i = 0; i < 10; i++) {
    h.advance(1000);
    h.reportAll();
    await h.round();
  }
  t.same(nodesOf(h), ['n1', 'n2', 'n3'], 'global: one on each node');
  t.equal(h.queries.rolloutStatus('exporter').state, 'completed');
});

t.test('a rolling update replaces replica by replica, each new one on the node of the one it replaces', async (t) => {
  const h = new Harness();
  h.startBehaviour = () => ({ state: 'running', health: 'starting' });
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  const healthy = '    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 1 }\n';
  const text = (image: string) => agentStack({ image }).replace('    deploy:\n', `${healthy}    deploy:\n`);
  await deploy(h, text('exporter:v1'));
  h.healthAll('starting', 'healthy');
  h.advance(10_000);
  await h.round();
  const before = new Map(Object.values(h.store.state.allocations).map((a) => [a.replica, a.nodeId]));
  t.same([...before].sort(), [[1, 'n1'], [2, 'n2'], [3, 'n3']]);
  await deploy(h, text('exporter:v2'));
  let rounds = 0;
  let maxInFlight = 0;
  while (h.queries.rolloutStatus('exporter').state === 'running' && rounds++ < 40) {
    const run = Object.values(h.store.state.allocations).filter((a) => a.desired === 'run');
    for (const a of run) t.equal(a.nodeId, before.get(a.replica), `round ${rounds}: ${a.id} is on the node of slot ${a.replica}`);
    const perNode = new Map<string, number>();
    for (const a of run) perNode.set(a.nodeId, (perNode.get(a.nodeId) ?? 0) + 1);
    maxInFlight = Math.max(maxInFlight, [...perNode.values()].filter((n) => n > 1).length);
    h.advance(1000);
    h.healthAll('starting', 'healthy');
    h.reportAll();
    await h.round();
  }
  const st = h.queries.rolloutStatus('exporter');
  t.equal(st.state, 'completed', st.reason);
  t.equal(st.updated, 3);
  t.equal(maxInFlight, 1, 'parallelism 1: one node at a time has its old and new copy');
  const run = Object.values(h.store.state.allocations).filter((a) => a.desired === 'run');
  t.same(run.map((a) => `${a.replica}@${a.nodeId}:${a.generation}`).sort(), ['1@n1:2', '2@n2:2', '3@n3:2'], 'each node runs exactly one, of the new generation');
});

t.test('a rollout while a node joins: the new node gets the new spec at once', async (t) => {
  const h = await cluster({ n1: {}, n2: {} }, agentStack({ extra: '      update_config: { monitor: 3s }\n' }));
  await deploy(h, agentStack({ image: 'prom/node-exporter:v2', extra: '      update_config: { monitor: 3s }\n' }));
  h.join('n3');
  h.reportAll();
  await h.round();
  const onN3 = Object.values(h.store.state.allocations).filter((a) => a.nodeId === 'n3' && a.desired === 'run');
  t.same(onN3.map((a) => a.generation), [2], 'n3 starts generation 2 directly');
  for (let i = 0; i < 30 && h.queries.rolloutStatus('exporter').state === 'running'; i++) {
    h.advance(1000);
    h.reportAll();
    await h.round();
  }
  t.equal(h.queries.rolloutStatus('exporter').state, 'completed');
  t.same(Object.values(h.store.state.allocations).filter((a) => a.desired === 'run').map((a) => `${a.nodeId}:${a.generation}`).sort(), ['n1:2', 'n2:2', 'n3:2']);
});

t.test('baton plan (offline nodes file): one replica per matching node, the misfit explained by its node', async (t) => {
  const { offlineNodes, planCompose } = await import('../../coordinator/plan-compose.js');
  const { parseNodesFile } = await import('../../shared/compose/index.js');
  const nodesFile = parseNodesFile('nodes:\n  - {name: m1, cpus: 4, memory: 8G, role: manager}\n  - {name: w1, cpus: 4, memory: 8G}\n  - {name: w2, cpus: 0.5, memory: 8G}\n', { file: 'nodes.yaml' });
  if (!nodesFile.ok) throw new Error('nodes file');
  const nodes = offlineNodes(nodesFile.nodes);
  const text = `name: mon
services:
  exporter:
    image: prom/node-exporter:v1
    deploy:
      mode: global
      resources: { reservations: { cpus: "1" } }
  ui:
    image: portainer/portainer-ce
    deploy:
      replicas: 2
      placement: { constraints: [node.role == manager] }
`;
  const r = planCompose({ text, file: 'compose.yaml', env: {}, stackName: undefined, nodes });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  t.same(r.json.placements.map((p) => `${p.service}.${p.replica}@${p.node}`).sort(), ['exporter.1@m1', 'exporter.2@w1', 'ui.1@m1', 'ui.2@m1']);
  t.same(r.json.unplaced, [{ service: 'exporter', replica: 3, reason: 'node w2: insufficient cpu (needs 1 CPU, 0.5 CPU free)' }]);
  t.equal(r.exitCode, 1, 'exit 1: one replica does not fit');
});
