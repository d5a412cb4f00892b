// The security commands' argument errors (`baton credentials create|revoke`, `node rm`, `token`,
// `whoami`): exit 2 with a message naming the argument, before any credential is looked for or any
// connection made; and the insecure warning of `baton nodes`, against a real closed port.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientProgram } from '../../shared/cli/client-program.js';
import { checkCredentialName, credentialFileOf, parseTtl } from '../../shared/cli/commands/security.js';
import { main } from '../../shared/cli/root-command.js';
import { freePort } from '../fixtures/processes.js';

const dir = await mkdtemp(join(tmpdir(), 'baton-cli-args-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const emptyHome = join(dir, 'home');

/** Runs `baton ARGS` in this process with HOME empty and no BATON_* variables; its exit status and what it wrote. */
async function baton(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('BATON_')) delete process.env[k];
  Object.assign(process.env, { HOME: emptyHome }, env);
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((s: string | Uint8Array) => ((out.stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((out.stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await main(clientProgram(), ['node', 'baton', ...args]);
    return { code, ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    process.exitCode = undefined;
  }
}

t.test('bad arguments: exit 2, the argument named, nothing looked up', async (t) => {
  const existing = join(dir, 'exists.json');
  await writeFile(existing, '{}');
  const cases: [string[], RegExp][] = [
    [['credentials', 'create', 'Ann Smith', '--role', 'admin'], /^baton: NAME: "Ann Smith" is not a credential name \(1-63 characters: a-z, 0-9/],
    [['credentials', 'create', '-dash', '--role', 'admin'], /unknown option '-dash'/],
    [['credentials', 'create', 'x'.repeat(64), '--role', 'admin'], /^baton: NAME: "x{64}" is not a credential name/],
    [['credentials', 'create', 'ann'], /^baton: --role: required: admin \(may change the cluster\) or viewer/],
    [['credentials', 'create', 'ann', '--role', 'root'], /^baton: --role: expected admin or viewer, got "root"/],
    [['credentials', 'create', 'ann', '--role', 'viewer', '--ttl', '10x'], /^baton: --ttl: "10x": expected a duration such as 30d, 12h/],
    [['credentials', 'create', 'ann', '--role', 'viewer', '--ttl', '0d'], /^baton: --ttl: "0d": must be longer than 0/],
    [['credentials', 'create', 'ann', '--role', 'viewer', '-o', existing], /^baton: -o .*exists\.json: the file exists; pass --force to replace it/],
    [['credentials', 'create'], /missing required argument 'name'/],
    [['credentials', 'revoke', 'Bad/Name'], /^baton: NAME: "Bad\/Name" is not a credential name/],
    [['node', 'rm', ' '], /^baton: NODE: give a node name or id/],
    [['node', 'rm'], /missing required argument 'node'/],
    [['token', '--coordinator', 'nohost:'], /^baton: --coordinator: "nohost:" is not HOST:PORT/],
    [['whoami', '--insecure', '--config', existing], /^baton: --config and --insecure: a credential file is for a TLS coordinator/],
  ];
  for (const [args, message] of cases) {
    const r = await baton(args);
    t.equal(r.code, 2, `${args.join(' ')}: exit 2`);
    t.match(r.stderr, message, args.join(' '));
    t.notMatch(r.stderr, /no credential/, 'the arguments are checked first');
    t.equal(r.stdout, '');
  }
  const env = await baton(['whoami'], { BATON_INSECURE: 'maybe' });
  t.equal(env.code, 2);
  t.match(env.stderr, /^baton: BATON_INSECURE: expected 1 or 0, got "maybe"/);
});

t.test('no credential anywhere: exit 1, where it looked and what to do', async (t) => {
  for (const args of [['whoami'], ['token'], ['nodes'], ['credentials', 'create', 'ann', '--role', 'viewer']]) {
    const r = await baton(args);
    t.equal(r.code, 1, args.join(' '));
    t.match(r.stderr, /^baton: no credential for the coordinator at 127\.0\.0\.1:7400; looked at: --config \(not given\); \$BATON_CONFIG \(not set\); ~\/\.baton\/config \(no such file\); the local coordinator's credential \(~\/\.baton\/local\/7400\): no such file .*Run on the coordinator's host as the user that runs it, or pass --config FILE from `baton credentials create`/);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
});

t.test('baton nodes over --insecure warns, every time, on stderr', async (t) => {
  const port = await freePort();
  const ways: { args: string[]; env: Record<string, string> }[] = [{ args: ['--insecure'], env: {} }, { args: [], env: { BATON_INSECURE: '1' } }];
  for (const how of ways) {
    const r = await baton(['nodes', ...how.args, '--coordinator', `127.0.0.1:${port}`], how.env);
    t.equal(r.code, 1, 'the closed port fails the call');
    const lines = r.stderr.trim().split('\n');
    t.equal(lines[0], 'warning: the coordinator connection is not encrypted or authenticated (--insecure)');
    t.match(lines[1], /^baton: cannot reach the coordinator at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  }
});

t.test('parseTtl, checkCredentialName, credentialFileOf', async (t) => {
  const DAY = 86_400_000;
  t.same(parseTtl('30d'), { ok: true, value: 30 * DAY });
  t.same(parseTtl('1d12h'), { ok: true, value: 1.5 * DAY });
  t.same(parseTtl('90m'), { ok: true, value: 5_400_000 });
  t.same(parseTtl('45s'), { ok: true, value: 45_000 });
  for (const bad of ['', '1', '1y', '-1d', '1.5d', 'd', '1d 2h']) t.notOk(parseTtl(bad).ok, JSON.stringify(bad));
  for (const good of ['ann', 'ci-bot', 'a', 'ops.team_1', '0']) t.ok(checkCredentialName(good).ok, good);
  for (const bad of ['Ann', '', '-a', '.a', 'a b', 'a/b', 'x'.repeat(64)]) t.notOk(checkCredentialName(bad).ok, JSON.stringify(bad));
  t.throws(() => credentialFileOf({ name: 'ann', role: 'admin', ca_pem: 'x', certificate_pem: '', key_pem: 'k', not_after_ms: 0 }, 'h:1'), { message: /incomplete credential .*no certificate/ });
  t.throws(() => credentialFileOf({ name: 'ann', role: 'root', ca_pem: 'x', certificate_pem: 'c', key_pem: 'k', not_after_ms: 0 }, 'h:1'), { message: /incomplete credential \(role "root"\)/ });
});
