// Joining, rotation, revocation and renewal with real processes (the compiled CLI) over mutual TLS
// on loopback: a coordinator, agents without Docker (they report it down and stay ready), and the
// CLI with the admin credential the coordinator wrote. Node certificates live an hour in the first
// part (a restarted agent, or a removed one across a coordinator restart, still holds a valid one),
// then 6 s (--node-cert-ttl) so that renewal, and expiry while offline, happen during the test.
// Last, an --insecure coordinator, and plaintext against a secure one.
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byName, listNodes } from '../fixtures/control.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, sleep, startBaton, startProcess, waitFor, type Proc } from '../fixtures/processes.js';

const dir = await mkdtemp(join(tmpdir(), 'baton-sec-join-'));
// The coordinator registers itself in ~/.baton/local: a home of the test's own keeps that out of the user's.
const home = join(dir, 'home');
await mkdir(home);
delete process.env.BATON_TOKEN;
delete process.env.BATON_INSECURE;
const env = { HOME: home };
const port = await freePort();
const target = `127.0.0.1:${port}`;
const D = join(dir, 'coordinator');
const adminConfig = join(D, 'admin.json');
const startCoordinator = (nodeCertTtl = '1h') => startBaton(['coordinator', '--listen', target, '--data-dir', D, '--metrics-listen', 'off', '--node-cert-ttl', nodeCertTtl], env);
const agentDir = (name: string) => join(dir, name);
// The agents run as a user starts them: the `baton` bin as a program, which execs node with the
// agent's own flags and trust settings (shared/cli/main.ts), so every join, pin, renewal and refusal
// below goes through them. NODE_EXTRA_CA_CERTS is set, as on machines that add a proxy's CA.
const extraCa = join(dir, 'extra-ca.pem');
const startAgent = (name: string, token?: string) =>
  startProcess(BATON_BIN, ['agent', '--coordinator', target, '--name', name, '--data-dir', agentDir(name), ...(token ? ['--token', token] : [])], { ...env, NODE_EXTRA_CA_CERTS: extraCa });
/** The CLI as an operator runs it, with the admin credential unless another --config is given. */
const baton = (args: string[]) => runBaton(args, { ...env, BATON_CONFIG: adminConfig });

let coordinator: Proc = startCoordinator();
const token = await joinTokenOf(coordinator);
// Any certificate will do as the extra CA: the agent must not load it (nor trust it).
await writeFile(extraCa, await readFile(join(D, 'pki', 'ca.crt'), 'utf8'));
process.env.BATON_CONFIG = adminConfig;
const agents: Record<string, Proc> = {};
t.teardown(async () => {
  // On a failure, the processes' logs are kept for reading (the temporary dir is not removed).
  if (!t.passing()) {
    for (const [name, p] of [...Object.entries(agents), ['coordinator', coordinator] as const]) await writeFile(join(dir, `${name}.log`), p.output());
    t.comment(`logs of the processes: ${dir}/*.log`);
  }
  await Promise.all(Object.values(agents).map((a) => a.kill('SIGKILL')));
  await coordinator.kill('SIGKILL');
});

const node = async (name: string) => byName(await listNodes(target))[name];
const ready = (name: string, timeoutMs = 30_000) => waitFor(`${name} ready`, async () => (await node(name))?.status === 'ready', timeoutMs, 200);
const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
const certOf = async (name: string) => new X509Certificate(await readFile(join(agentDir(name), 'node.crt'), 'utf8'));
const nodeIdOf = async (name: string) => (await readFile(join(agentDir(name), 'node-id'), 'utf8')).trim();
/** The log lines of a process that contain `text`. */
const lines = (p: Proc, text: string | RegExp) => p.output().split('\n').filter((l) => (typeof text === 'string' ? l.includes(text) : text.test(l)));

