// Converts agent messages from their generated wire types into domain values, validating every
// field an agent controls. Returns a message naming the field on bad input; never throws.
import type { AgentMessage__Output } from '../shared/grpc/gen/baton/v1/AgentMessage.js';
import type { ContainerState__Output } from '../shared/grpc/gen/baton/v1/ContainerState.js';
import type { Hello__Output } from '../shared/grpc/gen/baton/v1/Hello.js';
import type { Report__Output } from '../shared/grpc/gen/baton/v1/Report.js';
import { fail, ok, type Result } from '../shared/result.js';
import { PROTOCOL_VERSION } from '../shared/version.js';
import { HEALTH_STATUSES, toHealthStatus } from '../shared/model/health.js';
import { isNodeRole } from '../shared/model/node-role.js';
import { isReplicaState, REPLICA_STATES } from '../shared/model/replica-state.js';
import type { ContainerObservation } from '../shared/observations.js';
import { ingressReportFromWire, isIPv4, portMappingsFromWire } from '../shared/wire/ingress.js';
import { volumeInventoryFromWire, volumeRemovalFromWire } from '../shared/wire/volume.js';
import type { AgentEvent } from './agent-event.js';
import type { NodeIntroduction, UsageReport } from './node-pool.js';

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_LABELS = 64;
const MAX_CONTAINERS = 5000;
const MAX_TEXT = 1024;

export function parseHello(h: Hello__Output): Result<NodeIntroduction> {
  if (h.protocol !== 0 && h.protocol !== PROTOCOL_VERSION) {
    return fail(`hello.protocol: ${h.protocol} is not supported (this coordinator speaks ${PROTOCOL_VERSION})`);
  }
  if (!NODE_ID.test(h.node_id)) return fail(`hello.node_id: ${JSON.stringify(h.node_id.slice(0, 140))} is not a node id (1-128 of A-Z a-z 0-9 . _ -)`);
  if (h.name === '' || h.name.length > 253) return fail('hello.name: expected 1-253 characters');
  if (h.address.length > 255) return fail('hello.address: longer than 255 characters');
  const cap = h.capacity;
  if (!cap) return fail('hello.capacity: missing');
  if (!isCount(cap.cpu_millis) || cap.cpu_millis <= 0) return fail(`hello.capacity.cpu_millis: expected a positive integer, got ${cap.cpu_millis}`);
  if (!isCount(cap.memory_bytes) || cap.memory_bytes <= 0) return fail(`hello.capacity.memory_bytes: expected a positive integer, got ${cap.memory_bytes}`);
  if (!isCount(cap.disk_bytes)) return fail(`hello.capacity.disk_bytes: expected a non-negative integer, got ${cap.disk_bytes}`);
  const labels = checkLabels(h.labels, 'hello.labels');
  if (!labels.ok) return labels;
  if (h.agent_version.length > MAX_TEXT || h.docker_version.length > MAX_TEXT) return fail('hello.agent_version/docker_version: too long');
  // Empty from agents that predate roles: they are workers.
  const role = h.role === '' ? 'worker' : h.role;
  if (!isNodeRole(role)) return fail(`hello.role: ${JSON.stringify(h.role.slice(0, 40))} is not a node role (expected manager or worker)`);
  const containers = parseContainers(h.containers, 'hello.containers');
  if (!containers.ok) return containers;
  return ok({
    nodeId: h.node_id,
    name: h.name,
    address: h.address,
    capacity: { cpuMillis: cap.cpu_millis, memoryBytes: cap.memory_bytes, diskBytes: cap.disk_bytes },
    labels: labels.value,
    role,
    agentVersion: h.agent_version,
    dockerVersion: h.docker_version,
    containers: containers.value,
  });
}

/**
 * A report, its containers marked `unchanged` filled in from `described` (what this session said
 * of them last: its hello's or its previous report's observations, by container id).
 */
