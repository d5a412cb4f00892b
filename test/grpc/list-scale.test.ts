// Listings larger than one gRPC message (4 MiB) over real gRPC: nodes registered by scripted agents,
// replicas seeded into the state file, read by the fixture client and by the compiled CLI.
import t from 'tap';
import { status } from '@grpc/grpc-js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { collectBatches, controlClient } from '../../shared/cli/client.js';
import type { ContainerState } from '../../shared/grpc/gen/baton/v1/ContainerState.js';
import type { ListNodesResponse__Output } from '../../shared/grpc/gen/baton/v1/ListNodesResponse.js';
import type { ListReplicasResponse__Output } from '../../shared/grpc/gen/baton/v1/ListReplicasResponse.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../../shared/grpc/load.js';
import { createLogger } from '../../shared/logger.js';
import { listEvents, listNodes } from '../fixtures/control.js';
import { runBaton } from '../fixtures/processes.js';
import { hello, openStream, type ScriptedStream } from '../fixtures/scripted-agent.js';
import { joinAs } from '../fixtures/tls.js';
import { seedState } from '../fixtures/seed-state.js';

const svc = loadProto().baton.v1.ControlService.service;
// No report arrives in these tests: keep every node ready for as long as they run.
const quiet = { suspectAfterMs: 600_000, downAfterMs: 1_200_000, logger: createLogger('coordinator', 'silent') };

/** What a Baton-run container looks like in a report: Baton's labels, a 64-character id. */
function container(node: number, k: number): ContainerState {
  const alloc = `${(node * 1000 + k).toString(16).padStart(12, '0')}-shop.web.${k}`;
  return {
    container_id: `${node.toString(16).padStart(8, '0')}${k.toString(16).padStart(8, '0')}`.padEnd(64, 'c'),
    name: `baton-${alloc.slice(0, 12)}-shop-web-${k}`,
    image: 'registry.example.com/shop/web:1.4.2',
    state: 'running',
    cpu_percent: 1.25,
    memory_bytes: 48_000_000,
    memory_limit_bytes: 256 * 1024 * 1024,
    labels: { 'io.baton.stack': 'shop', 'io.baton.service': 'web', 'io.baton.replica': String(k), 'io.baton.allocation': alloc, 'io.baton.generation': '3' },
    exit_code: 0,
    started_at_ms: 1_700_000_000_000 + k,
    restart_count: k % 3,
    health: 'healthy',
  };
}

t.test('nodes: a listing over 4 MiB arrives whole, in order, through the fixture client and the CLI', async (t) => {
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir: await mkdtemp(join(tmpdir(), 'baton-list-nodes-')), ...quiet });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;
  // 150 nodes * 100 containers of about 400 bytes on the wire: about 6 MB (checked below).
  const NODES = 150;
  const CONTAINERS = 100;
  const name = (i: number) => `edge-${String(i).padStart(3, '0')}`;
  const streams: ScriptedStream[] = [];
  t.teardown(() => streams.forEach((s) => s.cancel()));
  for (let i = 0; i < NODES; i++) {
    const s = openStream(await joinAs(c, `list-node-${i}`));
    streams.push(s);
    s.write(hello(`list-node-${i}`, name(i), { containers: Array.from({ length: CONTAINERS }, (_, k) => container(i, k)) }));
  }
  const welcomed = await Promise.all(streams.map((s) => s.next()));
  t.ok(welcomed.every((m) => m.body === 'welcome'), `${NODES} agents welcomed`);

  const nodes = await listNodes(target, 30_000);
  const wire = svc.ListNodes.responseSerialize({ nodes }).length;
  t.ok(wire > MAX_MESSAGE_BYTES, `the listing is ${wire} bytes as one message, over the ${MAX_MESSAGE_BYTES}-byte limit`);
  t.equal(nodes.length, NODES);
  t.same(nodes.map((n) => n.name), Array.from({ length: NODES }, (_, i) => name(i)), 'every node once, sorted by name');
  t.ok(nodes.every((n) => n.status === 'ready' && n.containers.length === CONTAINERS));
  t.match(nodes[42]!.containers[7], { ...container(42, 7), cpu_percent: 1.25 }, 'a sample container as the agent reported it');

  const batches = await new Promise<number[]>((resolve, reject) => {
    const client = controlClient(target);
    const sizes: number[] = [];
    const call = client.ListNodes({});
    call.on('data', (b: ListNodesResponse__Output) => sizes.push(b.nodes.length));
    call.on('error', reject);
    call.on('end', () => (client.close(), resolve(sizes)));
  });
  t.ok(batches.length > 1, `${batches.length} batches`);
  t.equal(batches.reduce((a, b) => a + b, 0), NODES);

  // What `baton nodes` asks for: the same nodes, each with its container count and no containers.
  const counted = await new Promise<ListNodesResponse__Output['nodes']>((resolve, reject) => {
    const client = controlClient(target);
    collectBatches(client.ListNodes({ container_counts_only: true }), (b: ListNodesResponse__Output) => b.nodes).then((n) => (client.close(), resolve(n)), reject);
  });
  t.same(counted.map((n) => n.name), nodes.map((n) => n.name), 'counts only: the same nodes in the same order');
  t.ok(counted.every((n) => n.containers.length === 0 && n.container_count === CONTAINERS), `counts only: no containers, a count of ${CONTAINERS}`);
  t.ok(nodes.every((n) => n.container_count === CONTAINERS), 'a full listing carries the count too');

  const json = await runBaton(['nodes', '--json', '--coordinator', target]);
  t.equal(json.code, 0, json.stderr);
  const listed = JSON.parse(json.stdout) as { name: string; status: string; containers: number }[];
  t.equal(listed.length, NODES);
  t.match(listed[42], { name: name(42), status: 'ready', containers: CONTAINERS, labels: { zone: 'test' } });
  const table = await runBaton(['nodes', '--coordinator', target]);
  t.equal(table.code, 0, table.stderr);
  t.equal(table.stdout.trim().split('\n').length, NODES + 1, 'a header and one row per node');
});