t.test('agents join with the token the coordinator printed; keys are owner-only', async (t) => {
  const shown = await baton(['token']);
  t.equal(shown.code, 0, shown.stderr);
  t.equal(shown.stdout.trim(), token, '`baton token` shows the printed token');
  t.match(token, /^BATON1-[0-9a-f]{64}-[a-z2-7]{32}$/);
  agents.alpha = startAgent('alpha', token);
  agents.beta = startAgent('beta', token);
  await ready('alpha');
  await ready('beta');
  const r = await baton(['nodes', '--json']);
  t.equal(r.code, 0, r.stderr);
  const listed = Object.fromEntries((JSON.parse(r.stdout) as { name: string; status: string; id: string; dockerUp: boolean }[]).map((n) => [n.name, n]));
  t.equal(listed.alpha?.status, 'ready', 'alpha ready in `baton nodes --json`');
  t.equal(listed.beta?.status, 'ready', 'beta ready in `baton nodes --json`');
  t.equal(listed.alpha?.id, await nodeIdOf('alpha'), "the node's id is the one in its data dir");
  // The process the bin exec'd: node itself (one process), with the agent's flags, the well-known
  // roots and the extra CA file out of reach, and OpenSSL's default paths pointed at nothing.
  const pid = agents.alpha.child.pid!;
  const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
  t.match(argv[0], /node$/, `the bin exec'd node: ${argv.join(' ')}`);
  for (const flag of ['--lite-mode', '--no-expose-wasm', '--use-openssl-ca']) t.ok(argv.includes(flag), `the agent runs with ${flag}`);
  t.ok(environ.includes('SSL_CERT_FILE=/dev/null') && environ.includes('SSL_CERT_DIR=/dev/null'), "OpenSSL's default paths point at nothing");
  t.notOk(environ.some((e) => e.startsWith('NODE_EXTRA_CA_CERTS=')), 'NODE_EXTRA_CA_CERTS is not passed on');
  for (const f of ['node.key', 'node.crt', 'ca.crt']) t.equal(await mode(join(agentDir('alpha'), f)), '600', `agent ${f} is 0600`);
  t.equal(await mode(join(D, 'pki', 'ca.key')), '600', 'ca.key is 0600');
  t.equal(await mode(join(D, 'pki')), '700', 'the pki dir is 0700');
  t.equal(await mode(adminConfig), '600', 'admin.json is 0600');
  const cert = await certOf('alpha');
  t.match(cert.subject, new RegExp(`CN=${listed.alpha!.id}`), 'the node certificate names the node id');
  t.match(cert.subject, /OU=node/);
  t.ok(cert.checkIssued(new X509Certificate(await readFile(join(D, 'pki', 'ca.crt'), 'utf8'))), 'issued by the cluster CA');
});

t.test('an agent restarted without the token comes back under the same id', async (t) => {
  const id = await nodeIdOf('alpha');
  const serial = (await certOf('alpha')).serialNumber;
  await agents.alpha!.kill('SIGTERM');
  agents.alpha = startAgent('alpha');
  await waitFor('alpha back', async () => {
    const n = await node('alpha');
    return n?.status === 'ready' && /connected to coordinator/.test(agents.alpha!.output()) && n;
  }, 30_000, 200);
  const n = (await node('alpha'))!;
  t.equal(n.id, id, 'same node id');
  t.equal(lines(agents.alpha!, 'joined the cluster').length, 0, 'no join: it used the certificate in its data dir');
  t.equal((await certOf('alpha')).serialNumber, serial, 'the same certificate');
  t.equal((await listNodes(target)).length, 2, 'no node added');
});

let newToken = '';

