// `baton logs` end to end: a real coordinator (in process), a real agent process (compiled) and the
// real Docker engine. Tail, one replica, prefixes for several, follow until Ctrl-C with the agent
// really stopping its stream, and one-line errors.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDemuxer } from '../agent/log-stream.js';
import { Coordinator } from '../coordinator/coordinator.js';
import { EventEmitter } from 'node:events';
import { LogRouter, type LogOutput, type LogRouterPorts, type LogsClient } from '../coordinator/log-router.js';
import { commandToWire } from '../coordinator/wire-out.js';
import type { CoordinatorMessage } from '../shared/grpc/gen/baton/v1/CoordinatorMessage.js';
import { createLogger } from '../shared/logger.js';
import { TEST_IMAGE, dockerSkip } from './fixtures/docker-env.js';
import { runBaton, sleep, startBaton, waitFor } from './fixtures/processes.js';

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

const frame = (type: number, text: string) => {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([h, Buffer.from(text)]);
};

t.test("Docker's multiplexed stream is split into frames however it is chunked", async (t) => {
  const stream = Buffer.concat([frame(1, 'out-1\n'), frame(2, 'err-1\n'), frame(1, ''), frame(1, 'out-2\n')]);
  const cases: { name: string; cuts: number[]; want: string[] }[] = [
    { name: 'whole', cuts: [], want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
    // 3: inside the first header; 10: inside the first payload; 14: on a frame boundary.
    { name: 'cut inside headers and payloads', cuts: [3, 10, 14, 20, 30], want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
    { name: 'byte by byte', cuts: [...Array(stream.length).keys()].slice(1), want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
  ];
  for (const c of cases) {
    const d = new FrameDemuxer();
    const got: string[] = [];
    let at = 0;
    for (const cut of [...c.cuts, stream.length]) {
      for (const f of d.push(stream.subarray(at, cut))) got.push(`${f.stream}:${f.data.toString()}`);
      at = cut;
    }
    // Frames cut in pieces come out in pieces; joined per stream run they are the same.
    const joined = got.reduce<string[]>((acc, x) => {
      const [k] = x.split(':');
      if (acc.length && acc.at(-1)!.startsWith(k + ':') && !acc.at(-1)!.endsWith('\n')) acc[acc.length - 1] += x.slice(k!.length + 1);
      else acc.push(x);
      return acc;
    }, []);
    t.same(joined, c.want, c.name);
    t.equal(d.leftover, 0, `${c.name}: nothing left over`);
  }
  const raw = new FrameDemuxer();
  t.same(raw.push(Buffer.from('plain tty output\n')).map((f) => [f.stream, f.data.toString()]), [['stdout', 'plain tty output\n']], 'a raw (TTY) stream passes through as stdout');
  t.same(raw.push(Buffer.from('more\n')).map((f) => f.data.toString()), ['more\n']);
});

/** A LogRouter over its ports: two replicas of web on node n1, and a call whose writes complete on demand. */
function routerHarness(opts: { connected?: boolean } = {}) {
  // What the node pool would write on the session: the commands as wire messages.
  const sent: CoordinatorMessage[] = [];
  const rows = [1, 2].map((replica) => ({ stack: 's', service: 'web', replica, allocationId: `a${replica}`, node: 'n1', desired: 'run' as const, error: '' }));
  const placedOn: Record<string, string> = { a1: 'n1', a2: 'n1' };
  const ports: LogRouterPorts = {
    replicasOf: () => rows,
    nodeOf: (id) => placedOn[id],
    isConnected: () => opts.connected ?? true,
    send: (_id, cmd) => (sent.push(commandToWire(cmd)), true),
  };
  const router = new LogRouter(ports, createLogger('r', 'silent'), { maxClientBacklogBytes: 100 });
  // A client whose writes complete on demand; emitting 'cancelled' is the client going away.
  const events = new EventEmitter();
  const call = Object.assign(events, {
    request: { service: 'web', replica: 0, follow: true, tail: 0 },
    lines: [] as LogOutput[],
    held: [] as (() => void)[],
    ended: false,
    write(line: LogOutput, cb: () => void) {
      this.lines.push(line);
      this.held.push(cb);
    },
    end() {
      this.ended = true;
    },
    fail(err: Error) {
      this.lines.push({ stack: '', service: '', replica: 0, node: '', error: `call failed: ${err.message}` });
      this.ended = true;
    },
    onGone(listener: () => void) {
      events.on('cancelled', listener);
    },
  });
  call satisfies LogsClient;
  router.serve(call);
  const ids = sent.map((m) => m.command!.logs!.stream_id!);
  const chunk = (i: number, text: string, more: { eof?: boolean; error?: string } = {}) =>
    router.onAgentEvent('n1', { kind: 'log', streamId: ids[i]!, data: Buffer.from(text), stream: 'stdout', eof: false, error: '', ...more });
  const flush = () => call.held.splice(0).forEach((cb) => cb());
  const shown = () => call.lines.map((l) => (l.error ? `${l.replica}! ${l.error}` : `${l.replica}: ${String(l.data)}`));
  return { router, call, sent, ids, chunk, flush, shown };
}

t.test('log router: one stream per replica, relayed to the client, ended with the last stream', async (t) => {
  const h = routerHarness();
  t.same(h.sent.map((m) => [m.command!.command_id, m.command!.logs!.allocation_id, m.command!.logs!.follow]), [[h.ids[0], 'a1', true], [h.ids[1], 'a2', true]]);
  h.chunk(0, 'one\n');
  h.chunk(1, 'two\n');
  h.router.onAgentEvent('n2', { kind: 'log', streamId: h.ids[0]!, data: Buffer.from('spoofed\n'), stream: 'stdout', eof: false, error: '' });
  h.chunk(0, '', { eof: true, error: 'no container for allocation a1 on this node' });
  t.notOk(h.call.ended, 'one stream still open');
  h.chunk(1, '', { eof: true });
  h.chunk(1, 'late\n');
  t.same(h.shown(), ['1: one\n', '2: two\n', '1! no container for allocation a1 on this node']);
  t.ok(h.call.ended);
  t.equal(h.router.size, 0);
});

t.test('log router: a slow client loses output, counted, instead of growing the backlog', async (t) => {
  const h = routerHarness();
  h.chunk(0, 'x'.repeat(60) + '\n');
  h.chunk(0, 'y'.repeat(60) + '\n'); // 122 bytes unsent > 100: the next ones are dropped
  h.chunk(0, 'dropped-1\n');
  h.chunk(0, 'dropped-2\n');
  t.equal(h.call.lines.length, 2);
  h.flush();
  h.chunk(0, 'after\n');
  t.same(h.shown().slice(2), ['1! 20 bytes of output dropped: the client read too slowly', '1: after\n']);
});

t.test('log router: cancel, refusal, reconnect and nodes not connected', async (t) => {
  const c = routerHarness();
  c.call.emit('cancelled');
  t.same(c.sent.slice(2).map((m) => [m.command!.command_id, m.command!.logs!.stream_id, m.command!.logs!.cancel]), [[`${c.ids[0]}-cancel`, c.ids[0], true], [`${c.ids[1]}-cancel`, c.ids[1], true]], 'agents told to stop');
  t.equal(c.router.size, 0);

  const r = routerHarness();
  r.router.onAgentEvent('n1', { kind: 'ack', commandId: r.ids[0]!, ok: false, error: 'log streaming is not implemented by this agent yet' });
  r.router.onSessionStart('n1');
  t.same(r.shown(), ['1! the agent cannot stream logs: log streaming is not implemented by this agent yet', '2! node n1 reconnected; its stream was interrupted']);
  t.ok(r.call.ended);

  const d = routerHarness({ connected: false });
  t.same(d.sent, [], 'nothing sent to a node without a session');
  t.same(d.shown(), ['1! node n1 is not connected; its output is not available', '2! node n1 is not connected; its output is not available']);
  t.ok(d.call.ended);
});

t.test('baton logs against a real agent and engine', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-logs-'));
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir: join(dir, 'c'), logger: createLogger('c', 'silent'), reconcileMs: 300 });
  const target = `127.0.0.1:${c.address.port}`;
  const agent = startBaton(['agent', '--coordinator', target, '--name', stack, '--data-dir', join(dir, 'a')], { BATON_LOG_LEVEL: 'warn' });
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