export function parseReport(r: Report__Output, described: ReadonlyMap<string, ContainerObservation> = new Map()): Result<UsageReport> {
  const h = r.host;
  if (h) {
    for (const [k, v] of Object.entries(h)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return fail(`report.host.${k}: expected a non-negative number, got ${String(v)}`);
    }
  }
  const containers = parseContainers(r.containers, 'report.containers', described);
  if (!containers.ok) return containers;
  const ingress = r.ingress ? ingressReportFromWire(r.ingress) : undefined;
  if (ingress && !ingress.ok) return ingress;
  const volumes = r.volumes ? volumeInventoryFromWire(r.volumes, 'report.volumes') : undefined;
  if (volumes && !volumes.ok) return volumes;
  return ok({
    seq: r.seq,
    sentAtMs: r.sent_at_ms,
    host: h
      ? {
          cpuPercent: h.cpu_percent,
          load1: h.load1,
          load5: h.load5,
          load15: h.load15,
          memoryUsedBytes: h.memory_used_bytes,
          memoryTotalBytes: h.memory_total_bytes,
          diskUsedBytes: h.disk_used_bytes,
          diskTotalBytes: h.disk_total_bytes,
          netRxBytesPerSec: h.net_rx_bytes_per_sec,
          netTxBytesPerSec: h.net_tx_bytes_per_sec,
        }
      : undefined,
    dockerUp: r.docker_up,
    dockerError: r.docker_error.slice(0, MAX_TEXT),
    containers: containers.value,
    ...(ingress ? { ingress: ingress.value } : {}),
    ...(volumes ? { volumes: volumes.value } : {}),
  });
}

/** `described` undefined: a hello, where every container must be described in full. */
function parseContainers(list: ContainerState__Output[], path: string, described?: ReadonlyMap<string, ContainerObservation>): Result<ContainerObservation[]> {
  if (list.length > MAX_CONTAINERS) return fail(`${path}: ${list.length} containers, more than ${MAX_CONTAINERS}`);
  const out: ContainerObservation[] = [];
  for (const [i, c] of list.entries()) {
    if (c.container_id === '' || c.container_id.length > 128) return fail(`${path}.${i}.container_id: expected 1-128 characters`);
    if (!Number.isFinite(c.cpu_percent) || c.cpu_percent < 0) return fail(`${path}.${i}.cpu_percent: expected a non-negative number`);
    if (c.unchanged) {
      // Usage only: the rest is what this session said before.
      const before = described?.get(c.container_id);
      if (!described) return fail(`${path}.${i}.unchanged: a hello describes every container in full`);
      if (!before) return fail(`${path}.${i}.unchanged: container ${JSON.stringify(c.container_id.slice(0, 64))} was not described before on this session`);
      out.push(observation(before, c));
      continue;
    }
    const labels = checkLabels(c.labels, `${path}.${i}.labels`);
    if (!labels.ok) return labels;
    if (c.ip_address !== '' && !isIPv4(c.ip_address)) return fail(`${path}.${i}.ip_address: expected a dotted IPv4 address or empty, got ${JSON.stringify(c.ip_address.slice(0, 40))}`);
    const ports = portMappingsFromWire(c.ports, `${path}.${i}.ports`);
    if (!ports.ok) return ports;
    out.push(
      observation(
        {
          containerId: c.container_id,
          name: c.name.slice(0, MAX_TEXT),
          image: c.image.slice(0, MAX_TEXT),
          state: c.state.slice(0, 32),
          labels: labels.value,
          exitCode: c.exit_code,
          startedAtMs: c.started_at_ms,
          restartCount: c.restart_count,
          // A value this coordinator does not know is kept out rather than passed on as health.
          health: toHealthStatus(c.health) ?? 'none',
          healthOutput: c.health_output.slice(0, MAX_TEXT),
          ...(c.ip_address ? { ipAddress: c.ip_address } : {}),
          ...(ports.value.length ? { ports: ports.value } : {}),
        },
        c,
      ),
    );
  }
  return ok(out);
}

/**
 * A container's observation: its description (from this state, or for one marked unchanged from
 * what the session said before) with this state's usage fields, all a report carries of a
 * container marked unchanged. One object literal of one shape, written out: this runs for every
 * container of every report (50,000 a second at 5,000 agents), and V8 builds `{ ...a, ...b }` or
 * a rest-destructured copy several times slower.
 */
