// Reports' containers in the delta encoding (proto ContainerState.unchanged), through the real
// proto serializers of the agent stream: what the agent sends (containersToWireDelta, seeded from
// its hello) parses on the coordinator (parseReport with what the session said before) to exactly
// what the full encoding parses to, over a sequence of reports where containers come, change
// (health, restarts, ports) and go; steady containers travel as usage only; a container marked
// unchanged that the session never described, or one in a hello, is refused naming the field.
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import t from 'tap';
import { parseHello, parseReport } from '../../coordinator/wire.js';
import type { AgentMessage, AgentMessage__Output } from '../../shared/grpc/gen/baton/v1/AgentMessage.js';
import { loaderOptions, packageRoot } from '../../shared/grpc/load.js';
import { containersToWireDelta, containerToWire, describedBy, type ContainerObservation } from '../../shared/observations.js';
import { PROTOCOL_VERSION } from '../../shared/version.js';

const def = protoLoader.loadSync(join(packageRoot(), 'proto', 'baton.proto'), loaderOptions());
const connect = (def['baton.v1.AgentService'] as protoLoader.ServiceDefinition)['Connect']!;
const overTheWire = (m: AgentMessage) => connect.requestDeserialize(connect.requestSerialize(m)) as AgentMessage__Output;
const bytesOf = (m: AgentMessage) => (connect.requestSerialize(m) as Buffer).length;

const c = (id: string, patch: Partial<ContainerObservation> = {}): ContainerObservation => ({
  containerId: id.padEnd(64, '0'), name: `shop_web_${id}`, image: 'web:1', state: 'running', cpuPercent: 1.5, cpuUsageNs: 1_000_000, memoryBytes: 12_000_000, memoryLimitBytes: 64 << 20,
  labels: { 'io.baton.allocation': `a-${id}`, 'io.baton.service': 'web', 'io.baton.stack': 'shop' }, exitCode: 0, startedAtMs: 1_700_000_000_000, restartCount: 0,
  health: 'healthy', healthOutput: '', ipAddress: '172.17.0.2', ports: [{ target: 80, hostPort: 32768, protocol: 'tcp' }], ...patch,
});
const report = (containers: AgentMessage['report'] extends infer R ? R extends { containers?: infer C } ? C : never : never) =>
  overTheWire({ report: { session_id: 's', seq: 1, sent_at_ms: 1, docker_up: true, containers } }).report!;

t.test('a session of reports: the delta encoding parses to what the full one does', async (t) => {
  const hello = [c('a'), c('b')];
  const parsedHello = parseHello(overTheWire({ hello: { node_id: 'n1', name: 'n1', address: '', capacity: { cpu_millis: 1000, memory_bytes: 1 << 30, disk_bytes: 0 }, labels: {}, role: 'worker', agent_version: 't', docker_version: 't', containers: hello.map(containerToWire), protocol: PROTOCOL_VERSION } }).hello!);
  if (!parsedHello.ok) return t.fail(parsedHello.error);
  const described = describedBy(hello.map(containerToWire));
  let before = new Map(parsedHello.value.containers.map((x) => [x.containerId, x]));
  const steps: { name: string; list: ContainerObservation[]; full: number }[] = [
    { name: 'steady: usage moves', list: [c('a', { cpuPercent: 3, cpuUsageNs: 2_000_000 }), c('b', { memoryBytes: 13_000_000 })], full: 0 },
    { name: 'a turns unhealthy with output', list: [c('a', { health: 'unhealthy', healthOutput: 'HTTP 503' }), c('b')], full: 1 },
    { name: 'b restarted in place, c comes', list: [c('a', { health: 'unhealthy', healthOutput: 'HTTP 503' }), c('b', { restartCount: 1, startedAtMs: 1_700_000_100_000 }), c('c')], full: 2 },
    { name: 'a goes, c gets a new host port, no usage counter', list: [c('b', { restartCount: 1, startedAtMs: 1_700_000_100_000 }), c('c', { ports: [{ target: 80, hostPort: 32800, protocol: 'tcp' }], cpuUsageNs: undefined })], full: 1 },
    { name: 'steady again', list: [c('b', { restartCount: 1, startedAtMs: 1_700_000_100_000, cpuPercent: 0 }), c('c', { ports: [{ target: 80, hostPort: 32800, protocol: 'tcp' }], cpuUsageNs: undefined })], full: 0 },
    { name: 'a comes back (same id: described again in full)', list: [c('a'), c('b', { restartCount: 1, startedAtMs: 1_700_000_100_000 }), c('c', { ports: [{ target: 80, hostPort: 32800, protocol: 'tcp' }] })], full: 1 },
  ];
  for (const s of steps) {
    const wire = containersToWireDelta(s.list, described);
    t.equal(wire.filter((w) => !w.unchanged).length, s.full, `${s.name}: ${s.full} described in full`);
    const delta = parseReport(report(wire), before);
    const full = parseReport(report(s.list.map(containerToWire)));
    if (!delta.ok || !full.ok) return t.fail(`${s.name}: ${!delta.ok ? delta.error : ''} ${!full.ok ? full.error : ''}`);
    t.strictSame(delta.value.containers, full.value.containers, `${s.name}: the same observations`);
    before = new Map(delta.value.containers.map((x) => [x.containerId, x]));
  }
  const steady = Array.from({ length: 10 }, (_, i) => c(`s${i}`));
  const d = describedBy(steady.map(containerToWire));
  const deltaBytes = bytesOf({ report: { session_id: 's', seq: 1, containers: containersToWireDelta(steady, d) } });
  const fullBytes = bytesOf({ report: { session_id: 's', seq: 1, containers: steady.map(containerToWire) } });
  t.ok(deltaBytes * 2 < fullBytes, `10 steady containers: ${deltaBytes} bytes against ${fullBytes} in full`);
});

t.test('unchanged for a container the session never described, or in a hello: refused naming the field', async (t) => {
  const wire = [{ ...containerToWire(c('a')) }, { container_id: 'x'.repeat(64), cpu_percent: 1, unchanged: true }];
  const r = parseReport(report(wire), new Map());
  t.notOk(r.ok);
  if (!r.ok) t.equal(r.error, `report.containers.1.unchanged: container "${'x'.repeat(64)}" was not described before on this session`);
  const h = parseHello(overTheWire({ hello: { node_id: 'n1', name: 'n1', address: '', capacity: { cpu_millis: 1000, memory_bytes: 1 << 30, disk_bytes: 0 }, labels: {}, role: 'worker', agent_version: 't', docker_version: 't', containers: [{ container_id: 'y', unchanged: true }], protocol: PROTOCOL_VERSION } }).hello!);
  t.notOk(h.ok);
  if (!h.ok) t.equal(h.error, 'hello.containers.0.unchanged: a hello describes every container in full');
});
