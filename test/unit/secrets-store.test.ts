// Secrets at rest: AES-256-GCM sealing (wrong key, a changed byte, a value moved to another name:
// each a clear error, nothing thrown, nothing lost), the key file (created 0600, reused, a damaged
// one refused and left as it was), and the secret store over a real state file (plain text nowhere
// in it; rm refused while a service uses it, naming the service; a stack's file: ones created,
// kept when unchanged, a change refused while in use).
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open, openSealingKey, seal, sealingKeyOf, SECRETS_KEY_FILE } from '../../coordinator/secrets/sealing.js';
import { SecretStore } from '../../coordinator/secrets/secret-store.js';
import { Store } from '../../coordinator/store/index.js';
import { systemClock } from '../../shared/clock.js';
import { parseCompose } from '../../shared/compose/index.js';
import { ConflictError, InputError, NotFoundError } from '../../shared/errors.js';

const tmp = () => mkdtemp(join(tmpdir(), 'baton-secrets-'));
const PLAIN = Buffer.from('s3cr3t-Pa55word-0f-the-db');

t.test('sealing round-trips, with a fresh nonce each time', async (t) => {
  const k = sealingKeyOf(randomBytes(32));
  const a = seal(k, 'db', PLAIN);
  const b = seal(k, 'db', PLAIN);
  t.not(a, b, 'two seals of the same value differ (random nonce)');
  t.notOk(a.includes(PLAIN.toString('base64')) || a.includes(PLAIN.toString()), 'the sealed form does not hold the plain text');
  const r = open(k, 'db', a);
  t.ok(r.ok && r.value.equals(PLAIN));
});

