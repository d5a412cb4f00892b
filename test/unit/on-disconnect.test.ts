// Issue 13: `x-baton.on_disconnect.replace_after` (a duration, or never) and `stop_after` (the
// agent's side: test/unit/disconnect-guard.test.ts, test/testbed/testbed-drain.test.ts). The parse rows, then the
// coordinator in the harness: a replica on a node that went down is replaced only after the
// service's bound (never: not at all), and when the node returns first, the copy it kept running
// is the one that stays. Without the key, replicas are replaced once the node is down, as before.
import t from 'tap';
import { parseCompose } from '../../shared/compose/index.js';
import { specHash } from '../../shared/compose/spec-hash.js';
import { Harness } from '../fixtures/harness.js';

const text = (policy: string) => `name: shop
services:
  db:
    image: db:1
    deploy:
      replicas: 1
      resources: { reservations: { cpus: "0.5", memory: 64M } }
${policy ? `    x-baton: { on_disconnect: ${policy} }\n` : ''}`;

t.test('parse: replace_after as a duration or never; stop_after as a duration; replace_after leaves the spec hash alone', async (t) => {
  const p = (policy: string) => parseCompose(text(policy), { file: 'c.yaml', env: {} });
  const a = p('{ replace_after: 5m }');
  const n = p('{ replace_after: never }');
  const none = p('');
  if (!a.ok || !n.ok || !none.ok) return t.fail('parses');
  t.same(a.stack.services[0]!.onDisconnect, { replaceAfterMs: 300_000 });
  t.same(n.stack.services[0]!.onDisconnect, { replaceAfterMs: 'never' });
  t.equal(none.stack.services[0]!.onDisconnect, undefined);
  t.equal(specHash(a.stack.services[0]!), specHash(none.stack.services[0]!), 'changing the policy restarts nothing');
  const bad = p('{ replace_after: soon }');
  t.notOk(bad.ok);
  if (!bad.ok) t.match(bad.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), /services\.db\.x-baton\.on_disconnect\.replace_after: .*duration/);
  const stop = p('{ stop_after: 2m }');
  if (!stop.ok) return t.fail('stop_after parses');
  t.same(stop.stack.services[0]!.onDisconnect, { stopAfterMs: 120_000 });
  t.same(stop.warnings, []);
  t.not(specHash(stop.stack.services[0]!), specHash(none.stack.services[0]!), 'stop_after is on the container (its label): a change means new containers');
  const both = p('{ replace_after: 1m, stop_after: 30s }');
  if (!both.ok) return t.fail('both parse');
  t.same(both.stack.services[0]!.onDisconnect, { replaceAfterMs: 60_000, stopAfterMs: 30_000 });
  t.same(both.warnings, [], 'stop_after within replace_after: no overlap, no warning');
  const overlap = p('{ replace_after: 30s, stop_after: 2m }');
  if (!overlap.ok) return t.fail('overlap parses');
  t.same(overlap.warnings.map((w) => `${w.path}: ${w.message}`), ['services.db.x-baton.on_disconnect.stop_after: is longer than replace_after: two copies can run for up to 90 s while the node is cut off']);
  const never = p('{ replace_after: never, stop_after: 1m }');
  if (!never.ok) return t.fail('never parses');
  t.match(never.warnings.map((w) => `${w.path}: ${w.message}`).join('\n'), 'services.db.x-baton.on_disconnect: stop_after with replace_after: never: a cut-off site stops the replica and nothing runs it until the node is back');
  for (const [v, re] of [['500ms', /expected at least 1s/], ['soon', /duration/], ['-5s', /./]] as const) {
    const r = p(`{ stop_after: ${v} }`);
    t.notOk(r.ok, `stop_after: ${v} refused`);
    if (!r.ok) t.match(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), new RegExp(`services\\.db\\.x-baton\\.on_disconnect\\.stop_after: .*${re.source}`));
  }
});

async function cluster(policy: string): Promise<Harness> {
  const h = new Harness();
  h.join('n1', { cpus: 1 });
  h.join('n2', { cpus: 8 });
  h.reportAll();
  await h.stacks.deploy({ text: text(policy), file: 'c.yaml', stackName: undefined, env: {} });
  for (let i = 0; i < 3; i++) {
    h.advance(1000);
    h.reportAll();
    await h.round();
  }
  t.same(h.placed(), ['db.1@n1']);
  h.silence('n1');
  return h;
}

t.test('without on_disconnect: replaced once the node is down', async (t) => {
  const h = await cluster('');
  await h.settle(8);
  t.equal(h.store.state.nodes['n1']!.status, 'down');
  t.same(h.placed(), ['db.1@n2']);
});

t.test('replace_after: 30s: the replica waits 30 s after the node went down, then is replaced', async (t) => {
  const h = await cluster('{ replace_after: 30s }');
  await h.settle(8);
  t.equal(h.store.state.nodes['n1']!.status, 'down');
  const downAt = h.store.state.nodes['n1']!.statusSinceMs;
  await h.settle(20);
  t.same(h.placed(), ['db.1@n1'], `${Math.round((h.clock.now() - downAt) / 1000)} s down: not replaced yet`);
  t.same(h.sent('n2').filter((m) => m.startsWith('start')), [], 'n2 was told to start nothing');
  await h.settle(12);
  t.same(h.placed(), ['db.1@n2'], 'replaced after 30 s');
});

t.test('replace_after: never: not replaced; when the node returns its copy is the one that runs', async (t) => {
  const h = await cluster('{ replace_after: never }');
  await h.settle(120);
  t.same(h.placed(), ['db.1@n1'], 'two minutes down: still waiting for n1');
  t.same(h.sent('n2').filter((m) => m.startsWith('start')), []);
  h.join('n1', { cpus: 1 });
  await h.settle(3);
  t.same(h.placed(), ['db.1@n1'], 'the returned copy runs, nothing else started');
  t.same(h.sent('n2').filter((m) => m.startsWith('start')), []);
});
