// Secrets and configs on real engines: three namespace hosts with their own dockerd and agent, a
// real coordinator over mutual TLS. A stack's secret is readable in its container at
// /run/secrets/<name> (and at a long-syntax target with its uid and mode), the bind source is on a
// tmpfs, and the plain text is nowhere else: not in any host's directory (agent data, Docker's
// data root), not in the coordinator's data dir, not in `docker inspect`, not in any `baton`
// output, not in the coordinator's or the agents' logs (at debug level). Only the node that runs
// the replica holds it. `secret rm` is refused while the service uses it; removing the stack
// removes the secret and the node's copy.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listNodes } from '../fixtures/control.js';
import { TEST_IMAGE, testbedSkip } from '../fixtures/docker-env.js';
import { BATON_BIN, freePort, joinTokenOf, runBaton, startBaton, waitFor, type Proc } from '../fixtures/processes.js';
import { Testbed, type TestbedHost } from '../fixtures/testbed.js';

const skip = await testbedSkip(t);
const TMPFS_MAGIC = 0x01021994;

/** Paths under `dir` whose content holds `needle` (fifos, sockets and devices skipped). */
async function filesHolding(dir: string, needle: string): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('grep', ['-rlF', '-D', 'skip', '--', needle, dir], { maxBuffer: 1 << 20 });
    return stdout.trim().split('\n').filter(Boolean);
  } catch (err) {
    // grep: 1 = no match; 2 = an unreadable file (a vanished one), with the matches still printed.
    const e = err as { code?: number; stdout?: string };
    if (e.code === 1) return [];
    return (e.stdout ?? '').trim().split('\n').filter(Boolean);
  }
}

