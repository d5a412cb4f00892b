// Sticky named volumes (`volumes: { data: { x-baton: { sticky: true } } }`): the parse rows (good
// and bad values, the bind-mount warning), then the coordinator in the harness (store over memory,
// recording sessions, manual clock): each slot goes back to its home only (node down, failure,
// rollout, redeploy, scale), stays pending with the pin explained while its home is down, and is
// placed anew only after `baton node rm` of the home. The testbed test proves it on real engines.
import t from 'tap';
import { planCompose } from '../../coordinator/plan-compose.js';
import { snapshotOf } from '../../coordinator/scheduler/index.js';
import { checkState, emptyState } from '../../coordinator/store/schema.js';
import { parseCompose } from '../../shared/compose/index.js';
import { Harness, type NodeSpec } from '../fixtures/harness.js';

const parse = (text: string) => parseCompose(text, { file: 'c.yaml', env: { STICKY: 'true' } });
const issues = (r: ReturnType<typeof parse>) => (r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`));
const warnings = (r: ReturnType<typeof parse>) => r.warnings.map((w) => `${w.path}: ${w.message}`);

const dbStack = (o: { image?: string; replicas?: number; baton?: string; extra?: string; volumes?: string } = {}) => `name: shop
services:
  db:
    image: ${o.image ?? 'postgres:16'}
    volumes:
${o.volumes ?? '      - data:/var/lib/postgresql/data\n'}    deploy:
      replicas: ${o.replicas ?? 3}
${o.extra ?? '      placement: { max_replicas_per_node: 1 }\n'}volumes:
  data:${o.baton === undefined ? ' { x-baton: { sticky: true } }' : o.baton}
`;

t.test('parse: x-baton.sticky in a volume definition marks the mount; a service with one updates stop-first', async (t) => {
  const rows: { name: string; def: string; sticky: boolean }[] = [
    { name: 'sticky: true', def: ' { x-baton: { sticky: true } }', sticky: true },
    { name: 'block style', def: '\n    driver: local\n    x-baton:\n      sticky: true', sticky: true },
    { name: 'cast from a string, as Compose casts booleans', def: ' { x-baton: { sticky: "true" } }', sticky: true },
    { name: 'interpolated', def: ' { x-baton: { sticky: "${STICKY}" } }', sticky: true },
    { name: 'sticky: false', def: ' { x-baton: { sticky: false } }', sticky: false },
    { name: 'empty x-baton', def: ' { x-baton: {} }', sticky: false },
    { name: 'no x-baton', def: ' {}', sticky: false },
  ];
  for (const row of rows) {
    const r = parse(dbStack({ baton: row.def }));
    if (!r.ok) {
      t.fail(`${row.name}: ${issues(r).join('; ')}`);
      continue;
    }
    const db = r.stack.services[0]!;
    t.equal(db.mounts?.[0]?.volume?.sticky, row.sticky ? true : undefined, `${row.name}: the mount says sticky`);
    t.equal(db.updateConfig.order, row.sticky ? 'stop-first' : 'start-first', `${row.name}: update order`);
    t.equal(db.rollbackConfig.order, row.sticky ? 'stop-first' : 'start-first', `${row.name}: rollback order`);
  }
  const written = parse(dbStack({ extra: '      update_config: { order: start-first }\n' }));
  if (!written.ok) return t.fail(issues(written).join('; '));
  t.equal(written.stack.services[0]!.updateConfig.order, 'start-first', 'an order the file writes is kept');
  t.equal(written.stack.services[0]!.rollbackConfig.order, 'stop-first', 'the other one still defaults to stop-first');
  const global = parse(dbStack({ extra: '      mode: global\n' }).replace('      replicas: 3\n', ''));
  if (!global.ok) return t.fail(issues(global).join('; '));
  t.equal(global.stack.services[0]!.updateConfig.order, 'start-first', 'a global service is pinned per node already: its defaults stay');
});

t.test('parse: bad x-baton values are refused with the path and what was expected', async (t) => {
  const rows: [string, string][] = [
    [' { x-baton: { sticky: 1 } }', 'volumes.data.x-baton.sticky: must be true or false (true keeps each replica on the node that holds its data), got 1'],
    [' { x-baton: { sticky: "always" } }', 'volumes.data.x-baton.sticky: must be true or false'],
    [' { x-baton: { sticky: [true] } }', 'volumes.data.x-baton.sticky: must be true or false'],
    [' { x-baton: true }', 'volumes.data.x-baton: must be a mapping such as {sticky: true}, got true'],
    [' { x-baton: { stiky: true } }', 'volumes.data.x-baton.stiky: unknown key "stiky" (x-baton in a volume takes sticky)'],
  ];
  for (const [def, want] of rows) {
    const r = parse(dbStack({ baton: def }));
    t.notOk(r.ok, def);
    t.match(issues(r).join('\n'), want, def);
  }
  const top = parse(`name: shop\nx-baton:\n  volumes:\n    data: { sticky: true }\nservices:\n  db:\n    image: postgres:16\n    volumes: [data:/d]\nvolumes:\n  data: {}\n`);
  t.notOk(top.ok, 'the top-level spelling is not silently ignored');
  t.match(issues(top).join('\n'), 'x-baton.volumes: a sticky volume is marked in its own definition: volumes: { data: { x-baton: { sticky: true } } }');
});

t.test('parse: every bind mount is warned about, with its path; other mounts are not', async (t) => {
  const r = parse(`name: s
services:
  proxy:
    image: traefik:3
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - data:/data
      - { type: bind, source: /srv/www, target: /www }
      - /scratch
volumes:
  data: {}
`);
  if (!r.ok) return t.fail(issues(r).join('; '));
  t.same(warnings(r), [
    "services.proxy.volumes.0: bind mount /var/run/docker.sock gives the container the host's files; the path must exist on every node that runs it",
    "services.proxy.volumes.2: bind mount /srv/www gives the container the host's files; the path must exist on every node that runs it",
  ]);
});

t.test('deploy returns the bind-mount warning (the CLI prints it labelled warning:)', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  const r = await h.stacks.deploy({ text: 'name: s\nservices:\n  proxy:\n    image: traefik:3\n    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]\n', file: 'compose.yaml', stackName: undefined, env: {} });
  t.same(r.warnings, ["compose.yaml: services.proxy.volumes.0: bind mount /var/run/docker.sock gives the container the host's files; the path must exist on every node that runs it"]);
});

t.test('state: files from before sticky volumes load (no homes); a homes map of the wrong shape is named', async (t) => {
  const s = emptyState() as unknown as Record<string, unknown>;
  s['stacks'] = { shop: { name: 'shop', services: { db: { spec: {}, specHash: 'x', generation: 1, replicas: 1 } } } };
  t.equal(checkState(structuredClone(s)), undefined);
  (s['stacks'] as { shop: { services: { db: Record<string, unknown> } } }).shop.services.db['homes'] = { 1: 7 };
  t.match(checkState(s), /^stacks\.shop\.services\.db\.homes\.1: /);
});

// ---- the coordinator ----

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });
const homes = (h: Harness) => ({ ...(h.store.state.stacks['shop']?.services['db']?.homes ?? {}) });
const row = (h: Harness) => h.queries.services().find((s) => s.name === 'db')!;

/** Four nodes for three replicas (one per node): a free node is always there to move to, which a sticky slot must not. */
async function cluster(nodes: Record<string, NodeSpec> = { n1: {}, n2: {}, n3: {}, n4: {} }, text = dbStack()): Promise<Harness> {
  const h = new Harness();
  for (const [id, spec] of Object.entries(nodes)) h.join(id, spec);
  h.reportAll();
  await deploy(h, text);
  h.reportAll();
  await h.round();
  for (const id of Object.keys(nodes)) h.sent(id);
  return h;
}

t.test('each slot\'s first node becomes its home, written with the allocation', async (t) => {
  const h = await cluster();
  const placed = h.placed();
  t.equal(placed.length, 3);
  const want = Object.fromEntries(placed.map((p) => [p.split('@')[0]!.split('.')[1]!, p.split('@')[1]!]));
  t.same(homes(h), want, 'homes match where the replicas went');
  const plain = await cluster(undefined, dbStack({ baton: ' {}' }));
  t.same(homes(plain), {}, 'a service without a sticky volume has no homes');
  const global = await cluster(undefined, dbStack({ extra: '      mode: global\n' }).replace('      replicas: 3\n', ''));
  t.equal(global.placed().length, 4, 'global: one per node');
  t.same(homes(global), {}, 'a global service is pinned per node already: no homes');
});

t.test('home down: the replica is not started elsewhere and stays pending, explained; back on its node when it returns', async (t) => {
  const h = await cluster();
  const home = homes(h)['2']!;
  const others = ['n1', 'n2', 'n3', 'n4'].filter((n) => n !== home);
  const old = Object.values(h.store.state.allocations).find((a) => a.replica === 2)!;
  h.silence(home);
  h.advance(6000);
  t.equal(h.pool.get(home)!.status, 'down');
  await h.round();
  t.equal(h.store.state.allocations[old.id]!.desired, 'stop');
  t.equal(h.store.state.allocations[old.id]!.stopReason, 'node down: a sticky replica waits for its node');
  await h.settle(30);
  t.notOk(h.placed().some((p) => p.startsWith('db.2@')), 'slot 2 is placed nowhere while its home is down');
  t.same(others.flatMap((n) => h.sent(n)).filter((m) => m.startsWith('start')), [], 'no other node is sent a start');
  const pending = row(h).pending;
  t.equal(pending.length, 1);
  t.equal(pending[0]!.replica, 2);
  t.equal(pending[0]!.reason, `pinned to ${home}, which holds its volume data (x-baton sticky volume "data"); ${home} is down: waiting for it (\`baton node rm ${home}\` places it anew, without its data)`);
  // The agent comes back on a new session; its complete set leaves the old copy out (the harness'
  // agent keeps it running, so it is taken back; a real agent removes it and the slot is started
  // there afresh). Either way slot 2 runs on its home again, and only there.
  h.join(home);
  h.reportAll();
  await h.settle(3);
  t.ok(h.placed().includes(`db.2@${home}`), 'slot 2 is back on its home');
  t.equal(h.placed().length, 3);
  t.same(row(h).pending, []);
  t.same(homes(h)['2'], home, 'the home is unchanged');
});