function observation(d: Omit<ContainerObservation, 'cpuPercent' | 'memoryBytes' | 'memoryLimitBytes' | 'cpuUsageNs'>, c: ContainerState__Output): ContainerObservation {
  const o: ContainerObservation = {
    containerId: d.containerId,
    name: d.name,
    image: d.image,
    state: d.state,
    cpuPercent: c.cpu_percent,
    memoryBytes: Math.max(0, c.memory_bytes),
    memoryLimitBytes: Math.max(0, c.memory_limit_bytes),
    labels: d.labels,
    exitCode: d.exitCode,
    startedAtMs: d.startedAtMs,
    restartCount: d.restartCount,
    health: d.health,
    healthOutput: d.healthOutput,
  };
  if (c.cpu_usage_ns > 0 && Number.isFinite(c.cpu_usage_ns)) o.cpuUsageNs = c.cpu_usage_ns;
  if (d.ipAddress !== undefined) o.ipAddress = d.ipAddress;
  if (d.ports !== undefined) o.ports = d.ports;
  return o;
}

function checkLabels(labels: Record<string, string>, path: string): Result<Record<string, string>> {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS * 4) return fail(`${path}: ${entries.length} labels, more than ${MAX_LABELS * 4}`);
  for (const [k, v] of entries) {
    if (k === '' || k.length > 253) return fail(`${path}: label key ${JSON.stringify(k.slice(0, 40))} must be 1-253 characters`);
    if (v.length > MAX_TEXT) return fail(`${path}.${k}: value longer than ${MAX_TEXT} characters`);
  }
  return ok({ ...labels });
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

const MAX_ID = 256;
const MAX_LOG_DATA = 256 * 1024;

/** An ack, container event or log chunk as a domain AgentEvent; undefined body is the caller's check. */
export function parseAgentEvent(msg: AgentMessage__Output): Result<AgentEvent> {
  switch (msg.body) {
    case 'ack': {
      const a = msg.ack!;
      if (a.command_id.length > MAX_ID) return fail(`ack.command_id: longer than ${MAX_ID} characters`);
      const volumes = a.volumes ? volumeRemovalFromWire(a.volumes, 'ack.volumes') : undefined;
      if (volumes && !volumes.ok) return volumes;
      return ok({ kind: 'ack', commandId: a.command_id, ok: a.ok, error: a.error.slice(0, MAX_TEXT), ...(volumes ? { volumes: volumes.value } : {}) });
    }
    case 'container_event': {
      const e = msg.container_event!;
      if (e.allocation_id === '' || e.allocation_id.length > MAX_ID) return fail(`container_event.allocation_id: expected 1-${MAX_ID} characters`);
      // An enum value this coordinator does not know arrives as a number.
      if (!isReplicaState(e.state)) return fail(`container_event.state: ${JSON.stringify(String(e.state).slice(0, 40))} is not one of ${REPLICA_STATES.join(', ')}`);
      if (e.container_id.length > 128) return fail('container_event.container_id: longer than 128 characters');
      const health = toHealthStatus(e.health);
      if (health === undefined) return fail(`container_event.health: ${JSON.stringify(e.health.slice(0, 40))} is not one of ${HEALTH_STATUSES.join(', ')}`);
      return ok({
        kind: 'replica',
        allocationId: e.allocation_id,
        state: e.state,
        containerId: e.container_id,
        exitCode: e.exit_code,
        error: e.error.slice(0, MAX_TEXT),
        restarts: e.restarts,
        health,
        healthOutput: e.health_output.slice(0, MAX_TEXT),
      });
    }
    case 'log_chunk': {
      const c = msg.log_chunk!;
      if (c.stream_id.length > MAX_ID) return fail(`log_chunk.stream_id: longer than ${MAX_ID} characters`);
      if (c.data.length > MAX_LOG_DATA) return fail(`log_chunk.data: ${c.data.length} bytes, more than ${MAX_LOG_DATA}`);
      return ok({ kind: 'log', streamId: c.stream_id, data: c.data, eof: c.eof, error: c.error.slice(0, MAX_TEXT), stream: c.stream.slice(0, 16) });
    }
    default:
      return fail(`${String(msg.body)}: not an agent event`);
  }
}