t.test('a secret reaches its container from memory and nowhere else', { skip }, async (t) => {
  const tb = await Testbed.start({ hosts: 3, t });
  const dir = await mkdtemp(join(tmpdir(), 'baton-secrets-tb-'));
  const port = await freePort();
  const target = `127.0.0.1:${port}`;
  const env = { BATON_COORDINATOR: target, BATON_CONFIG: join(dir, 'c', 'admin.json') };
  process.env.BATON_CONFIG = env.BATON_CONFIG;
  const coordinator: Proc = startBaton(['coordinator', '--listen', `0.0.0.0:${port}`, '--data-dir', join(dir, 'c'), '--metrics-listen', 'off'], { BATON_LOG_LEVEL: 'debug' });
  t.teardown(() => coordinator.kill('SIGKILL'));
  const token = await joinTokenOf(coordinator);
  const agentLogs = new Map<string, string>();
  const secretsDir = (h: TestbedHost) => `/dev/shm/baton-tb-secrets-${process.pid}-${h.name}`;
  for (const h of tb.hosts) {
    agentLogs.set(h.name, '');
    const a = h.spawn(process.execPath, [BATON_BIN, 'agent', '--coordinator', `${tb.coordinatorAddress}:${port}`, '--name', h.name, '--data-dir', join(h.dir, 'agent')], {
      env: { BATON_LOG_LEVEL: 'debug', BATON_TOKEN: token, BATON_SECRETS_DIR: secretsDir(h) },
    });
    const add = (d: Buffer) => agentLogs.set(h.name, agentLogs.get(h.name)! + d.toString());
    a.stdout?.on('data', add);
    a.stderr?.on('data', add);
    t.teardown(() => void a.kill('SIGKILL'));
    t.teardown(() => rm(secretsDir(h), { recursive: true, force: true }));
  }
  await waitFor('3 ready nodes', async () => (await listNodes(target)).filter((n) => n.status === 'ready' && n.usage).length === 3, 30_000);

  const PLAIN = `pw-${randomBytes(12).toString('hex')}`;
  const CONF = `conf-${randomBytes(6).toString('hex')}`;
  await writeFile(join(dir, 'pw.txt'), PLAIN);
  await writeFile(join(dir, 'app.conf'), CONF);
  const file = join(dir, 'compose.yaml');
  await writeFile(file, `name: vault
services:
  app:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
    secrets:
      - pw
      - source: pw
        target: /etc/key
        uid: "100"
        mode: 0400
    configs:
      - source: conf
        target: /etc/app.conf
secrets:
  pw:
    file: ./pw.txt
configs:
  conf:
    file: ./app.conf
`);
  const outputs: string[] = [];
  const baton = async (args: string[]) => {
    const r = await runBaton(args, env);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  const deployed = await baton(['deploy', '-f', file, '--timeout', '60']);
  t.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  let where: { host: TestbedHost; id: string } | undefined;
  await waitFor('app running', async () => {
    for (const h of tb.hosts) {
      const r = await h.docker(['ps', '-q', '--filter', 'label=io.baton.stack=vault']);
      const id = r.stdout.trim();
      if (r.code === 0 && id) where = { host: h, id };
    }
    return where;
  }, 30_000);
  const { host, id } = where!;

  await t.test('readable in the container, with the long syntax target, uid and mode', async (t) => {
    t.equal((await host.docker(['exec', id, 'cat', '/run/secrets/pw'])).stdout, PLAIN);
    t.equal((await host.docker(['exec', id, 'stat', '-c', '%u %a', '/etc/key'])).stdout.trim(), '100 400');
    t.equal((await host.docker(['exec', id, 'stat', '-c', '%a', '/run/secrets/pw'])).stdout.trim(), '444');
    t.equal((await host.docker(['exec', id, 'cat', '/etc/app.conf'])).stdout, CONF);
    const write = await host.docker(['exec', id, 'sh', '-c', 'echo x > /run/secrets/pw']);
    t.not(write.code, 0, 'read-only in the container');
  });

  await t.test('mounted from a tmpfs, and nowhere in plain text on any disk', async (t) => {
    const inspectText = (await host.docker(['inspect', id])).stdout;
    t.notOk(inspectText.includes(PLAIN), 'docker inspect does not show it');
    const mounts = (JSON.parse(inspectText)[0].Mounts as { Source: string; Destination: string }[]).filter((m) => m.Destination === '/run/secrets/pw' || m.Destination === '/etc/key');
    t.equal(mounts.length, 2);
    for (const m of mounts) {
      t.ok(m.Source.startsWith(secretsDir(host)), `${m.Destination} comes from the agent's secrets dir`);
      t.equal((await statfs(m.Source)).type, TMPFS_MAGIC, `${m.Destination}: its source is on a tmpfs`);
    }
    for (const h of tb.hosts) {
      t.same(await filesHolding(h.dir, PLAIN), [], `${h.name}: not in the host's directory (agent data dir, Docker data root)`);
      if (h !== host) t.same(await filesHolding(secretsDir(h), PLAIN).catch(() => []), [], `${h.name} runs no replica of app: it was never sent the secret`);
    }
    t.same(await filesHolding(join(dir, 'c'), PLAIN), [], "not in the coordinator's data dir (state.json holds it sealed)");
    const ps = await host.exec('ps', ['-eo', 'args']);
    t.notOk(ps.stdout.includes(PLAIN), 'not in any process arguments');
  });

  await t.test('ls shows it in use; rm is refused while used', async (t) => {
    const ls = await baton(['secret', 'ls', '--json']);
    t.equal(ls.code, 0, ls.stderr);
    const list = JSON.parse(ls.stdout) as { name: string; usedBy: string[]; stack: string }[];
    t.same(list.map((s) => [s.name, s.usedBy, s.stack]), [['vault_pw', ['vault/app'], 'vault']]);
    await baton(['secret', 'ls']);
    await baton(['config', 'ls']);
    const inspect = await baton(['config', 'inspect', 'vault_conf']);
    t.equal(inspect.stdout, CONF, 'a config may be printed');
    outputs.pop();
    outputs.pop();
    const refused = await baton(['secret', 'rm', 'vault_pw']);
    t.not(refused.code, 0);
    t.match(refused.stderr, /secret vault_pw is in use by vault\/app/);
    await baton(['ps']);
    await baton(['services']);
    await baton(['events']);
    for (const o of outputs) t.notOk(o.includes(PLAIN), 'no baton output shows the secret');
  });

  await t.test('logs never hold it', async (t) => {
    t.notOk(coordinator.output().includes(PLAIN), 'coordinator log (debug)');
    t.ok(coordinator.output().length > 0, 'the coordinator did log');
    for (const [name, log] of agentLogs) t.notOk(log.includes(PLAIN), `agent ${name} log (debug)`);
  });

  await t.test('removing the stack removes the secret and the node\'s copy', async (t) => {
    const r = await baton(['rm', '--stack', 'vault']);
    t.equal(r.code, 0, r.stderr);
    await waitFor('the copy gone', async () => (await readdir(secretsDir(host)).catch(() => [])).length === 0, 30_000);
    const ls = JSON.parse((await baton(['secret', 'ls', '--json'])).stdout) as unknown[];
    t.same(ls, [], 'the stack-created secret went with the stack');
  });
});