t.test('a rotated-out token admits no new node; the new one does; joined nodes are unaffected', async (t) => {
  const r = await baton(['token', '--rotate']);
  t.equal(r.code, 0, r.stderr);
  newToken = r.stdout.trim();
  t.match(newToken, /^BATON1-[0-9a-f]{64}-[a-z2-7]{32}$/);
  t.not(newToken, token, 'a new token');
  t.equal(newToken.split('-')[1], token.split('-')[1], 'same CA hash');
  t.equal((await baton(['token'])).stdout.trim(), newToken, '`baton token` shows the new one');

  agents.gamma = startAgent('gamma', token);
  agents.delta = startAgent('delta', newToken);
  await waitFor("gamma's refusal", () => lines(agents.gamma!, 'the join token is not (or no longer) valid').length >= 2, 30_000, 200);
  t.ok(lines(agents.gamma!, 'the coordinator refused to join this node').length >= 2, 'gamma logs the refusal, and retries');
  await ready('delta');
  await sleep(1000);
  t.equal(agents.gamma!.child.exitCode, null, 'gamma is still running');
  t.notOk(await node('gamma'), 'gamma is not a node');
  await t.rejects(stat(join(agentDir('gamma'), 'node.crt')), { code: 'ENOENT' }, 'gamma holds no certificate');
  const gammaId = await nodeIdOf('gamma');
  t.ok(lines(coordinator, 'join refused').some((l) => l.includes(gammaId)), "the coordinator logged gamma's refused join");
  for (const name of ['alpha', 'beta', 'delta']) t.equal((await node(name))?.status, 'ready', `${name} ready`);
  await agents.gamma!.kill('SIGTERM');
  delete agents.gamma;
});

t.test('the right secret with another CA hash: the agent refuses the coordinator and never sends the secret', async (t) => {
  const [prefix, hash, secret] = newToken.split('-') as [string, string, string];
  const otherHash = (hash[0] === '0' ? '1' : '0') + hash.slice(1);
  agents.epsilon = startAgent('epsilon', `${prefix}-${otherHash}-${secret}`);
  await waitFor("epsilon's refusals", () => lines(agents.epsilon!, "does not match this coordinator's CA").length >= 2, 30_000, 200);
  await sleep(1000);
  t.equal(agents.epsilon!.child.exitCode, null, 'epsilon is still running');
  t.ok(lines(agents.epsilon!, "does not match this coordinator's CA").length >= 2, 'and retrying');
  t.match(agents.epsilon!.output(), /baton token/, 'the message says what to do');
  const id = await nodeIdOf('epsilon');
  t.same(lines(coordinator, id), [], 'the coordinator never heard of epsilon (no Join call, so no secret sent)');
  t.notOk(await node('epsilon'), 'epsilon is not a node');
  await t.rejects(stat(join(agentDir('epsilon'), 'node.crt')), { code: 'ENOENT' }, 'epsilon holds no certificate');
  await agents.epsilon!.kill('SIGTERM');
  delete agents.epsilon;
});

const opsConfig = join(dir, 'ops.json');

t.test('`baton node rm` of a connected node: its next connection is refused', async (t) => {
  const id = await nodeIdOf('alpha');
  const r = await baton(['node', 'rm', 'alpha', '--force']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /removed node alpha/);
  await waitFor("alpha's refusal", () => lines(agents.alpha!, 'the coordinator refused this node').length >= 2, 20_000, 200);
  // Seen for ~8 s: it does not come back (alpha was restarted without a token, so it cannot rejoin).
  for (let i = 0; i < 8; i++) {
    t.notOk(await node('alpha'), `alpha not listed (${i + 1} s)`);
    await sleep(1000);
  }
  t.equal(agents.alpha!.child.exitCode, null, 'the agent keeps running');
  t.ok(lines(coordinator, 'call refused').some((l) => l.includes(id) && l.includes('Connect')), "the coordinator logged the refused Connect naming alpha's id");
  for (const name of ['beta', 'delta']) t.equal((await node(name))?.status, 'ready', `${name} still ready`);
});