t.test('a suspect home keeps its replica (as everywhere in Baton); nothing moves', async (t) => {
  const h = await cluster();
  const before = h.placed();
  const home = homes(h)['1']!;
  h.silence(home);
  h.advance(3000);
  t.equal(h.pool.get(home)!.status, 'suspect');
  await h.round();
  t.same(h.placed(), before);
});

t.test('a failed replica is replaced on its home only', async (t) => {
  const h = await cluster();
  const home = homes(h)['3']!;
  const a = Object.values(h.store.state.allocations).find((x) => x.replica === 3)!;
  h.startBehaviour = () => ({ state: 'running' });
  h.store.transact((s) => {
    s.allocations[a.id]!.observed = { state: 'failed', containerId: '', exitCode: 1, error: 'crashed', restarts: 5, atMs: h.clock.now() };
  });
  (h as unknown as { agents: Map<string, { containers: Map<string, string> }> }).agents.get(home)!.containers.set(a.id, 'exited');
  await h.settle(8);
  const live = Object.values(h.store.state.allocations).filter((x) => x.replica === 3 && x.desired === 'run');
  t.equal(live.length, 1);
  t.not(live[0]!.id, a.id, 'a new allocation');
  t.equal(live[0]!.nodeId, home, 'on the same node');
});

t.test('rollout, redeploy and rollback keep the homes; the new replicas go to the same nodes', async (t) => {
  const h = await cluster();
  const before = homes(h);
  await deploy(h, dbStack({ image: 'postgres:17' }));
  await h.settle(40);
  t.equal(h.queries.rolloutStatus('db').state, 'completed');
  const now = Object.values(h.store.state.allocations).filter((a) => a.desired === 'run');
  t.equal(now.length, 3);
  for (const a of now) t.equal(a.nodeId, before[String(a.replica)], `db.${a.replica} on its home after the update`);
  t.same(homes(h), before, 'homes carried into the new record');
  await h.stacks.rollback('db');
  await h.settle(40);
  t.same(homes(h), before, 'and through a rollback');
  for (const a of Object.values(h.store.state.allocations).filter((x) => x.desired === 'run')) t.equal(a.nodeId, before[String(a.replica)]);
  await deploy(h, dbStack({ image: 'postgres:17', baton: ' {}' }));
  t.same(homes(h), {}, 'a spec that is no longer sticky drops them');
});

