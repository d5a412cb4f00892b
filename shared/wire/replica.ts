// The StartReplica mapping, both halves: the coordinator builds the message from an allocation and
// its service (toStartReplica); the agent turns it back into a ReplicaSpec, checking every field
// the executor relies on (fromStartReplica). test/unit/wire-replica.test.ts holds the round trip.
// Loaded by the agent: import nothing from the Compose package but its defaults and types.
import { DEFAULT_RESTART_POLICY, DEFAULT_STOP_GRACE_MS } from '../compose/defaults.js';
import type { HealthcheckSpec, HealthProbeSpec, RestartPolicySpec, ServiceSpec } from '../compose/types.js';
import type { Argv } from '../grpc/gen/baton/v1/Argv.js';
import type { Healthcheck, Healthcheck__Output } from '../grpc/gen/baton/v1/Healthcheck.js';
import type { PortBinding, PortBinding__Output } from '../grpc/gen/baton/v1/PortBinding.js';
import type { RestartCondition__Output } from '../grpc/gen/baton/v1/RestartCondition.js';
import type { RestartPolicy, RestartPolicy__Output } from '../grpc/gen/baton/v1/RestartPolicy.js';
import type { StartReplica, StartReplica__Output } from '../grpc/gen/baton/v1/StartReplica.js';
import type { MountSpec } from '../compose/types.js';
import type { FileMount, FileMount__Output } from '../grpc/gen/baton/v1/FileMount.js';
import type { ReplicaFile, ReplicaPort, ReplicaSpec } from '../model/replica-spec.js';
import { fail, ok, type Result } from '../result.js';
import { containerFromWire, containerToWire, mountFromWire, mountToWire } from './container.js';

/** Which allocation a start is for: the part of the coordinator's record the message carries. */
export interface AllocationRef {
  readonly id: string;
  readonly generation: number;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
}

/** The part of a service its replicas' containers are made from. */
export type ReplicaTemplate = Pick<
  ServiceSpec,
  'image' | 'command' | 'entrypoint' | 'environment' | 'labels' | 'limits' | 'restartPolicy' | 'healthcheck' | 'stopGraceMs' | 'container' | 'mounts' | 'onDisconnect'
> & { readonly ports: readonly ReplicaPort[]; readonly extraHosts?: Readonly<Record<string, string>>; readonly files?: readonly ReplicaFile[] };

type Condition = RestartPolicySpec['condition'];

// Records over the full unions: a condition added on either side fails the build until mapped.
const CONDITION_TO_WIRE: Readonly<Record<Condition, RestartCondition__Output>> = { any: 'any', none: 'none', 'on-failure': 'on_failure' };
const CONDITION_FROM_WIRE: Readonly<Record<RestartCondition__Output, Condition>> = { any: 'any', none: 'none', on_failure: 'on-failure' };

export function toStartReplica(allocation: AllocationRef, service: ReplicaTemplate): StartReplica {
  return {
    allocation_id: allocation.id,
    generation: allocation.generation,
    stack: allocation.stack,
    service: allocation.service,
    replica: allocation.replica,
    image: service.image,
    command: argvToWire(service.command),
    entrypoint: argvToWire(service.entrypoint),
    environment: { ...service.environment },
    ports: service.ports.map(portToWire),
    labels: { ...service.labels },
    // Undefined is left off the wire: unset means no limit.
    cpu_limit_millis: service.limits.cpuMillis,
    memory_limit_bytes: service.limits.memoryBytes,
    restart_policy: restartPolicyToWire(service.restartPolicy),
    healthcheck: service.healthcheck ? healthcheckToWire(service.healthcheck) : null,
    stop_grace_ms: service.stopGraceMs,
    extra_hosts: { ...service.extraHosts },
    container: containerToWire(service.container),
    mounts: (service.mounts ?? []).map((m) => mountToWire(m, allocation.stack)),
    secrets: (service.files ?? []).filter((f) => f.kind === 'secret').map(fileToWire),
    configs: (service.files ?? []).filter((f) => f.kind === 'config').map(fileToWire),
    // Undefined is left off the wire: the agent never stops it on its own.
    stop_after_disconnect_ms: service.onDisconnect?.stopAfterMs,
  };
}