t.test('a viewer credential may list, not change; revoked, it may do nothing', async (t) => {
  const created = await baton(['credentials', 'create', 'ops', '--role', 'viewer', '-o', opsConfig]);
  t.equal(created.code, 0, created.stderr);
  t.equal(await mode(opsConfig), '600', 'the credential file is 0600');
  const who = await runBaton(['whoami', '--json', '--config', opsConfig], env);
  t.equal(who.code, 0, who.stderr);
  t.match(JSON.parse(who.stdout), { role: 'viewer', name: 'ops' });
  const listed = await runBaton(['nodes', '--config', opsConfig], env);
  t.equal(listed.code, 0, `nodes as viewer: ${listed.stderr}`);
  t.match(listed.stdout, /beta/);
  const scaled = await runBaton(['scale', 'web=2', '--config', opsConfig], env);
  t.equal(scaled.code, 1, 'scale as viewer: exit 1');
  t.match(scaled.stderr, /refused: the viewer role may only list and read \(viewer ops, Scale\)/);
  const revoked = await baton(['credentials', 'revoke', 'ops']);
  t.equal(revoked.code, 0, revoked.stderr);
  const after = await runBaton(['nodes', '--config', opsConfig], env);
  t.equal(after.code, 1, 'nodes with the revoked credential: exit 1');
  t.match(after.stderr, /refused: the certificate was revoked/);
});

t.test('after a coordinator restart the revocations hold', async (t) => {
  await coordinator.kill('SIGTERM');
  coordinator = startCoordinator();
  await waitFor('the coordinator back', async () => (await baton(['nodes'])).code === 0, 30_000, 300);
  const after = await runBaton(['nodes', '--config', opsConfig], env);
  t.equal(after.code, 1, 'the revoked viewer credential is still refused');
  t.match(after.stderr, /revoked/);
  // alpha's certificate is valid for the better part of an hour yet: only the revocation refuses it.
  t.ok(Date.parse((await certOf('alpha')).validTo) > Date.now() + 600_000, "alpha's certificate has not expired");
  const id = await nodeIdOf('alpha');
  await waitFor("alpha's Connect refused by the restarted coordinator", () => lines(coordinator, 'call refused').some((l) => l.includes(id) && l.includes('revoked')), 20_000, 200);
  await ready('beta');
  await ready('delta');
  for (let i = 0; i < 3; i++) {
    t.notOk(await node('alpha'), `alpha not listed (${i + 1} s)`);
    await sleep(1000);
  }
  t.equal((await baton(['whoami'])).code, 0, 'the admin credential still works');
  t.equal((await node('beta'))?.status, 'ready', 'beta reconnected on its certificate');
  t.equal((await node('delta'))?.status, 'ready', 'delta reconnected on its certificate');
  await agents.alpha!.kill('SIGTERM');
  delete agents.alpha;
});

t.test('the coordinator restarted with 6 s node certificates: a new node joins', async (t) => {
  await coordinator.kill('SIGTERM');
  coordinator = startCoordinator('6s');
  await waitFor('the coordinator back', async () => (await baton(['nodes'])).code === 0, 30_000, 300);
  agents.zeta = startAgent('zeta', newToken);
  await ready('zeta');
  t.equal(lines(coordinator, 'call refused').length, 0, 'no refusal since the restart (alpha is stopped)');
});

t.test('certificates renew on the live session: new serials, and reports never stop', async (t) => {
  const ca = new X509Certificate(await readFile(join(D, 'pki', 'ca.crt'), 'utf8'));
  const id = await nodeIdOf('zeta');
  const serials = new Set<string>([(await certOf('zeta')).serialNumber]);
  const sessionsBefore = lines(agents.zeta!, 'connected to coordinator').length;
  let worstGapMs = 0;
  const notReady: string[] = [];
  let samples = 0;
  await waitFor('two renewals of zeta, over 15 s', async () => {
    const cert = await certOf('zeta').catch(() => undefined); // read between the rename and the write: try again
    if (cert) {
      if (!serials.has(cert.serialNumber)) {
        t.ok(cert.checkIssued(ca) && cert.subject.includes(`CN=${id}`), `new certificate ${cert.serialNumber}: from the cluster CA, for ${id}`);
        t.ok(Date.parse(cert.validTo) > Date.now(), 'not expired');
      }
      serials.add(cert.serialNumber);
    }
    const n = await node('zeta');
    samples++;
    const gap = Date.now() - Number(n?.last_seen_ms ?? 0);
    worstGapMs = Math.max(worstGapMs, gap);
    if (n?.status !== 'ready') notReady.push(n?.status ?? 'missing');
    return samples >= 15 && serials.size >= 3;
  }, 40_000, 1000);
  t.ok(serials.size >= 3, `${serials.size - 1} renewals (serials ${[...serials].join(', ')})`);
  t.same(notReady, [], 'zeta ready at every sample');
  t.ok(worstGapMs <= 3000, `its reports never stopped: at most ${worstGapMs} ms since the last one at any sample (heartbeat 1 s)`);
  t.equal(lines(agents.zeta!, 'connected to coordinator').length, sessionsBefore, 'on the same session: no reconnect');
  t.ok(lines(agents.zeta!, 'certificate renewed').length >= 2, 'the agent logged its renewals');
});

