// `baton secret` and `baton config` as a user runs them (the compiled CLI against a real secure
// coordinator): create from a file and from stdin, ls as a table and JSON (never the content), a
// second create of a name refused, config inspect, rm; a viewer may list but not create; a stack
// naming an external secret that does not exist is refused naming it.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { BATON_BIN, runBaton } from '../fixtures/processes.js';
import { targetOf } from '../fixtures/tls.js';

const dir = await mkdtemp(join(tmpdir(), 'baton-secrets-cli-'));
const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir: join(dir, 'c'), logger: createLogger('c', 'silent') });
t.teardown(() => c.stop());
const env = { BATON_COORDINATOR: targetOf(c), BATON_CONFIG: c.adminCredentialFile! };
const SECRET = 'cli-s3cret-value-xyz';

function withStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BATON_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

t.test('secret create, ls, rm; config create, inspect', async (t) => {
  const file = join(dir, 'token.txt');
  await writeFile(file, SECRET);
  const made = await runBaton(['secret', 'create', 'api_token', file], env);
  t.equal(made.code, 0, made.stderr);
  t.match(made.stdout, /^created secret api_token \(/);
  const piped = await withStdin(['secret', 'create', 'db_pw', '-'], SECRET + '2');
  t.equal(piped.code, 0, piped.stderr);
  const again = await runBaton(['secret', 'create', 'api_token', file], env);
  t.equal(again.code, 1, 'a name that exists is refused');
  t.match(again.stderr, /secret api_token exists; its content cannot change/);
  const bad = await runBaton(['secret', 'create', 'api_token2', join(dir, 'missing')], env);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /FILE: cannot read .*missing: ENOENT/);
  const table = await runBaton(['secret', 'ls'], env);
  t.equal(table.code, 0);
  t.match(table.stdout, /^NAME\s+SIZE\s+AGE\s+STACK\s+USED BY\napi_token\s+20 B\s+.*\ndb_pw\s+21 B/);
  const json = JSON.parse((await runBaton(['secret', 'ls', '--json'], env)).stdout) as { name: string; sizeBytes: number }[];
  t.same(json.map((s) => [s.name, s.sizeBytes]), [['api_token', 20], ['db_pw', 21]]);
  for (const o of [made, piped, table]) t.notOk(o.stdout.includes(SECRET) || o.stderr.includes(SECRET), 'no output shows the content');
  t.notOk((await readFile(join(dir, 'c', 'state.json'), 'utf8')).includes(SECRET), 'state.json holds it sealed');

  await writeFile(join(dir, 'app.conf'), 'a=1\n');
  t.equal((await runBaton(['config', 'create', 'app_conf', join(dir, 'app.conf')], env)).code, 0);
  const inspect = await runBaton(['config', 'inspect', 'app_conf'], env);
  t.equal(inspect.stdout, 'a=1\n');
  const noInspect = await runBaton(['secret', 'inspect', 'api_token'], env);
  t.not(noInspect.code, 0, 'there is no secret inspect');
  t.notOk(noInspect.stdout.includes(SECRET) || noInspect.stderr.includes(SECRET));
  const rm = await runBaton(['secret', 'rm', 'api_token'], env);
  t.equal(rm.code, 0, rm.stderr);
  const gone = await runBaton(['secret', 'rm', 'api_token'], env);
  t.equal(gone.code, 2);
  t.match(gone.stderr, /no such secret/);
});

t.test('a viewer may list but not create', async (t) => {
  const cred = join(dir, 'viewer.json');
  t.equal((await runBaton(['credentials', 'create', 'v', '--role', 'viewer', '-o', cred], env)).code, 0);
  const viewer = { ...env, BATON_CONFIG: cred };
  t.equal((await runBaton(['secret', 'ls'], viewer)).code, 0);
  const r = await runBaton(['secret', 'create', 'x', join(dir, 'app.conf')], viewer);
  t.equal(r.code, 1);
  t.match(r.stderr, /refused: the viewer role may only list and read/);
});

t.test('deploy: an external secret must exist; a file: one is created as <stack>_<key>', async (t) => {
  const file = join(dir, 'compose.yaml');
  await writeFile(join(dir, 'pw.txt'), 'file-secret');
  await writeFile(file, 'name: shop\nservices:\n  web:\n    image: busybox\n    secrets: [tls, pw]\nsecrets:\n  tls:\n    external: true\n  pw:\n    file: ./pw.txt\n');
  const r = await runBaton(['deploy', '-f', file, '--detach'], env);
  t.equal(r.code, 2);
  t.match(r.stderr, /secrets\.tls: external secret tls does not exist: create it with `baton secret create tls FILE`/);
  await writeFile(join(dir, 'tls.pem'), 'pem');
  t.equal((await runBaton(['secret', 'create', 'tls', join(dir, 'tls.pem')], env)).code, 0);
  const ok = await runBaton(['deploy', '-f', file, '--detach'], env);
  t.equal(ok.code, 0, ok.stderr);
  const ls = JSON.parse((await runBaton(['secret', 'ls', '--json'], env)).stdout) as { name: string; usedBy: string[] }[];
  t.same(ls.filter((s) => s.name === 'shop_pw' || s.name === 'tls').map((s) => [s.name, s.usedBy]), [['shop_pw', ['shop/web']], ['tls', ['shop/web']]]);
  const refused = await runBaton(['secret', 'rm', 'tls'], env);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /secret tls is in use by shop\/web/);
});