t.test('nodes: a client that stops reading or cancels holds up nothing else', async (t) => {
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir: await mkdtemp(join(tmpdir(), 'baton-list-slow-')), ...quiet });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;
  const streams: ScriptedStream[] = [];
  t.teardown(() => streams.forEach((s) => s.cancel()));
  for (let i = 0; i < 150; i++) {
    const s = openStream(await joinAs(c, `slow-node-${i}`));
    streams.push(s);
    s.write(hello(`slow-node-${i}`, `slow-${i}`, { containers: Array.from({ length: 100 }, (_, k) => container(i, k)) }));
  }
  for (const s of streams) await s.next();

  // A reader that pauses after the first batch: the coordinator keeps serving other calls.
  const client = controlClient(target);
  t.teardown(() => client.close());
  const paused = client.ListNodes({});
  let got = 0;
  await new Promise<void>((resolve, reject) => {
    paused.once('data', (b: ListNodesResponse__Output) => {
      got += b.nodes.length;
      paused.pause();
      resolve();
    });
    paused.once('error', reject);
  });
  t.ok(got > 0 && got < 150, `first batch: ${got} nodes`);
  const events = await listEvents(target, 5000);
  t.equal(events.filter((e) => e.type === 'node.joined').length, 150, 'another listing completes while one reader is paused');
  t.equal((await listNodes(target, 30_000)).length, 150, 'and so does a second node listing');
  const rest = new Promise<number>((resolve, reject) => {
    paused.on('data', (b: ListNodesResponse__Output) => (got += b.nodes.length));
    paused.on('end', () => resolve(got));
    paused.on('error', reject);
  });
  paused.resume();
  t.equal(await rest, 150, 'the paused reader gets the rest once it reads again');

  // A reader that cancels after the first batch gets CANCELLED; the coordinator carries on.
  const cancelled = client.ListNodes({});
  const outcome = await new Promise<number>((resolve) => {
    cancelled.once('data', () => cancelled.cancel());
    cancelled.on('error', (err: { code?: number }) => resolve(err.code ?? -1));
    cancelled.on('end', () => resolve(status.OK));
  });
  t.equal(outcome, status.CANCELLED);
  t.equal((await listNodes(target, 30_000)).length, 150, 'the next listing is whole');
});

t.test('replicas: `baton ps --json` lists 101,000 replicas seeded into the state file', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-list-replicas-'));
  // 10 stacks * 100 services * 101 replicas = 101,000 allocations on 100 nodes (1,010 each).
  const seeded = await seedState(dataDir, { nodes: 100, stacks: 10, servicesPerStack: 100, replicasPerService: 101 });
  t.equal(seeded.replicas, 101_000);
  const c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, ...quiet });
  t.teardown(() => c.stop());
  const target = `127.0.0.1:${c.address.port}`;
  process.env.BATON_CONFIG = c.adminCredentialFile;

  const client = controlClient(target);
  const wireRows = await collectBatches(client.ListReplicas({ service: '' }), (b: ListReplicasResponse__Output) => b.replicas);
  client.close();
  const wire = svc.ListReplicas.responseSerialize({ replicas: wireRows }).length;
  t.ok(wire > MAX_MESSAGE_BYTES, `the listing is ${wire} bytes as one message, over the ${MAX_MESSAGE_BYTES}-byte limit`);

  const r = await runBaton(['ps', '--json', '--coordinator', target]);
  t.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  t.equal(rows.length, 101_000);
  // Sorted by stack, service, replica: stack 3, service 42, replica 7 is row 3*100*101 + 42*101 + 6.
  const a = seeded.allocation(3, 42, 7);
  const { uptimeMs, ...row } = rows[3 * 100 * 101 + 42 * 101 + 6]!;
  t.same(row, {
    service: 'svc0042', stack: 'stack003', replica: 7, node: seeded.nodeNameOf(a.nodeId), containerId: a.observed!.containerId.slice(0, 12),
    state: 'pending', desired: 'run', restarts: 0, cpuPercent: 0, memoryBytes: 0, allocationId: a.id, generation: 1, error: '',
    // Not running (no report from its node): no verdict.
    health: 'none', healthOutput: '',
  });
  t.ok(typeof uptimeMs === 'number' && uptimeMs >= 0, 'uptime from the recorded start');

  const one = await runBaton(['ps', 'stack003/svc0042', '--json', '--coordinator', target]);
  t.equal(one.code, 0, one.stderr);
  t.equal(JSON.parse(one.stdout).length, 101, 'a service filter still applies');
  const bad = await runBaton(['ps', 'nosuch', '--coordinator', target]);
  t.equal(bad.code, 2, 'an unknown service is still bad input');
  t.match(bad.stderr, /no service named "nosuch"/);
});