t.test('scale down keeps the homes of removed slots (as a StatefulSet keeps its claims); scaling up goes back to them', async (t) => {
  const h = await cluster();
  const before = homes(h);
  await h.stacks.scale('db', '1');
  await h.settle(2);
  t.same(h.placed(), [`db.1@${before['1']}`]);
  t.same(homes(h), before, 'all three homes kept');
  await h.stacks.scale('db', '3');
  await h.settle(2);
  t.same(h.placed(), ['1', '2', '3'].map((r) => `db.${r}@${before[r]}`).sort(), 'each slot back on its own node');
});

t.test('baton node rm of the home releases the pin: placed anew on another node, which becomes its home', async (t) => {
  const h = await cluster();
  const home = homes(h)['2']!;
  h.silence(home);
  h.advance(6000);
  await h.settle(3);
  t.notOk(h.placed().some((p) => p.startsWith('db.2@')));
  const r = h.pool.remove(home, false, 'removed by test');
  t.ok(r.ok);
  t.notOk('2' in homes(h), 'the pin is released in the same write as the node');
  await h.settle(2);
  const now = h.placed().find((p) => p.startsWith('db.2@'));
  t.ok(now, 'slot 2 is placed again');
  const node = now!.split('@')[1]!;
  t.not(node, home);
  t.equal(homes(h)['2'], node, 'its new node is its home');
  t.same(row(h).pending, []);
});

