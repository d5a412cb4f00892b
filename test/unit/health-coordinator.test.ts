// Health on the coordinator, in the harness (real store, pool, dispatcher, queries): events from the
// agent are kept with the allocation and become `replica.health` events, reports feed ObservedNow
// and `baton services`' healthy count, and the agent's values are checked at the wire.
import t from 'tap';
import { observedReplicas } from '../../coordinator/observed.js';
import { parseAgentEvent } from '../../coordinator/wire.js';
import { replicaStateText } from '../../shared/cli/commands/services.js';
import { Harness } from '../fixtures/harness.js';

const stack = `name: shop
services:
  web:
    image: web:1
    deploy:
      replicas: 2
      placement:
        max_replicas_per_node: 1
    x-baton:
      healthcheck:
        tcp: { port: 8080 }
        interval: 1s
  plain:
    image: plain:1
`;

async function deployed(): Promise<{ h: Harness; web: { id: string; nodeId: string }[] }> {
  const h = new Harness();
  for (const n of ['n1', 'n2']) h.join(n);
  h.reportAll();
  await h.stacks.deploy({ text: stack, file: 'compose.yaml', stackName: undefined, env: {} });
  h.reportAll();
  const web = Object.values(h.store.state.allocations)
    .filter((a) => a.service === 'web')
    .sort((a, b) => a.replica - b.replica)
    .map((a) => ({ id: a.id, nodeId: a.nodeId }));
  return { h, web };
}

const replicaEvent = (allocationId: string, health: 'none' | 'starting' | 'healthy' | 'unhealthy', healthOutput = '', state: 'running' | 'exited' = 'running') =>
  ({ kind: 'replica', allocationId, state, containerId: 'c1', exitCode: 0, error: '', restarts: 0, health, healthOutput }) as const;

t.test('services count healthy replicas, only for services with a check', async (t) => {
  const { h, web } = await deployed();
  const row = (name: string) => h.queries.services().find((s) => s.name === name)!;
  t.match(row('web'), { running: 2, healthy: 0, healthChecked: true }, 'x-baton.healthcheck: checked before any verdict');
  t.match(row('plain'), { running: 1, healthy: 0, healthChecked: false }, 'no check');

  h.reportHealth(web[0]!.nodeId, web[0]!.id, 'healthy', 'connected to 172.17.0.2:8080');
  h.reportHealth(web[1]!.nodeId, web[1]!.id, 'starting');
  h.reportAll();
  t.match(row('web'), { running: 2, healthy: 1 });
  const live = observedReplicas(h.pool.list(), h.store.state.allocations);
  t.match(live.get(web[0]!.id), { state: 'running', health: 'healthy', healthOutput: 'connected to 172.17.0.2:8080' }, 'ObservedNow.health');
  t.match(live.get(web[1]!.id), { health: 'starting' });

  const plainId = Object.values(h.store.state.allocations).find((a) => a.service === 'plain')!;
  h.reportHealth(plainId.nodeId, plainId.id, 'healthy');
  h.reportAll();
  t.match(row('plain'), { healthy: 1, healthChecked: true }, "a replica reporting health (the image's own HEALTHCHECK) makes it checked");

  const replicas = h.queries.replicas('web');
  t.same(replicas.map((r) => [r.replica, r.state, r.health]), [[1, 'running', 'healthy'], [2, 'running', 'starting']], 'replicas count from 1');
});

t.test('health changes are kept with the allocation and logged as replica.health', async (t) => {
  const { h, web } = await deployed();
  const { id, nodeId } = web[0]!;
  const healthEvents = () => h.events.list().filter((e) => e.type === 'replica.health').map((e) => `${e.from}->${e.to}: ${e.reason}`);

  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'starting'));
  t.same(healthEvents(), [], 'starting is on the way, not news');
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'healthy', 'GET /: 200 OK'));
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'healthy', 'GET /: 200 OK'));
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'unhealthy', 'connect: ECONNREFUSED'));
  t.match(h.store.state.allocations[id]!.observed, { state: 'running', health: 'unhealthy', healthOutput: 'connect: ECONNREFUSED' }, 'stored with the observed record');
  // The agent restarts it: exited (still unhealthy), starting (none), running/starting, healthy.
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'unhealthy', 'connect: ECONNREFUSED', 'exited'));
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'none'));
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'starting'));
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'healthy', 'GET /: 200 OK'));
  t.same(healthEvents(), ['starting->healthy: GET /: 200 OK', 'healthy->unhealthy: connect: ECONNREFUSED', 'starting->healthy: GET /: 200 OK'], 'each change to healthy or unhealthy, once');
  const last = h.events.list().filter((e) => e.type === 'replica.health').at(-1)!;
  t.match(last, { nodeId, message: 'shop/web.1' });
  h.dispatcher.onAgentEvent(nodeId, replicaEvent(id, 'none'));
  t.notOk('health' in h.store.state.allocations[id]!.observed!, 'none is left out of the record');
});

t.test('the wire: health is one of the four values; empty (an older agent) is none; output capped', async (t) => {
  const event = (health: string, health_output = '') => ({
    body: 'container_event' as const,
    container_event: { allocation_id: 'a1', state: 'running' as const, container_id: 'c', exit_code: 0, error: '', at_ms: 0, restarts: 0, health, health_output },
  });
  t.match(parseAgentEvent(event('healthy', 'ok')), { ok: true, value: { health: 'healthy', healthOutput: 'ok' } });
  t.match(parseAgentEvent(event('')), { ok: true, value: { health: 'none' } });
  t.same(parseAgentEvent(event('sick')), { ok: false, error: 'container_event.health: "sick" is not one of none, starting, healthy, unhealthy' });
  const long = parseAgentEvent(event('unhealthy', 'x'.repeat(5000)));
  t.equal(long.ok && long.value.kind === 'replica' ? long.value.healthOutput.length : -1, 1024, 'cut to 1024 characters');
});

t.test('baton ps state text', async (t) => {
  t.equal(replicaStateText({ state: 'running', desired: 'run', health: 'healthy' }), 'running (healthy)');
  t.equal(replicaStateText({ state: 'running', desired: 'run', health: 'unhealthy' }), 'running (unhealthy)');
  t.equal(replicaStateText({ state: 'running', desired: 'run', health: 'starting' }), 'running (health: starting)');
  t.equal(replicaStateText({ state: 'running', desired: 'run', health: 'none' }), 'running');
  t.equal(replicaStateText({ state: 'running', desired: 'stop', health: 'healthy' }), 'running (stopping)');
});
