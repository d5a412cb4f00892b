// One bad or hostile agent cannot take the coordinator down: every violation ends that stream
// alone with a clear status, and what is already stored is kept. Real gRPC on loopback.
import t from 'tap';
import { status } from '@grpc/grpc-js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { byName, listEvents, listNodes } from '../fixtures/control.js';
import { hello, openStream, report, sendRawBytes } from '../fixtures/scripted-agent.js';
import { sleep, waitFor } from '../fixtures/processes.js';

const dataDir = await mkdtemp(join(tmpdir(), 'baton-hostile-'));
// Plaintext on purpose: these are the stream protocol's own checks, for scripted node ids; the same
// hostile input over mutual TLS is fuzz.test.ts's, and certificates' checks are security.test.ts's.
const c = await Coordinator.start({
  insecure: true,
  listen: '127.0.0.1:0',
  dataDir,
  heartbeatIntervalMs: 200,
  suspectAfterMs: 1500,
  downAfterMs: 2500,
  tickMs: 50,
  logger: createLogger('coordinator', 'silent'),
});
const target = `127.0.0.1:${c.address.port}`;
process.env.BATON_INSECURE = '1';
t.teardown(() => c.stop());

// A well-behaved node that must stay ready through everything below.
const good = openStream(target);
good.write(hello('good-node', 'good'));
const welcome = await good.next();
const goodSession = welcome.welcome!.session_id;
let seq = 0;
const keepReporting = setInterval(() => good.write(report(goodSession, ++seq)), 100);
t.teardown(() => {
  clearInterval(keepReporting);
  good.cancel();
});

t.test('welcome carries a session id and the heartbeat interval', async (t) => {
  t.equal(welcome.body, 'welcome');
  t.match(goodSession, /^[0-9a-f-]{36}$/);
  t.equal(welcome.welcome!.heartbeat_interval_ms, 200);
  t.equal(welcome.welcome!.node_id, 'good-node');
});

t.test('bytes that are not a protobuf message', async (t) => {
  const s = await sendRawBytes(target, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99]));
  t.not(s.code, status.OK);
  t.match(s.details, /deserializ|parse|invalid/i);
});

t.test('a message over the size limit', async (t) => {
  const s = await sendRawBytes(target, Buffer.alloc(5 * 1024 * 1024, 1));
  t.equal(s.code, status.RESOURCE_EXHAUSTED);
});

t.test('first message is not a hello', async (t) => {
  const s = openStream(target);
  s.write(report('whatever', 1));
  const st = await s.status;
  t.equal(st.code, status.INVALID_ARGUMENT);
  t.match(st.details, /first message must be hello, got report/);
});

t.test('an empty message', async (t) => {
  const s = openStream(target);
  s.write({});
  const st = await s.status;
  t.equal(st.code, status.INVALID_ARGUMENT);
});

const badHellos: [string, Parameters<typeof hello>[2], RegExp][] = [
  ['negative CPU', { capacity: { cpu_millis: -5, memory_bytes: 1, disk_bytes: 0 } }, /hello\.capacity\.cpu_millis: expected a positive integer, got -5/],
  ['no memory', { capacity: { cpu_millis: 1000, memory_bytes: 0, disk_bytes: 0 } }, /hello\.capacity\.memory_bytes/],
  ['missing capacity', { capacity: null }, /hello\.capacity: missing/],
  ['empty name', { name: '' }, /hello\.name: expected 1-253 characters/],
  ['unknown protocol', { protocol: 99 }, /hello\.protocol: 99 is not supported/],
];
for (const [name, extra, msg] of badHellos) {
  t.test(`hello with ${name}`, async (t) => {
    const s = openStream(target);
    s.write(hello('bad-' + name.replace(/\W/g, ''), 'x', extra));
    const st = await s.status;
    t.equal(st.code, status.INVALID_ARGUMENT);
    t.match(st.details, msg);
  });
}

t.test('a node id that is not an id', async (t) => {
  const s = openStream(target);
  s.write(hello('../../etc/passwd', 'evil'));
  const st = await s.status;
  t.equal(st.code, status.INVALID_ARGUMENT);
  t.match(st.details, /hello\.node_id/);
});

t.test('a report for an unknown session', async (t) => {
  const s = openStream(target);
  s.write(hello('unknown-session-node', 'u'));
  await s.next();
  s.write(report('not-my-session', 1));
  const st = await s.status;
  t.equal(st.code, status.FAILED_PRECONDITION);
  t.match(st.details, /unknown session "not-my-session"/);
});

