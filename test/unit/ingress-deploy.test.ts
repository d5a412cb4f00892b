// Issue 9 through the coordinator harness: VIPs and assigned ports written on deploy and kept,
// conflicting deploys rejected with the store untouched, stored state from before VIPs migrated at
// start, each start's /etc/hosts names, ingress ports not binding the host, and `baton services` text.
import t from 'tap';
import type { State } from '../../coordinator/store/schema.js';
import { Store } from '../../coordinator/store/store.js';
import { planCompose } from '../../coordinator/plan-compose.js';
import { Harness } from '../fixtures/harness.js';

const deploy = (h: Harness, text: string) => h.stacks.deploy({ text, file: 'compose.yaml', stackName: undefined, env: {} });
const svc = (h: Harness, stack: string, name: string) => h.store.state.stacks[stack]!.services[name]!;

const shop = (extra = '') => `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80", "443"]
  api:
    image: api:1
    expose: [9000]
${extra}`;

t.test('deploy: VIPs and assigned ports are written, and kept across updates and other deploys', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  await deploy(h, shop());
  t.equal(svc(h, 'shop', 'web').vip, '10.96.0.1');
  t.equal(svc(h, 'shop', 'api').vip, '10.96.0.2');
  t.same(svc(h, 'shop', 'web').assignedPorts, { '443/tcp': 30000 }, '"443" has no published port: the first of 30000-32767');
  t.equal(svc(h, 'shop', 'api').assignedPorts, undefined, 'expose ports are not published');

  await deploy(h, `name: blog\nservices:\n  front:\n    image: blog:1\n    ports: ["80"]\n`);
  t.equal(svc(h, 'blog', 'front').vip, '10.96.0.3');
  t.same(svc(h, 'blog', 'front').assignedPorts, { '80/tcp': 30001 }, '30000 is shop/web’s');

  // An update (new image) and a new service: the old ones keep theirs, the new one takes the next.
  const r = await deploy(h, shop('  worker:\n    image: worker:1\n').replace('nginx:1.27', 'nginx:1.28'));
  t.same(r.changes.map((c) => `${c.service} ${c.change}`), ['web updated', 'api unchanged', 'worker created']);
  t.equal(svc(h, 'shop', 'web').vip, '10.96.0.1');
  t.same(svc(h, 'shop', 'web').assignedPorts, { '443/tcp': 30000 });
  t.equal(svc(h, 'shop', 'worker').vip, '10.96.0.4');

  // Removing api frees .2, which the next new service gets (lowest free).
  await deploy(h, shop('  worker:\n    image: worker:1\n').replace('nginx:1.27', 'nginx:1.28').replace('  api:\n    image: api:1\n    expose: [9000]\n', ''));
  t.notOk(h.store.state.stacks['shop']!.services['api'], 'api removed');
  await deploy(h, `name: blog\nservices:\n  front:\n    image: blog:1\n    ports: ["80"]\n  db:\n    image: postgres:16\n`);
  t.equal(svc(h, 'blog', 'db').vip, '10.96.0.2');
  t.same(svc(h, 'blog', 'front').assignedPorts, { '80/tcp': 30001 });

  const rows = Object.fromEntries(h.queries.services().map((s) => [`${s.stack}/${s.name}`, s]));
  t.same(rows['shop/web']!.ports, ['8080->80/tcp (ingress)', '30000->443/tcp (ingress)']);
  t.equal(rows['shop/web']!.vip, '10.96.0.1');
  t.same(rows['blog/db']!.ports, []);
});

