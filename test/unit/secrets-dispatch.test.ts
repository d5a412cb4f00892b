// Secret delivery in the coordinator harness: a start carries the opened secret to the node that
// runs the replica, and no other node's messages hold it; a secret that does not open holds the
// start back (and the log says why by name only) instead of sending a replica without it.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { sealingKeyOf } from '../../coordinator/secrets/sealing.js';
import { Harness } from '../fixtures/harness.js';

const SECRET = 'harness-secret-0123456789';
const text = (replicas: number) => `name: shop
services:
  db:
    image: busybox
    secrets: [pw]
    deploy:
      replicas: ${replicas}
      placement:
        max_replicas_per_node: 1
  web:
    image: busybox
    deploy:
      replicas: 3
      placement:
        max_replicas_per_node: 1
secrets:
  pw:
    file: ./pw
`;

t.test('only the node running the replica is sent the secret', async (t) => {
  const h = new Harness({ sealingKey: sealingKeyOf(randomBytes(32)) });
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  const agents = (h as unknown as { agents: Map<string, { received: unknown[] }> }).agents;
  const wire = new Map<string, string>();
  for (const n of ['n1', 'n2', 'n3']) agents.get(n)!.received.length = 0;
  await h.stacks.deploy({ text: text(1), file: 'c.yaml', stackName: undefined, env: {}, files: new Map([['./pw', Buffer.from(SECRET)]]) });
  for (const n of ['n1', 'n2', 'n3']) wire.set(n, JSON.stringify(agents.get(n)!.received));
  const dbNode = h.placed().find((p) => p.startsWith('db.'))!.split('@')[1]!;
  const starts = (agents.get(dbNode)!.received as { command?: { start?: { service: string; secrets: { name: string; target: string; data: Buffer }[] } } }[]).map((m) => m.command?.start).filter((s) => s?.service === 'db');
  t.equal(starts.length, 1);
  t.same(starts[0]!.secrets.map((f) => [f.name, f.target, Buffer.from(f.data).toString()]), [['shop_pw', '/run/secrets/pw', SECRET]]);
  for (const n of ['n1', 'n2', 'n3']) {
    if (n === dbNode) continue;
    t.ok(wire.get(n)!.length > 10, `${n} was sent something (web's starts)`);
    t.notOk(wire.get(n)!.includes(Buffer.from(SECRET).toString('base64')) || wire.get(n)!.includes(SECRET) || wire.get(n)!.includes(JSON.stringify([...Buffer.from(SECRET)]).slice(1, -1)), `${n} runs no db replica: never sent the secret`);
  }
});

t.test('a secret that does not open holds the start back', async (t) => {
  const h = new Harness({ sealingKey: sealingKeyOf(randomBytes(32)) });
  for (const n of ['n1', 'n2', 'n3']) h.join(n);
  h.reportAll();
  await h.stacks.deploy({ text: text(1), file: 'c.yaml', stackName: undefined, env: {}, files: new Map([['./pw', Buffer.from(SECRET)]]) });
  h.reportAll();
  for (const n of ['n1', 'n2', 'n3']) h.sent(n);
  h.store.transact((s) => {
    // A flipped bit of the authentication tag (the fourth part).
    const parts = s.secrets['shop_pw']!.sealed.split(':');
    const tag = Buffer.from(parts[3]!, 'base64');
    tag[0]! ^= 1;
    parts[3] = tag.toString('base64');
    s.secrets['shop_pw']!.sealed = parts.join(':');
  });
  await h.stacks.scale('shop/db', '2');
  await h.round();
  const sent = ['n1', 'n2', 'n3'].flatMap((n) => h.sent(n));
  t.same(sent.filter((s) => s.startsWith('start db.')), [], 'no db start goes out without its secret');
  t.equal(h.placed().filter((p) => p.startsWith('db.')).length, 2, 'the replica is placed and waits');
});