t.test('a wrong key, a changed byte, another name: clear errors, no throw', async (t) => {
  const k = sealingKeyOf(randomBytes(32));
  const sealed = seal(k, 'db', PLAIN);
  const other = sealingKeyOf(randomBytes(32));
  const wrong = open(other, 'db', sealed);
  t.notOk(wrong.ok);
  if (!wrong.ok) t.match(wrong.error, /secret db: sealed with another secrets key \(id [0-9a-f]{16}; this coordinator's is [0-9a-f]{16}\)/);
  // The same key id (a copied header) with another key still fails authentication.
  const forged = sealed.replace(k.id, other.id);
  const f = open(other, 'db', forged);
  t.notOk(f.ok);
  if (!f.ok) t.match(f.error, /does not authenticate/);
  const parts = sealed.split(':');
  for (const i of [2, 3, 4]) {
    const bytes = Buffer.from(parts[i]!, 'base64');
    bytes[0]! ^= 1;
    const changed = [...parts];
    changed[i] = bytes.toString('base64');
    const r = open(k, 'db', changed.join(':'));
    t.notOk(r.ok, `a flipped bit in part ${i} is refused`);
    if (!r.ok) t.match(r.error, /^secret db: /);
  }
  const moved = open(k, 'other', sealed);
  t.notOk(moved.ok, 'a value copied under another name does not open');
  const garbage = open(k, 'db', 'not sealed');
  t.notOk(garbage.ok);
  if (!garbage.ok) t.match(garbage.error, /not in the v1 sealed form/);
});

t.test('the key file: created owner-only on first start, reused after, a damaged one refused and left alone', async (t) => {
  const dir = await tmp();
  const k1 = await openSealingKey(dir);
  const file = join(dir, SECRETS_KEY_FILE);
  t.equal((await stat(file)).mode & 0o777, 0o600);
  const k2 = await openSealingKey(dir);
  t.equal(k2.id, k1.id, 'the same key on the next start');
  await writeFile(file, 'short\n');
  await t.rejects(openSealingKey(dir), /secrets\.key: not a secrets key/);
  t.equal(await readFile(file, 'utf8'), 'short\n', 'the damaged file is not replaced');
});

const stack = (secretFile: string, extra = '') => `name: app
services:
  db:
    image: busybox
    secrets:
      - pw
      - source: pw
        target: /etc/pw
        uid: "100"
        mode: 0400
${extra}secrets:
  pw:
    file: ${secretFile}
`;

t.test('the store: plain text never on disk; create, ls, rm (refused while in use); a stack file: secret is immutable while used', async (t) => {
  const dir = await tmp();
  const store = await Store.open({ dataDir: dir, flushDelayMs: 1 });
  t.teardown(() => store.close());
  const secrets = new SecretStore(store, await openSealingKey(dir), systemClock);
  secrets.create('secrets', 'api_key', PLAIN);
  t.throws(() => secrets.create('secrets', 'api_key', Buffer.from('x')), ConflictError, 'an existing name cannot be created again');
  t.throws(() => secrets.create('secrets', '../x', Buffer.from('x')), InputError);
  t.throws(() => secrets.create('secrets', 'empty', Buffer.alloc(0)), InputError);
  secrets.create('configs', 'nginx_conf', Buffer.from('server {}'));
  await store.flush();
  const onDisk = await readFile(join(dir, 'state.json'), 'utf8');
  t.notOk(onDisk.includes(PLAIN.toString()), 'state.json does not hold the secret');
  t.notOk(onDisk.includes(PLAIN.toString('base64')), 'nor its base64');
  t.same(secrets.list('secrets').map((s) => [s.name, s.sizeBytes]), [['api_key', PLAIN.length]]);
  t.equal(secrets.configContent('nginx_conf').toString(), 'server {}');

  // A stack's file: secret is created as <stack>_<key>, and services mount it.
  const parsed = parseCompose(stack('./pw.txt'), { file: 'c.yaml', files: new Map([['./pw.txt', PLAIN]]) });
  t.ok(parsed.ok);
  if (!parsed.ok) return;
  t.same(secrets.checkStack(parsed.stack), []);
  store.transact((s) => {
    secrets.writeStack(s, parsed.stack, 1);
    s.stacks['app'] = { name: 'app', generation: 1, file: 'c.yaml', services: { db: { spec: parsed.stack.services[0]! as never, specHash: 'h', generation: 1, replicas: 1 } }, createdAtMs: 1, updatedAtMs: 1 };
  });
  const c = secrets.content('secrets', 'app_pw');
  t.ok(c.ok && c.value.equals(PLAIN), 'app_pw opens to the file content');
  t.same(secrets.list('secrets').find((s) => s.name === 'app_pw')?.usedBy, ['app/db']);
  t.throws(() => secrets.remove('secrets', 'app_pw'), { name: 'ConflictError', message: /app_pw is in use by app\/db/ });
  t.throws(() => secrets.remove('secrets', 'nope'), NotFoundError);
  // Names of Object.prototype's members find nothing (the fuzz test found InspectConfig toString answering INTERNAL).
  t.throws(() => secrets.configContent('toString'), NotFoundError);
  t.throws(() => secrets.remove('configs', 'constructor'), NotFoundError);
  t.notOk(secrets.content('secrets', 'hasOwnProperty').ok);
  // The same content again: nothing to do. Another content while used: refused with the way out.
  t.same(secrets.checkStack(parsed.stack), []);
  const changed = parseCompose(stack('./pw.txt'), { file: 'c.yaml', files: new Map([['./pw.txt', Buffer.from('new')]]) });
  if (!changed.ok) return t.fail('changed file does not parse');
  const errors = secrets.checkStack(changed.stack);
  t.equal(errors.length, 1);
  t.match(errors[0], /secrets\.pw: the content of \.\/pw\.txt changed, but secret app_pw is in use by app\/db .*give it a new name \(name: app_pw_v2\)/);

  // A tampered stored value: a clear error, the record kept as it was.
  const before = store.state.secrets['app_pw']!.sealed;
  const parts = before.split(':');
  const body = Buffer.from(parts[4]!, 'base64');
  body[0]! ^= 1;
  parts[4] = body.toString('base64');
  const bad = parts.join(':');
  store.transact((s) => {
    s.secrets['app_pw']!.sealed = bad;
  });
  const r = secrets.content('secrets', 'app_pw');
  t.notOk(r.ok);
  if (!r.ok) t.match(r.error, /secret app_pw: the stored value does not authenticate/);
  t.equal(store.state.secrets['app_pw']!.sealed, bad, 'nothing is dropped or rewritten');

  // An external one must exist.
  const ext = parseCompose('name: app\nservices:\n  w:\n    image: busybox\n    secrets: [tls]\nsecrets:\n  tls:\n    external: true\n', { file: 'c.yaml' });
  if (!ext.ok) return t.fail('external does not parse');
  t.match(secrets.checkStack(ext.stack)[0], /secrets\.tls: external secret tls does not exist: create it with `baton secret create tls FILE`/);

  // Removing the stack removes what its file created, not what was created by hand.
  store.transact((s) => {
    delete s.stacks['app'];
    secrets.removeStackObjects(s, 'app');
  });
  t.notOk(store.state.secrets['app_pw']);
  t.ok(store.state.secrets['api_key']);
  secrets.remove('secrets', 'api_key');
  t.same(secrets.list('secrets'), []);
});