t.test('a deploy whose published port another service has is rejected, and nothing stored changes', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  await deploy(h, shop());
  await h.round();
  const before = structuredClone(h.store.state) as State;
  const eventsBefore = h.store.state.eventSeq;

  const clash = `name: blog\nservices:\n  front:\n    image: blog:1\n    ports:\n      - target: 80\n        published: 8080\n        mode: host\n`;
  await t.rejects(deploy(h, clash), {
    name: 'InputError',
    message: 'published port 8080/tcp is published by both shop/web (ingress) and blog/front (host): an ingress port is served on every node, so only one service may publish it (change one of them)',
  });
  // The stack that asks for a port Baton assigned to shop/web (30000) is refused too.
  await t.rejects(deploy(h, `name: blog\nservices:\n  front:\n    image: blog:1\n    ports: ["30000:80"]\n`), { message: /30000\/tcp is published by both blog\/front \(ingress\) and shop\/web \(ingress, assigned by Baton\)/ });
  // Also within one stack, and for an update of an existing stack.
  await t.rejects(deploy(h, shop('  admin:\n    image: admin:1\n    ports: ["8080:8000"]\n')), { message: /8080\/tcp is published by both shop\/web \(ingress\) and shop\/admin \(ingress\)/ });
  t.same(h.store.state, before, 'the store is exactly as before the rejected deploys');
  t.equal(h.store.state.eventSeq, eventsBefore, 'no event was logged');
  t.same(h.placed(), ['api.1@n1', 'web.1@n1'], 'nothing was placed or stopped');

  const plan = planCompose({ text: clash, file: 'compose.yaml', env: {}, stackName: undefined, nodes: [], stacks: Object.values(h.store.state.stacks) });
  t.same(plan.ok ? [] : plan.errors, ['published port 8080/tcp is published by both shop/web (ingress) and blog/front (host): an ingress port is served on every node, so only one service may publish it (change one of them)'], 'baton plan reports the same');
  const offline = planCompose({ text: clash, file: 'compose.yaml', env: {}, stackName: undefined, nodes: [] });
  t.ok(offline.ok, 'an offline plan has no other stacks to clash with');
});

t.test('ingress ports do not bind the host: three replicas share one node; mode: host ones do not', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  const r = await deploy(h, `name: shop\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n    deploy:\n      replicas: 3\n`);
  t.same(r.unplaced, []);
  t.same(h.placed(), ['web.1@n1', 'web.2@n1', 'web.3@n1']);
  t.same(Object.values(h.store.state.allocations).map((a) => a.hostPorts), [[], [], []], 'no host port recorded for an ingress port');

  const hostMode = await deploy(h, `name: edge\nservices:\n  dns:\n    image: dns:1\n    ports:\n      - target: 53\n        published: 53\n        protocol: udp\n        mode: host\n    deploy:\n      replicas: 2\n`);
  t.same(hostMode.unplaced.map((u) => `${u.service}.${u.replica}`), ['dns.2'], 'one mode: host replica per node');
  t.match(hostMode.unplaced[0]!.reason, /host port 53\/udp in use/);
});

t.test("each start carries the stacks' names: own bare and qualified, others qualified", async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  await deploy(h, shop());
  await deploy(h, `name: blog\nservices:\n  front:\n    image: blog:1\n`);
  const front = h.started.find((s) => s.start.stack === 'blog' && s.start.service === 'front')!;
  t.same(front.start.extra_hosts, { front: '10.96.0.3', 'front.blog': '10.96.0.3', 'web.shop': '10.96.0.1', 'api.shop': '10.96.0.2' });
  const web = h.started.find((s) => s.start.stack === 'shop' && s.start.service === 'web')!;
  t.same(web.start.extra_hosts, { web: '10.96.0.1', api: '10.96.0.2', 'web.shop': '10.96.0.1', 'api.shop': '10.96.0.2' }, 'blog did not exist yet when web started (the documented limit)');
  t.same(web.start.ports?.map((p) => `${p.published ?? '-'}:${p.target}/${p.protocol}`), ['-:80/tcp', '-:443/tcp'], 'the container publishes ingress targets on ephemeral host ports (none given)');
});