t.test('a node offline past its certificate\'s expiry rejoins only with a token', async (t) => {
  const id = await nodeIdOf('zeta');
  await agents.zeta!.kill('SIGTERM');
  const notAfter = Date.parse((await certOf('zeta')).validTo);
  await waitFor("zeta's certificate to expire", () => Date.now() > notAfter + 1000, 15_000, 200);
  agents.zeta = startAgent('zeta');
  await waitFor('zeta to say its certificate expired', () => lines(agents.zeta!, "this node's certificate expired").length >= 2, 20_000, 200);
  t.match(agents.zeta!.output(), /restart the agent with --token/, 'and what to do');
  t.not((await node('zeta'))?.status, 'ready', 'not ready without a token');
  t.equal(agents.zeta!.child.exitCode, null, 'still running');
  await agents.zeta!.kill('SIGTERM');
  agents.zeta = startAgent('zeta', newToken);
  await ready('zeta');
  t.equal((await node('zeta'))?.id, id, 'rejoined under its id');
  t.ok(lines(agents.zeta!, 'joined the cluster').length >= 1, 'by joining with the token');
});

t.test('--insecure: only when asked, with warnings; a secure coordinator never takes plaintext', async (t) => {
  const insecurePort = await freePort();
  const insecure = startBaton(['coordinator', '--insecure', '--listen', `127.0.0.1:${insecurePort}`, '--data-dir', join(dir, 'insecure'), '--metrics-listen', 'off'], env);
  t.teardown(() => insecure.kill('SIGKILL'));
  await waitFor('the insecure coordinator listening', () => /listening on/.test(insecure.output()), 20_000, 100);
  // Written just after the line above: it may arrive a moment later.
  const warned = await waitFor('its warning', () => /WARNING: --insecure/.test(insecure.output()), 5000, 50).catch(() => false);
  t.ok(warned, 'it warns at start');
  t.match(insecure.output(), /"level":40.*--insecure: plaintext/, 'and logs the warning');
  t.notMatch(insecure.output(), /join token/, 'no token, no CA');
  const plain = await runBaton(['nodes', '--insecure', '--coordinator', `127.0.0.1:${insecurePort}`], env);
  t.equal(plain.code, 0, plain.stderr);
  t.match(plain.stderr, /warning: the coordinator connection is not encrypted or authenticated \(--insecure\)/, '`baton nodes --insecure` warns');
  const again = await runBaton(['nodes', '--coordinator', `127.0.0.1:${insecurePort}`], { ...env, BATON_INSECURE: '1' });
  t.equal(again.code, 0, again.stderr);
  t.match(again.stderr, /not encrypted or authenticated/, 'and so does BATON_INSECURE=1, on every run');

  const refused = await runBaton(['nodes', '--insecure', '--coordinator', target], env);
  t.equal(refused.code, 1, 'plaintext to the secure coordinator fails');
  t.match(refused.stderr, /warning: the coordinator connection is not encrypted/);
  t.match(refused.stderr, /plaintext/, `it says why: ${refused.stderr.trim().split('\n').pop()}`);
  t.notMatch(refused.stdout, /beta/, 'no listing');
});
