// depends_on through the whole coordinator in the harness: a dependent is not placed (nothing is
// sent to any node) until its dependency meets its condition over its desired replicas; while it
// waits, ps and services say on what; once running, a dependency turning unhealthy does not stop it.
import t from 'tap';
import { Harness } from '../fixtures/harness.js';

const compose = (condition: string) => `name: app
services:
  api:
    image: api:1
    depends_on:
      db: { condition: ${condition} }
    deploy:
      replicas: 2
  db:
    image: db:1
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    deploy:
      replicas: 1
`;

const apiStarts = (h: Harness) => ['n1', 'n2'].flatMap((n) => h.sent(n)).filter((m) => m.includes('start') && m.includes('api')).length;

t.test('service_healthy: api waits for db to be healthy, on any node', async (t) => {
  const h = new Harness();
  h.startBehaviour = () => ({ state: 'running', health: 'starting' });
  h.join('n1');
  h.join('n2');
  h.reportAll();
  await h.stacks.deploy({ text: compose('service_healthy'), file: 'c.yaml', stackName: undefined, env: {} });
  h.advance(1000);
  await h.round();
  h.reportAll();
  await h.round();

  t.same(Object.values(h.store.state.allocations).map((a) => a.service), ['db'], 'only db is placed');
  t.equal(apiStarts(h), 0, 'no node was told to start api');
  const ps = h.queries.replicas('api');
  t.same(ps.map((r) => [r.replica, r.state, r.error]), [
    [1, 'waiting', 'waiting for db: 0/1 healthy'],
    [2, 'waiting', 'waiting for db: 0/1 healthy'],
  ]);
  const api = h.queries.services().find((s) => s.name === 'api')!;
  t.same(api.pending.map((p) => p.kind), ['waiting', 'waiting'], 'services: both api replicas wait');

  h.healthAll('starting', 'healthy');
  h.advance(1000);
  await h.round();
  t.same(Object.values(h.store.state.allocations).map((a) => a.service).sort(), ['api', 'api', 'db'], 'api placed once db is healthy');
  t.same(h.queries.replicas('api').filter((r) => r.state === 'waiting'), [], 'nothing waits any more');

  // Running dependents are not stopped when their dependency goes unhealthy (as in Compose).
  h.reportAll();
  await h.round();
  h.healthAll('healthy', 'unhealthy');
  h.advance(1000);
  await h.round();
  t.equal(Object.values(h.store.state.allocations).filter((a) => a.service === 'api' && a.desired === 'run').length, 2, 'api keeps running');
});

t.test('service_started: running is enough, health is not awaited', async (t) => {
  const h = new Harness();
  h.startBehaviour = () => ({ state: 'running', health: 'starting' });
  h.join('n1');
  h.reportAll();
  // The deploy's own round places db; no node has reported it running yet.
  await h.stacks.deploy({ text: compose('service_started'), file: 'c.yaml', stackName: undefined, env: {} });
  t.same(Object.values(h.store.state.allocations).map((a) => a.service), ['db'], 'first round: db only (api waits for it to run)');
  h.reportAll();
  h.advance(1000);
  await h.round();
  t.equal(Object.values(h.store.state.allocations).filter((a) => a.service === 'api').length, 2, 'api placed once db runs, though still starting its check');
});

t.test('restart: true: dependents roll (same spec, new containers) once their dependency was updated', async (t) => {
  const file = (dbImage: string) => `name: app
services:
  api:
    image: api:1
    depends_on:
      db: { condition: service_started, restart: true }
  db:
    image: ${dbImage}
  other:
    image: other:1
    depends_on: [db]
`;
  const h = new Harness();
  h.startBehaviour = () => ({ state: 'running' });
  h.join('n1');
  h.reportAll();
  await h.stacks.deploy({ text: file('db:1'), file: 'c.yaml', stackName: undefined, env: {} });
  for (let i = 0; i < 3; i++) {
    h.advance(1000);
    await h.round();
  }
  const before = new Map(Object.values(h.store.state.allocations).map((a) => [a.service, a.id]));
  t.same([...before.keys()].sort(), ['api', 'db', 'other']);

  const r = await h.stacks.deploy({ text: file('db:2'), file: 'c.yaml', stackName: undefined, env: {} });
  t.same(r.changes.map((c) => `${c.service} ${c.change}`).sort(), ['api unchanged', 'db updated', 'other unchanged'], 'the file changes db only');
  // db rolls (start-first, no health check: updated after monitor, 5 s); then api restarts the same way.
  for (let i = 0; i < 20; i++) {
    h.advance(1000);
    await h.round();
  }
  const run = Object.values(h.store.state.allocations).filter((a) => a.desired === 'run');
  const now = new Map(run.map((a) => [a.service, a.id]));
  t.not(now.get('db'), before.get('db'), 'db: a new container');
  t.not(now.get('api'), before.get('api'), 'api (restart: true): a new container');
  t.equal(now.get('other'), before.get('other'), 'other (no restart): the same container');
  t.equal(run.filter((a) => a.service === 'api').length, 1, 'one api replica, no duplicate');
  t.equal(h.store.state.stacks.app!.services.api!.spec.image, 'api:1', 'api runs the same spec');
  t.match(h.queries.history('api')[0]!.change, /restart after db was updated/);
  // A redeploy of the same file is not a change for api (the restart marker is not a spec change).
  const again = await h.stacks.deploy({ text: file('db:2'), file: 'c.yaml', stackName: undefined, env: {} });
  t.same(again.changes.map((c) => c.change), ['unchanged', 'unchanged', 'unchanged']);
});