function fileToWire(f: ReplicaFile): FileMount {
  return { name: f.name, target: f.target, uid: f.uid, gid: f.gid, mode: f.mode, data: Buffer.from(f.data) };
}

/** Largest secret or config (as shared/compose/file-objects.ts MAX_FILE_OBJECT_BYTES, not imported: the agent's graph stays lean). */
const MAX_FILE_BYTES = 500 * 1024;

/** Secrets and configs as the agent will write them: every error names the field, never the content. */
function filesFromWire(secrets: readonly FileMount__Output[], configs: readonly FileMount__Output[]): Result<ReplicaFile[]> {
  const out: ReplicaFile[] = [];
  const targets = new Set<string>();
  for (const [kind, list] of [['secret', secrets], ['config', configs]] as const) {
    for (const [i, f] of list.entries()) {
      const path = `start.${kind}s.${i}`;
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(f.name)) return fail(`${path}.name: ${JSON.stringify(f.name.slice(0, 70))} is not a ${kind} name`);
      if (!f.target.startsWith('/') || f.target.endsWith('/') || f.target.includes('\0') || f.target.split('/').includes('..') || f.target.length > 4096) {
        return fail(`${path}.target: expected an absolute file path without "..", got ${JSON.stringify(f.target.slice(0, 80))}`);
      }
      if (targets.has(f.target)) return fail(`${path}.target: ${f.target} is mounted twice`);
      targets.add(f.target);
      for (const k of ['uid', 'gid'] as const) if (!/^\d{1,10}$/.test(f[k]) || Number(f[k]) > 0xffffffff) return fail(`${path}.${k}: expected a numeric id, got ${JSON.stringify(f[k].slice(0, 20))}`);
      if (!Number.isInteger(f.mode) || f.mode < 0 || f.mode > 0o7777) return fail(`${path}.mode: expected a file mode 0-07777, got ${f.mode}`);
      if (f.data.length > MAX_FILE_BYTES) return fail(`${path}.data: ${f.data.length} bytes, more than ${MAX_FILE_BYTES}`);
      out.push({ kind, name: f.name, target: f.target, uid: f.uid, gid: f.gid, mode: f.mode, data: f.data });
    }
  }
  return ok(out);
}

/**
 * Wire -> domain for the agent. A field left unset means what the spec means by leaving it out
 * (the default policy, the image's command, no limit, ...). Every error names the field.
 */
export function fromStartReplica(s: StartReplica__Output): Result<ReplicaSpec> {
  if (!s.allocation_id) return fail('start.allocation_id: missing');
  if (!s.image) return fail('start.image: missing');
  if (!isCount(s.generation)) return fail(`start.generation: expected a whole number below 2^53, got ${s.generation}`);
  const environment = envFromWire(s.environment);
  if (!environment.ok) return environment;
  const ports: ReplicaPort[] = [];
  for (const [i, p] of s.ports.entries()) {
    const port = portFromWire(p, `start.ports.${i}`);
    if (!port.ok) return port;
    ports.push(port.value);
  }
  for (const key of ['cpu_limit_millis', 'memory_limit_bytes'] as const) {
    const v = s[key];
    if (v !== undefined && !(isCount(v) && v > 0)) return fail(`start.${key}: expected a positive whole number (leave it unset for no limit), got ${v}`);
  }
  const restartPolicy = s.restart_policy ? restartPolicyFromWire(s.restart_policy) : ok(DEFAULT_RESTART_POLICY);
  if (!restartPolicy.ok) return restartPolicy;
  const healthcheck = s.healthcheck ? healthcheckFromWire(s.healthcheck) : undefined;
  if (healthcheck && !healthcheck.ok) return healthcheck;
  const stopGraceMs = s.stop_grace_ms ?? DEFAULT_STOP_GRACE_MS;
  if (!isCount(stopGraceMs)) return fail(`start.stop_grace_ms: expected a whole number of milliseconds below 2^53, got ${stopGraceMs}`);
  const extraHosts = extraHostsFromWire(s.extra_hosts);
  if (!extraHosts.ok) return extraHosts;
  const container = containerFromWire(s.container);
  if (!container.ok) return container;
  if (s.mounts.length > 256) return fail(`start.mounts: ${s.mounts.length} mounts, more than 256`);
  const mounts: MountSpec[] = [];
  for (const [i, m] of s.mounts.entries()) {
    const mount = mountFromWire(m, `start.mounts.${i}`);
    if (!mount.ok) return mount;
    mounts.push(mount.value);
  }
  const files = filesFromWire(s.secrets ?? [], s.configs ?? []);
  if (!files.ok) return files;
  const stopAfter = s.stop_after_disconnect_ms;
  if (stopAfter !== undefined && !(isCount(stopAfter) && stopAfter > 0)) return fail(`start.stop_after_disconnect_ms: expected a positive whole number of milliseconds (leave it unset for never), got ${stopAfter}`);
  return ok({
    allocationId: s.allocation_id,
    generation: s.generation,
    stack: s.stack,
    service: s.service,
    replica: s.replica,
    image: s.image,
    ...(s.command ? { command: [...s.command.args] } : {}),
    ...(s.entrypoint ? { entrypoint: [...s.entrypoint.args] } : {}),
    environment: environment.value,
    ports,
    labels: { ...s.labels },
    ...(s.cpu_limit_millis !== undefined ? { cpuLimitMillis: s.cpu_limit_millis } : {}),
    ...(s.memory_limit_bytes !== undefined ? { memoryLimitBytes: s.memory_limit_bytes } : {}),
    restartPolicy: restartPolicy.value,
    ...(healthcheck ? { healthcheck: healthcheck.value } : {}),
    stopGraceMs,
    ...(Object.keys(extraHosts.value).length ? { extraHosts: extraHosts.value } : {}),
    ...(container.value ? { container: container.value } : {}),
    ...(mounts.length ? { mounts } : {}),
    ...(files.value.length ? { files: files.value } : {}),
    ...(stopAfter !== undefined ? { stopAfterDisconnectMs: stopAfter } : {}),
  });
}