t.test('a report with a non-finite or negative figure', async (t) => {
  const s = openStream(target);
  s.write(hello('nan-node', 'n'));
  const w = await s.next();
  const r = report(w.welcome!.session_id, 1);
  r.report!.host!.cpu_percent = -3;
  s.write(r);
  const st = await s.status;
  t.equal(st.code, status.INVALID_ARGUMENT);
  t.match(st.details, /report\.host\.cpu_percent: expected a non-negative number/);
});

t.test('hello twice on one session', async (t) => {
  const s = openStream(target);
  s.write(hello('twice-node', 't'));
  await s.next();
  s.write(hello('twice-node', 't'));
  const st = await s.status;
  t.equal(st.code, status.FAILED_PRECONDITION);
});

const badEvents: [string, object, RegExp][] = [
  ['a container event without an allocation', { container_event: { allocation_id: '', container_id: 'c1' } }, /container_event\.allocation_id: expected 1-256 characters/],
  ['an oversized command id in an ack', { ack: { command_id: 'x'.repeat(300), ok: true } }, /ack\.command_id: longer than 256 characters/],
];
for (const [name, msg, why] of badEvents) {
  t.test(`${name} ends that stream alone`, async (t) => {
    const s = openStream(target);
    s.write(hello(`bad-event-${name.length}`, `bad-event-${name.length}`));
    await s.next();
    s.write(msg);
    const st = await s.status;
    t.equal(st.code, status.INVALID_ARGUMENT);
    t.match(st.details, why);
  });
}

t.test('a flood of messages is cut off', async (t) => {
  const s = openStream(target);
  s.write(hello('flood-node', 'f'));
  const w = await s.next();
  for (let i = 0; i < 400; i++) s.write(report(w.welcome!.session_id, i));
  const st = await s.status;
  t.equal(st.code, status.RESOURCE_EXHAUSTED);
  t.match(st.details, /messages per second/);
});

t.test('a second stream claiming a live node id is refused; the live one keeps its session', async (t) => {
  const s = openStream(target);
  s.write(hello('good-node', 'impostor'));
  const st = await s.status;
  t.equal(st.code, status.ALREADY_EXISTS);
  t.match(st.details, /already has a live session/);
  await sleep(300);
  const n = byName(await listNodes(target)).good;
  t.equal(n?.status, 'ready');
  t.equal(n?.name, 'good', 'the impostor did not rename the node');
});

t.test('a silent session is superseded by a new one for the same node', async (t) => {
  const first = openStream(target);
  first.write(hello('flaky-node', 'flaky'));
  await first.next();
  // Silent for more than 2 heartbeats (2 x 200 ms): a half-open connection after a cut.
  await sleep(600);
  const second = openStream(target);
  second.write(hello('flaky-node', 'flaky'));
  const w = await second.next();
  t.equal(w.body, 'welcome');
  const st = await first.status;
  t.equal(st.code, status.ABORTED);
  t.match(st.details, /superseded/);
  second.write({ goodbye: { reason: 'done' } });
  second.end();
  await second.status;
});

t.test('goodbye makes the node left at once', async (t) => {
  const s = openStream(target);
  s.write(hello('leaving-node', 'leaving'));
  await s.next();
  s.write({ goodbye: { reason: 'maintenance' } });
  s.end();
  const st = await s.status;
  t.equal(st.code, status.OK);
  const n = byName(await listNodes(target)).leaving;
  t.equal(n?.status, 'left');
});

t.test('after all that, the coordinator serves, the good node is ready and nothing stored was lost', async (t) => {
  const nodes = byName(await listNodes(target));
  t.equal(nodes.good?.status, 'ready');
  t.ok(nodes.good!.usage!.cpu_percent > 0, 'usage of the good node is live');
  for (const name of ['u', 'n', 't', 'f', 'flaky', 'leaving']) t.ok(nodes[name], `${name} is still in the pool`);
  const events = await listEvents(target);
  t.ok(events.some((e) => e.node_name === 'good' && e.type === 'node.joined'));
  await c.store.flush();
  t.equal(Object.keys(c.store.state.nodes).length, Object.keys(nodes).length);
});

t.test('a node that stops reporting becomes suspect, then down', async (t) => {
  const s = openStream(target);
  s.write(hello('quiet-node', 'quiet'));
  await s.next();
  const states = new Set<string>();
  await waitFor('quiet to be down', async () => {
    const n = byName(await listNodes(target)).quiet;
    if (n) states.add(n.status);
    return n?.status === 'down';
  }, 5000, 50);
  t.ok(states.has('suspect'), 'passed through suspect');
  s.cancel();
});