t.test('baton rm of the service (and of the stack) drops its homes', async (t) => {
  const h = await cluster();
  t.equal(Object.keys(homes(h)).length, 3);
  await h.stacks.remove('shop', '');
  t.equal(h.store.state.stacks['shop'], undefined, 'the record, and its homes, are gone');
  await deploy(h, dbStack());
  await h.settle(2);
  t.equal(Object.keys(homes(h)).length, 3, 'a new deploy starts afresh');
});

t.test('baton plan explains the pin, and says when the home is down', async (t) => {
  const h = await cluster();
  const home = homes(h)['2']!;
  const plan = () => planCompose({ text: dbStack(), file: 'c.yaml', env: {}, stackName: undefined, nodes: snapshot(h), stacks: Object.values(h.store.state.stacks) });
  const up = plan();
  if (!up.ok) return t.fail(up.errors.join('; '));
  t.match(up.text, `pinned:\n`);
  t.match(up.text, `  db.2: pinned to ${home}, which holds its volume data (x-baton sticky volume "data")\n`);
  t.match(up.json.placements.find((p) => p.replica === 2), { node: home, pinned: `pinned to ${home}, which holds its volume data (x-baton sticky volume "data")` });
  h.silence(home);
  h.advance(6000);
  const down = plan();
  if (!down.ok) return t.fail(down.errors.join('; '));
  t.equal(down.exitCode, 1);
  t.match(down.text, `unplaced:\n  db.2  pinned to ${home}, which holds its volume data (x-baton sticky volume "data"); ${home} is down: waiting for it`);
  const fresh = planCompose({ text: dbStack(), file: 'c.yaml', env: {}, stackName: undefined, nodes: snapshot(h), stacks: [] });
  if (!fresh.ok) return t.fail(fresh.errors.join('; '));
  t.notMatch(fresh.text, 'pinned', 'a stack not deployed yet has no homes: nothing pinned');
});

/** The live pool without the stack's own allocations (the live plan counts them as taken, which max_replicas_per_node: 1 then refuses). */
function snapshot(h: Harness) {
  return snapshotOf(h.pool.list(), []);
}