/** /etc/hosts lines: a name Docker would write as one line (no spaces, colons or newlines) -> an IPv4 address. */
function extraHostsFromWire(hosts: Record<string, string>): Result<Record<string, string>> {
  const entries = Object.entries(hosts);
  if (entries.length > 4096) return fail(`start.extra_hosts: ${entries.length} names, more than 4096`);
  for (const [name, ip] of entries) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(name)) return fail(`start.extra_hosts: ${JSON.stringify(name.slice(0, 40))} is not a host name`);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return fail(`start.extra_hosts.${name}: expected an IPv4 address, got ${JSON.stringify(ip.slice(0, 40))}`);
  }
  return ok({ ...hosts });
}

function argvToWire(argv: readonly string[] | undefined): Argv | null {
  return argv ? { args: [...argv] } : null;
}

function portToWire(p: ReplicaPort): PortBinding {
  return { target: p.target, published: p.published, protocol: p.protocol, host_ip: p.hostIp };
}

function restartPolicyToWire(r: RestartPolicySpec): RestartPolicy {
  return { condition: CONDITION_TO_WIRE[r.condition], delay_ms: r.delayMs, max_attempts: r.maxAttempts, window_ms: r.windowMs };
}

function healthcheckToWire(h: HealthcheckSpec): Healthcheck {
  const p = h.probe;
  return {
    test: [...h.test],
    interval_ms: h.intervalMs,
    timeout_ms: h.timeoutMs,
    retries: h.retries,
    start_period_ms: h.startPeriodMs,
    disable: h.disable,
    // Undefined is left off the wire: unset means Docker's default.
    start_interval_ms: h.startIntervalMs,
    ...(p?.kind === 'http' ? { http: { port: p.port, path: p.path, status_min: p.statusMin, status_max: p.statusMax, host: p.host } } : {}),
    ...(p?.kind === 'tcp' ? { tcp: { port: p.port } } : {}),
  };
}

/** Docker takes the environment as `KEY=value` lines: a key with `=` would be read as another. */
function envFromWire(env: Record<string, string>): Result<Record<string, string>> {
  for (const k of Object.keys(env)) {
    if (k === '' || k.includes('=')) return fail(`start.environment: ${JSON.stringify(k.slice(0, 40))} is not a variable name (empty or contains "=")`);
  }
  return ok({ ...env });
}