t.test('stored state from before VIPs gets them at coordinator start; a later deploy keeps them', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  await deploy(h, shop());
  await deploy(h, `name: blog\nservices:\n  front:\n    image: blog:1\n    ports: ["80"]\n`);
  const old = structuredClone(h.store.state) as State;
  for (const st of Object.values(old.stacks)) for (const s of Object.values(st.services)) {
    delete s.vip;
    delete s.assignedPorts;
  }
  const started = new Harness({ store: Store.memory(old) });
  t.same(
    Object.values(started.store.state.stacks).flatMap((st) => Object.entries(st.services).map(([n, s]) => `${st.name}/${n} ${s.vip} ${JSON.stringify(s.assignedPorts ?? {})}`)),
    ['shop/web 10.96.0.1 {"443/tcp":30000}', 'shop/api 10.96.0.2 {}', 'blog/front 10.96.0.3 {"80/tcp":30001}'],
    'assigned in stored order at start (Stacks.assignAddresses)',
  );
  const generations = Object.values(started.store.state.stacks).map((s) => s.generation);
  t.same(generations, Object.values(old.stacks).map((s) => s.generation), 'no stack generation bumped: the specs did not change');

  // The same through a deploy of another stack, with no start in between (records stripped in place).
  started.store.transact((st) => {
    for (const s of Object.values(st.stacks['shop']!.services)) {
      delete s.vip;
      delete s.assignedPorts;
    }
  });
  await deploy(started, `name: blog\nservices:\n  front:\n    image: blog:1\n    ports: ["80"]\n`);
  t.same(
    Object.entries(started.store.state.stacks['shop']!.services).map(([n, s]) => `${n} ${s.vip} ${JSON.stringify(s.assignedPorts ?? {})}`),
    ['web 10.96.0.1 {"443/tcp":30000}', 'api 10.96.0.2 {}'],
    "blog's deploy gave shop the freed addresses again (lowest free)",
  );
  t.equal(started.store.state.stacks['blog']!.services['front']!.vip, '10.96.0.3', 'blog kept its own');
});

t.test('a stored state whose stacks already clash still starts; the clash is reported', async (t) => {
  const h = new Harness();
  await deploy(h, `name: a\nservices:\n  x:\n    image: x:1\n    ports: ["8080:80"]\n`);
  await deploy(h, `name: b\nservices:\n  y:\n    image: y:1\n    ports: ["9090:80"]\n`);
  const state = structuredClone(h.store.state) as State;
  // As a pre-issue-9 coordinator would have stored it: b/y also on 8080 (host ports then).
  (state.stacks['b']!.services['y']!.spec.ports[0] as { published: number }).published = 8080;
  const next = new Harness({ store: Store.memory(state) });
  t.same(next.stacks.assignAddresses(), ['published port 8080/tcp is published by both a/x (ingress) and b/y (ingress): an ingress port is served on every node, so only one service may publish it (change one of them)']);
  // An unrelated stack still deploys; redeploying b as it is stored is refused.
  await deploy(next, `name: c\nservices:\n  z:\n    image: z:1\n`);
  t.equal(next.store.state.stacks['c']!.services['z']!.vip, '10.96.0.3');
  await t.rejects(deploy(next, `name: b\nservices:\n  y:\n    image: y:1\n    ports: ["8080:80"]\n`), { message: /8080\/tcp is published by both a\/x/ });
});

t.test('rollback to a spec whose port is taken since is refused', async (t) => {
  const h = new Harness();
  h.join('n1');
  h.reportAll();
  await deploy(h, `name: a\nservices:\n  x:\n    image: x:1\n    ports: ["8080:80"]\n`);
  await deploy(h, `name: a\nservices:\n  x:\n    image: x:2\n    ports: ["8081:80"]\n`);
  await deploy(h, `name: b\nservices:\n  y:\n    image: y:1\n    ports: ["8080:80"]\n`);
  const before = structuredClone(h.store.state) as State;
  await t.rejects(h.stacks.rollback('a/x'), { name: 'ConflictError', message: /^x: cannot roll back to generation 1: published port 8080\/tcp is published by both a\/x \(ingress\) and b\/y \(ingress\)/ });
  t.same(h.store.state, before);
});
