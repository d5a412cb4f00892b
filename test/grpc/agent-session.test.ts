// One agent session (agent/session.ts) against a scripted coordinator over real gRPC: what the
// hello carries, what follows the welcome (every replica's status, then reports each heartbeat),
// commands handed to the worker and acknowledged, goodbye, and the ways a session ends. Host,
// engine and worker are stand-ins: the session's job is the conversation, not what is observed.
import * as grpc from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import type { EngineObservation } from '../../agent/docker-observer.js';
import { Session, type SessionOptions } from '../../agent/session.js';
import type { AgentServiceClient } from '../../shared/grpc/gen/baton/v1/AgentService.js';
import type { CommandAck } from '../../shared/grpc/gen/baton/v1/CommandAck.js';
import { loadProto } from '../../shared/grpc/load.js';
import { createLogger } from '../../shared/logger.js';
import type { HostUsage } from '../../shared/observations.js';
import { waitFor } from '../fixtures/processes.js';
import { ScriptedCoordinator } from '../fixtures/scripted-coordinator.js';

const usage: HostUsage = {
  cpuPercent: 12.5,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  memoryUsedBytes: 1024 ** 3,
  memoryTotalBytes: 8 * 1024 ** 3,
  diskUsedBytes: 10e9,
  diskTotalBytes: 100e9,
  netRxBytesPerSec: 0,
  netTxBytesPerSec: 0,
};

const engine: EngineObservation = {
  up: true,
  error: '',
  version: '27.0-test',
  containers: [
    {
      containerId: 'c1',
      name: 'baton-s-web-0-a1',
      image: 'web:1',
      state: 'running',
      cpuPercent: 0,
      memoryBytes: 0,
      memoryLimitBytes: 0,
      labels: { 'io.baton.allocation': 'a1' },
      exitCode: 0,
      startedAtMs: 0,
      restartCount: 0,
      health: 'none',
      healthOutput: '',
    },
  ],
};

/** A session on a fresh scripted coordinator, with a worker that records what it is handed. */
async function setUp(t: Test, overrides: Partial<SessionOptions> = {}, coordinator: { welcome?: boolean } = {}) {
  const c = await ScriptedCoordinator.start(coordinator);
  t.teardown(() => c.stop());
  const client = new (loadProto().baton.v1.AgentService)(`127.0.0.1:${c.port}`, grpc.credentials.createInsecure()) as AgentServiceClient;
  t.teardown(() => client.close());
  const worker = {
    handled: [] as string[],
    ended: 0,
    currentEvents: () => [{ allocation_id: 'a1', state: 'running' as const, container_id: 'c1', exit_code: 0, error: '', at_ms: 5, restarts: 0 }],
    handle: async (cmd: { command_id: string }): Promise<CommandAck> => {
      worker.handled.push(cmd.command_id);
      return { command_id: cmd.command_id, ok: true, error: '' };
    },
    sessionEnded: () => void worker.ended++,
  };
  let welcomed = 0;
  const session = new Session({
    client,
    nodeId: 'node-1',
    name: 'edge-1',
    address: '10.0.0.7',
    labels: { zone: 'north' },
    cpuMillis: 1500,
    host: { capacity: async () => ({ cpuMillis: 4000, memoryBytes: 8 * 1024 ** 3, diskBytes: 100e9 }), sample: async () => usage },
    engine: { observe: async () => engine },
    worker,
    onWelcome: () => void welcomed++,
    log: createLogger('session-test', 'silent'),
    ...overrides,
  });
  return { c, session, worker, welcomed: () => welcomed };
}

t.test('hello, then the current statuses and a report every heartbeat; commands are acknowledged', async (t) => {
  const { c, session, worker, welcomed } = await setUp(t);
  const ended = session.run();
  await waitFor('two reports', () => c.received.filter((m) => m.body === 'report').length >= 2, 5000);

  const [hello, ...after] = c.received;
  t.match(hello!.hello, {
    node_id: 'node-1',
    name: 'edge-1',
    address: '10.0.0.7',
    // --cpus overrides the detected 4000; memory and disk are as detected
    capacity: { cpu_millis: '1500', memory_bytes: String(8 * 1024 ** 3), disk_bytes: String(100e9) },
    labels: { zone: 'north' },
    docker_version: '27.0-test',
    containers: [{ container_id: 'c1', labels: { 'io.baton.allocation': 'a1' } }],
  });
  t.equal(after[0]!.body, 'container_event', 'every replica status is re-sent first');
  t.match(after[0]!.container_event, { allocation_id: 'a1', state: 'running' });
  const reports = c.received.filter((m) => m.body === 'report').map((m) => m.report!);
  t.same(reports.map((r) => r.seq), reports.map((_, i) => String(i + 1)), 'seq counts from 1');
  t.ok(reports.every((r) => r.session_id === 'scripted-session' && r.docker_up && r.containers.length === 1));
  t.equal(welcomed(), 1);
  t.ok(session.open);

  c.send({ command: { command_id: 'cmd-1', reconcile: { allocation_ids: [] } } });
  await waitFor('ack', () => c.acks('cmd-1').length === 1, 5000);
  t.same(worker.handled, ['cmd-1']);
  t.match(c.acks('cmd-1')[0], { ok: true });

  t.equal(session.send({ container_event: { allocation_id: 'a2', state: 'starting' } }), true);
  await waitFor('event sent through the open session', () => c.events('a2').length === 1, 5000);

  await session.goodbye('test over');
  await t.rejects(ended, 'the stream is cancelled after goodbye');
  t.ok(c.received.some((m) => m.body === 'goodbye' && m.goodbye!.reason === 'test over'), 'goodbye reached the coordinator');
  t.equal(worker.ended, 1, 'the worker hears that the session ended');
  t.notOk(session.open);
  t.equal(session.send({ container_event: { allocation_id: 'a3', state: 'starting' } }), true, 'a closed session drops messages');
});

t.test('no welcome in time: the session gives up', async (t) => {
  const { c, session, worker, welcomed } = await setUp(t, { welcomeTimeoutMs: 300 }, { welcome: false });
  await t.rejects(session.run(), /no welcome from coordinator/);
  t.equal(c.received[0]?.body, 'hello');
  t.equal(welcomed(), 0);
  t.equal(worker.ended, 1);
});

t.test('the coordinator going away ends the session with an error', async (t) => {
  const { c, session, worker } = await setUp(t);
  const ended = session.run();
  await waitFor('welcomed', () => session.open, 5000);
  c.stop();
  await t.rejects(ended);
  t.equal(worker.ended, 1);
  t.notOk(session.open);
});

t.test('goodbye before the stream opens: no stream at all', async (t) => {
  const { c, session } = await setUp(t);
  const ended = session.run(); // still reading capacity and containers
  await session.goodbye('stopping early');
  t.equal(await ended, false, 'not established');
  t.same(c.received, [], 'nothing was sent');
});