function portFromWire(p: PortBinding__Output, path: string): Result<ReplicaPort> {
  if (!isPort(p.target)) return fail(`${path}.target: expected a port 1-65535, got ${p.target}`);
  if (p.published !== undefined && !isPort(p.published)) return fail(`${path}.published: expected a port 1-65535 (leave it unset to let Docker choose), got ${p.published}`);
  if (p.protocol !== 'tcp' && p.protocol !== 'udp') return fail(`${path}.protocol: expected tcp or udp, got ${JSON.stringify(p.protocol.slice(0, 40))}`);
  return ok({
    target: p.target,
    ...(p.published !== undefined ? { published: p.published } : {}),
    protocol: p.protocol,
    ...(p.host_ip !== undefined ? { hostIp: p.host_ip } : {}),
  });
}

function restartPolicyFromWire(r: RestartPolicy__Output): Result<RestartPolicySpec> {
  // An enum number this build does not know arrives as the number itself.
  if (!Object.hasOwn(CONDITION_FROM_WIRE, r.condition)) return fail(`start.restart_policy.condition: unknown condition ${JSON.stringify(r.condition)}`);
  for (const key of ['delay_ms', 'window_ms'] as const) {
    if (!isCount(r[key])) return fail(`start.restart_policy.${key}: expected a whole number of milliseconds below 2^53, got ${r[key]}`);
  }
  return ok({ condition: CONDITION_FROM_WIRE[r.condition], delayMs: r.delay_ms, maxAttempts: r.max_attempts, windowMs: r.window_ms });
}

function healthcheckFromWire(h: Healthcheck__Output): Result<HealthcheckSpec> {
  for (const key of ['interval_ms', 'timeout_ms', 'start_period_ms', 'start_interval_ms'] as const) {
    const v = h[key];
    if (v !== undefined && !isCount(v)) return fail(`start.healthcheck.${key}: expected a whole number of milliseconds below 2^53, got ${v}`);
  }
  const probe = probeFromWire(h);
  if (!probe.ok) return probe;
  if (probe.value && (h.test.length > 0 || h.disable)) return fail(`start.healthcheck.${probe.value.kind}: Baton's own check needs an empty test and disable unset`);
  // The Compose parser turns NONE into `disable` with no test; anything else is a sender's bug.
  if (h.disable && h.test.length > 0) return fail('start.healthcheck.test: must be empty when disable is set');
  const kind = h.test[0];
  if (kind !== undefined && kind !== 'CMD' && kind !== 'CMD-SHELL') return fail(`start.healthcheck.test: expected a CMD or CMD-SHELL list, got ${JSON.stringify(kind.slice(0, 40))} first`);
  return ok({
    test: [...h.test],
    intervalMs: h.interval_ms,
    timeoutMs: h.timeout_ms,
    retries: h.retries,
    startPeriodMs: h.start_period_ms,
    ...(h.start_interval_ms !== undefined ? { startIntervalMs: h.start_interval_ms } : {}),
    disable: h.disable,
    ...(probe.value ? { probe: probe.value } : {}),
  });
}

function probeFromWire(h: Healthcheck__Output): Result<HealthProbeSpec | undefined> {
  if (h.probe === 'http' && h.http) {
    const p = h.http;
    if (!isPort(p.port)) return fail(`start.healthcheck.http.port: expected a port 1-65535, got ${p.port}`);
    if (!p.path.startsWith('/')) return fail(`start.healthcheck.http.path: expected a path starting with "/", got ${JSON.stringify(p.path.slice(0, 40))}`);
    if (!(p.status_min >= 100 && p.status_min <= p.status_max && p.status_max <= 599)) {
      return fail(`start.healthcheck.http.status_min/status_max: expected 100 <= min <= max <= 599, got ${p.status_min}-${p.status_max}`);
    }
    return ok({ kind: 'http', port: p.port, path: p.path, statusMin: p.status_min, statusMax: p.status_max, ...(p.host !== undefined ? { host: p.host } : {}) });
  }
  if (h.probe === 'tcp' && h.tcp) {
    if (!isPort(h.tcp.port)) return fail(`start.healthcheck.tcp.port: expected a port 1-65535, got ${h.tcp.port}`);
    return ok({ kind: 'tcp', port: h.tcp.port });
  }
  return ok(undefined);
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

