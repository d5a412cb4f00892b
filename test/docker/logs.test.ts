// `baton logs` end to end: a real coordinator (in process), a real agent process (compiled) and the
// real Docker engine. Tail, one replica, prefixes for several, follow until Ctrl-C with the agent
// really stopping its stream, and one-line errors.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { TEST_IMAGE, dockerSkip } from '../fixtures/docker-env.js';
import { runBaton, sleep, startBaton, waitFor } from '../fixtures/processes.js';

const skip = await dockerSkip(t);
const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const stack = `lg${process.pid}`;

// `$$` is Compose's escape for a literal `$`.
const script = "trap 'exit 0' TERM; echo hello-1 from $$(hostname); echo err-1 >&2; i=0; while true; do i=$$((i+1)); echo tick-$$i; sleep 0.3; done";
const service = (replicas: number) => `    image: ${TEST_IMAGE}
    command: ["sh", "-c", ${JSON.stringify(script)}]
    stop_grace_period: 1s
    deploy:
      replicas: ${replicas}
`;

const lines = (s: string) => s.split('\n').filter(Boolean);

t.test('baton logs against a real agent and engine', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-logs-'));
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir: join(dir, 'c'), logger: createLogger('c', 'silent'), reconcileMs: 300 });
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;
  const agent = startBaton(['agent', '--coordinator', target, '--name', stack, '--data-dir', join(dir, 'a')], { BATON_LOG_LEVEL: 'warn', BATON_TOKEN: c.authority!.joinToken() });
  t.teardown(async () => {
    if (agent.child.exitCode === null) await runBaton(['rm', '--stack', stack, '--coordinator', target]);
    await agent.kill('SIGKILL');
    const left = docker('ps', '-aq', '--filter', `label=io.baton.stack=${stack}`);
    if (left) docker('rm', '-f', ...left.split('\n'));
    await c.stop();
  });
  await waitFor('agent ready', () => c.pool.list().some((n) => n.connected && n.status === 'ready'), 20_000);

  const file = join(dir, 'compose.yaml');
  await writeFile(file, `name: ${stack}\nservices:\n  one:\n${service(1)}  two:\n${service(2)}  big:
    image: ${TEST_IMAGE}
    command: ["sh", "-c", "seq 1 200000; trap 'exit 0' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1s
  quiet:
${service(1)}    logging: { driver: none }
  sys:
${service(1)}    logging: { driver: syslog, options: { syslog-address: "udp://127.0.0.1:5514" } }
`);
  const deployed = await runBaton(['deploy', '-f', file, '--coordinator', target, '--timeout', '40']);
  t.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  // Enough ticks that the tail is all ticks.
  await sleep(2500);
  const logs = (...args: string[]) => runBaton(['logs', ...args, '--coordinator', target]);
  const containerOf = (svc: string, replica: number) =>
    docker('ps', '-q', '--filter', `label=io.baton.stack=${stack}`, '--filter', `label=io.baton.service=${svc}`, '--filter', `label=io.baton.replica=${replica}`);

  // Every chunk the coordinator receives, by stream id: proves what the agent sends, not what the CLI shows.
  const chunks = new Map<string, number>();
  let largestChunk = 0;
  const onAgentEvent = c.logs.onAgentEvent.bind(c.logs);
  c.logs.onAgentEvent = (nodeId, e) => {
    if (e.kind === 'log') {
      chunks.set(e.streamId, (chunks.get(e.streamId) ?? 0) + 1);
      largestChunk = Math.max(largestChunk, e.data.length);
    }
    onAgentEvent(nodeId, e);
  };

  await t.test('one replica, the whole log: stdout and stderr apart, no prefix', async (t) => {
    const r = await logs('one');
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /^hello-1 from [0-9a-f]{12}\ntick-1\ntick-2\n/);
    t.notMatch(r.stdout, /err-1|\|/);
    t.equal(r.stderr, 'err-1\n');
    t.equal(c.logs.size, 0, 'no stream left open at the coordinator');
  });

  await t.test('--tail 5: the last five lines', async (t) => {
    const r = await logs('one', '--tail', '5');
    t.equal(r.code, 0, r.stderr);
    const got = lines(r.stdout);
    t.equal(got.length, 5, r.stdout);
    const n = got.map((l) => Number(/^tick-(\d+)$/.exec(l)?.[1]));
    t.same(n, [n[0], n[0]! + 1, n[0]! + 2, n[0]! + 3, n[0]! + 4], 'consecutive ticks');
    t.ok(n[0]! > 1, 'from the end, not the start');
  });

  await t.test('several replicas: every line prefixed service.N', async (t) => {
    const r = await logs('two', '--tail', '3');
    t.equal(r.code, 0, r.stderr);
    const got = lines(r.stdout);
    t.equal(got.length, 6, r.stdout);
    for (const l of got) t.match(l, /^two\.[12] \| tick-\d+$/);
    t.equal(got.filter((l) => l.startsWith('two.1 | ')).length, 3);
    t.equal(got.filter((l) => l.startsWith('two.2 | ')).length, 3);
    const all = await logs(`${stack}/two`);
    t.equal(all.code, 0, all.stderr);
    t.match(all.stderr, /^two\.1 \| err-1$/m, 'stderr lines are prefixed too');
    t.match(all.stderr, /^two\.2 \| err-1$/m);
  });

  await t.test('--replica 2: only that replica, unprefixed', async (t) => {
    const r = await logs('two', '--replica', '2');
    t.equal(r.code, 0, r.stderr);
    const id2 = containerOf('two', 2).slice(0, 12);
    const id1 = containerOf('two', 1).slice(0, 12);
    t.ok(id1 && id2 && id1 !== id2);
    t.match(r.stdout, new RegExp(`^hello-1 from ${id2}$`, 'm'));
    t.notMatch(r.stdout, new RegExp(id1));
    t.notMatch(r.stdout, /\|/);
  });

  await t.test('--follow streams new lines until Ctrl-C; the agent stops streaming', async (t) => {
    chunks.clear();
    const f = startBaton(['logs', 'two', '--follow', '--tail', '1', '--coordinator', target]);
    t.teardown(() => f.kill('SIGKILL'));
    const ticks = (replica: number) => lines(f.output()).filter((l) => l.startsWith(`two.${replica} | tick-`)).length;
    await waitFor('new ticks from both replicas', () => ticks(1) >= 4 && ticks(2) >= 4, 15_000);
    t.equal(c.logs.size, 2, 'two streams relayed');
    t.equal(chunks.size, 2, 'the agent streams two');
    await f.kill('SIGINT');
    t.equal(f.child.exitCode, 0, f.output());
    await waitFor('streams released at the coordinator', () => c.logs.size === 0, 5_000);
    // A chunk already in flight may still arrive; after that, nothing more.
    await sleep(700);
    const settled = [...chunks.values()].reduce((a, b) => a + b, 0);
    await sleep(1500);
    t.equal([...chunks.values()].reduce((a, b) => a + b, 0), settled, 'no chunks after the cancel');
    t.equal(agent.child.exitCode, null, 'agent still running');
    t.ok(c.pool.list().some((n) => n.connected), 'agent still connected');
    const again = await logs('one', '--tail', '1');
    t.equal(again.code, 0, 'and still serves logs');
    t.match(again.stdout, /^tick-\d+\n$/);
  });

  await t.test('a large log arrives whole, in chunks of at most 64 KiB, without tripping the flood limit', async (t) => {
    chunks.clear();
    largestChunk = 0;
    const r = await logs('big');
    t.equal(r.code, 0, r.stderr);
    const got = lines(r.stdout);
    t.equal(got.length, 200_000);
    t.equal(got[0], '1');
    t.equal(got.at(-1), '200000');
    // The bound is the contract; how full chunks get depends on timing (the agent flushes what
    // it has every 100 ms), so under load they may close early.
    t.ok(largestChunk > 0 && largestChunk <= 64 * 1024, `largest chunk ${largestChunk} bytes: never more than 64 KiB`);
    t.ok(c.pool.list().some((n) => n.connected), 'the session survived');
    t.notMatch(agent.output(), /stream error|session failed/);
  });

  await t.test('logging drivers: read back through Docker where it can (syslog via its cache), the reason where it cannot (none)', async (t) => {
    t.equal(docker('inspect', '-f', '{{.HostConfig.LogConfig.Type}}', containerOf('quiet', 1)), 'none');
    t.equal(docker('inspect', '-f', '{{.HostConfig.LogConfig.Type}}', containerOf('sys', 1)), 'syslog');
    const sys = await logs(`${stack}/sys`, '--tail', '50');
    t.equal(sys.code, 0, sys.stderr);
    t.match(sys.stdout, /tick-\d+/, 'syslog: the lines come back through Docker\'s dual-logging cache');
    const quiet = await logs(`${stack}/quiet`);
    t.equal(quiet.code, 1, 'none: an error');
    t.match(quiet.stderr, /logging driver keeps no log Docker can read back \(Compose logging.driver none/, quiet.stderr);
    t.equal(lines(quiet.stderr).length, 1, 'one line');
  });

  await t.test('one-line errors: unknown service or replica exit 2', async (t) => {
    const r = await logs('nope');
    t.equal(r.code, 2);
    t.equal(r.stderr, 'baton: no service named "nope"\n');
    const f = await logs('nope', '--follow', '--replica', '1');
    t.equal(f.code, 2);
    t.equal(f.stderr, 'baton: no service named "nope"\n');
    const n = await logs('two', '--replica', '9');
    t.equal(n.code, 2);
    t.equal(n.stderr, 'baton: two has no replica 9 (replicas: 1, 2)\n');
    const bad = await logs('two', '--tail', 'lots');
    t.equal(bad.code, 2);
    t.match(bad.stderr, /^baton: --tail: "lots" is not a line count or "all"\n$/);
  });

  await t.test('a node that is not connected: said per replica, exit 1', async (t) => {
    await agent.kill('SIGKILL');
    await waitFor('agent gone', () => !c.pool.list().some((n) => n.connected), 10_000);
    const r = await logs('two');
    t.equal(r.code, 1);
    t.equal(r.stdout, '');
    t.match(r.stderr, new RegExp(`^baton: two\\.1 on ${stack}: node ${stack} is not connected; its output is not available$`, 'm'));
    t.match(r.stderr, /^baton: two\.2 on /m);
  });
});
