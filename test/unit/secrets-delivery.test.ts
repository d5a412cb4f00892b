// Secrets on their way to a container: the StartReplica fields round-trip, every bad field is
// refused naming it (and never echoing the content), and the agent's FileMounts writes only to a
// tmpfs (refusing anything else) with each file's mode, removing them with the allocation.
import t from 'tap';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileMounts } from '../../agent/secrets/file-mounts.js';
import { DEFAULT_RESTART_POLICY } from '../../shared/compose/defaults.js';
import type { StartReplica__Output } from '../../shared/grpc/gen/baton/v1/StartReplica.js';
import type { ReplicaFile } from '../../shared/model/replica-spec.js';
import { fromStartReplica, toStartReplica } from '../../shared/wire/replica.js';

const SECRET = 'pl41n-text-n0t-to-be-echoed';
const files: ReplicaFile[] = [
  { kind: 'secret', name: 'app_pw', target: '/run/secrets/pw', uid: '0', gid: '0', mode: 0o400, data: Buffer.from(SECRET) },
  { kind: 'config', name: 'conf', target: '/etc/app.conf', uid: '101', gid: '102', mode: 0o644, data: Buffer.from('a=1') },
];
const alloc = { id: 'a1', generation: 1, stack: 's', service: 'w', replica: 0 };
const template = { image: 'busybox', environment: {}, labels: {}, limits: {}, restartPolicy: DEFAULT_RESTART_POLICY, stopGraceMs: 1000, ports: [], files };
/** As the agent receives it: bytes as Buffers, unset fields filled. */
const wire = (): StartReplica__Output => JSON.parse(JSON.stringify(toStartReplica(alloc, template)), (_k, v) => (v?.type === 'Buffer' ? Buffer.from(v.data) : v)) as StartReplica__Output;

t.test('secrets and configs round-trip through StartReplica', async (t) => {
  const w = wire();
  t.equal(w.secrets.length, 1);
  t.equal(w.configs.length, 1);
  const r = fromStartReplica(w);
  if (!r.ok) return t.fail(r.error);
  t.same(r.value.files?.map((f) => [f.kind, f.name, f.target, f.uid, f.gid, f.mode, Buffer.from(f.data).toString()]), files.map((f) => [f.kind, f.name, f.target, f.uid, f.gid, f.mode, Buffer.from(f.data).toString()]));
  const none = fromStartReplica({ ...w, secrets: [], configs: [] });
  t.ok(none.ok && !('files' in none.value), 'no files: no field');
});

t.test('bad fields are refused naming the field, never echoing the content', async (t) => {
  const cases: [string, (w: StartReplica__Output) => void, RegExp][] = [
    ['relative target', (w) => void (w.secrets[0]!.target = 'pw'), /^start\.secrets\.0\.target: expected an absolute file path/],
    ['.. in target', (w) => void (w.configs[0]!.target = '/etc/../x'), /^start\.configs\.0\.target: /],
    ['bad name', (w) => void (w.secrets[0]!.name = '../x'), /^start\.secrets\.0\.name: /],
    ['bad uid', (w) => void (w.secrets[0]!.uid = 'root'), /^start\.secrets\.0\.uid: /],
    ['bad mode', (w) => void (w.configs[0]!.mode = 0o10000), /^start\.configs\.0\.mode: /],
    ['too large', (w) => void (w.secrets[0]!.data = Buffer.alloc(500 * 1024 + 1)), /^start\.secrets\.0\.data: 512001 bytes/],
    ['same target twice', (w) => void (w.configs[0]!.target = '/run/secrets/pw'), /^start\.configs\.0\.target: \/run\/secrets\/pw is mounted twice/],
  ];
  for (const [name, change, want] of cases) {
    const w = wire();
    change(w);
    const r = fromStartReplica(w);
    t.notOk(r.ok, `${name}: refused`);
    if (!r.ok) {
      t.match(r.error, want, name);
      t.notOk(r.error.includes(SECRET), `${name}: the content is not in the error`);
    }
  }
});

t.test('FileMounts writes to a tmpfs only, with each mode, and removes them with the allocation', async (t) => {
  const refused = new FileMounts(await mkdtemp(join(tmpdir(), 'baton-fm-')), async () => false);
  const r0 = await refused.prepare('a1', files);
  t.notOk(r0.ok);
  if (!r0.ok) t.match(r0.error, /is not a tmpfs: secrets are written only to memory/);
  t.same(await readdir(refused.root), [], 'nothing written on refusal');

  const root = join('/dev/shm', `baton-fm-test-${process.pid}`);
  const fm = new FileMounts(root);
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const r = await fm.prepare('a1', files);
  if (!r.ok) return t.fail(r.error);
  t.same(r.value.map((m) => [m.Target, m.ReadOnly]), [['/run/secrets/pw', true], ['/etc/app.conf', true]]);
  t.equal(await readFile(r.value[0]!.Source, 'utf8'), SECRET);
  t.equal((await stat(r.value[0]!.Source)).mode & 0o7777, 0o400);
  t.equal((await stat(r.value[1]!.Source)).mode & 0o7777, 0o644);
  t.equal((await stat(fm.dirOf('a1'))).mode & 0o777, 0o700, 'the directory is the agent\'s only');
  const again = await fm.prepare('a1', files);
  t.ok(again.ok, 'a second prepare (a re-create) replaces what the first left');
  t.notOk((await fm.prepare('../etc', files)).ok, 'an allocation id that is not a plain name is refused');
  await fm.release('a1');
  t.same(await readdir(root), [], 'released');
});
