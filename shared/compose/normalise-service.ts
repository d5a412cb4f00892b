// Turns one schema-validated service into a ServiceSpec: defaults, the reservation rule, environment
// resolution and the checks that span several fields (reservation vs limit, duplicate host ports, UDP ingress).

import {
  DEFAULT_AUTOSCALE,
  DEFAULT_HEALTHCHECK,
  DEFAULT_REPLICAS,
  DEFAULT_RESERVATION,
  DEFAULT_RESTART_POLICY,
  DEFAULT_ROLLBACK_CONFIG,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_UPDATE_CONFIG,
  MIN_MEMORY_LIMIT_BYTES,
} from './defaults.js';
import { containerSettings } from './container-schema.js';
import { parseEnvFile } from './env-file.js';
import { type Findings, type PathSegment, emptyFindings } from './findings.js';
import type { Env } from './interpolate.js';
import type { DependsOnEntry, RawService } from './service-schema.js';
import type { AutoscaleSpec, ContainerSettings, HealthcheckSpec, HealthProbeSpec, IngressSpec, PortSpec, ReservationSource, ServiceSpec, UpdateConfigSpec } from './types.js';
import { formatBytes, formatCpu } from '../format.js';

export interface NormalisedService {
  readonly spec: ServiceSpec;
  /** depends_on as written, checked against the whole stack by dependencies.ts. */
  readonly dependsOn: readonly DependsOnEntry[];
  readonly findings: Findings;
}

type Raw<K extends keyof RawService> = NonNullable<RawService[K]>;
type RawDeploy = Raw<'deploy'>;

const EXPLICITNESS: Readonly<Record<ReservationSource, number>> = { reservations: 2, limits: 1, default: 0 };

export function normaliseService(
  name: string,
  raw: RawService,
  env: Env,
  base: readonly PathSegment[],
  files: ReadonlyMap<string, Uint8Array> = new Map(),
): NormalisedService {
  const findings = emptyFindings();
  const at = (...rest: PathSegment[]): PathSegment[] => [...base, ...rest];
  const deploy: Partial<RawDeploy> = raw.deploy ?? {};

  // env_file first, in order, then `environment`, which wins (as in Compose).
  const environment: Record<string, string> = envFiles(raw.env_file ?? [], env, files, findings, at);
  for (const entry of raw.environment ?? []) {
    const value = entry.value ?? env[entry.key];
    if (value === undefined) {
      findings.warnings.push({
        path: at('environment', entry.at),
        message: `"${entry.key}" has no value here and is not set in the environment, so it is left out`,
      });
      continue;
    }
    Object.defineProperty(environment, entry.key, { value, enumerable: true, writable: true, configurable: true });
  }

  const { reserved, reservedFrom, reservedSources, limits } = resources(deploy, findings, (...rest) => at('deploy', 'resources', ...rest));

  const seen = new Map<string, { port: PortSpec; index: number }>();
  const ports: PortSpec[] = [];
  (raw.ports ?? []).forEach((entry, index) => {
    for (const port of entry) {
      ports.push(port);
      // The ingress forwards TCP only (nftables DNAT of UDP has no connection to drain or skip on refusal).
      if (port.mode === 'ingress' && port.protocol === 'udp') {
        findings.errors.push({
          path: at('ports', index),
          message: `UDP ingress is not supported (port ${port.published ?? ''}${port.published !== undefined ? ':' : ''}${port.target}/udp); publish it with mode: host (long syntax) to bind it on each replica's host`,
        });
      }
      if (port.published === undefined) continue;
      const key = `${port.published}/${port.protocol}`;
      const other = seen.get(key);
      // Two bindings of one host port clash unless both name different, specific host IPs.
      if (other && (other.port.hostIp === undefined || port.hostIp === undefined || other.port.hostIp === port.hostIp)) {
        findings.errors.push({ path: at('ports', index), message: `host port ${key} is already published by ports.${other.index}` });
      } else if (!other) {
        seen.set(key, { port, index });
      }
    }
  });

  const global = deploy.mode === 'global';
  // As docker stack deploy (convertDeployMode): a global service has no replica count to give.
  if (global && deploy.replicas != null) {
    findings.errors.push({ path: at('deploy', 'replicas'), message: 'replicas can only be used with replicated mode (a global service runs one replica on every eligible node)' });
  }

  const scaling = autoscale(raw['x-baton']?.autoscale, global, deploy.replicas, findings, (...rest) => at(...rest));
  const dependsOn = dedupeDependencies(raw.depends_on ?? []);
  const spec: ServiceSpec = {
    name,
    image: raw.image,
    ...(raw.command != null ? { command: raw.command } : {}),
    ...(raw.entrypoint != null ? { entrypoint: raw.entrypoint } : {}),
    environment,
    ports,
    ...(raw.expose != null && raw.expose.length > 0 ? { expose: raw.expose } : {}),
    ...ingress(raw['x-baton']?.ingress),
    // Swarm keeps service labels (deploy.labels) and container labels apart; Baton has one set, and the
    // deploy-level value wins because that is the one `docker stack deploy` shows on the service.
    labels: { ...(raw.labels ?? {}), ...(deploy.labels ?? {}) },
    ...healthcheck(raw.healthcheck, raw['x-baton']?.healthcheck, findings, at),
    dependsOn: dependsOn.map(({ service, condition, required, restart }) => ({ service, condition, required, ...(restart ? { restart } : {}) })),
    ...(global ? { mode: 'global' as const } : {}),
    ...(scaling ? { autoscale: scaling } : {}),
    ...onDisconnect(raw['x-baton']?.on_disconnect, findings, at),
    // An autoscaled service starts at `min` unless the file gives a count within min..max.
    replicas: global ? 0 : (deploy.replicas ?? scaling?.min ?? DEFAULT_REPLICAS),
    reserved,
    reservedFrom,
    reservedSources,
    limits,
    constraints: deploy.placement?.constraints ?? [],
    ...spread(deploy.placement?.preferences),
    maxReplicasPerNode: deploy.placement?.max_replicas_per_node ?? 0,
    restartPolicy: {
      condition: deploy.restart_policy?.condition ?? DEFAULT_RESTART_POLICY.condition,
      delayMs: deploy.restart_policy?.delay ?? DEFAULT_RESTART_POLICY.delayMs,
      maxAttempts: deploy.restart_policy?.max_attempts ?? DEFAULT_RESTART_POLICY.maxAttempts,
      windowMs: deploy.restart_policy?.window ?? DEFAULT_RESTART_POLICY.windowMs,
    },
    updateConfig: updateConfig(deploy.update_config, DEFAULT_UPDATE_CONFIG),
    rollbackConfig: updateConfig(deploy.rollback_config, DEFAULT_ROLLBACK_CONFIG),
    placementStrategy: raw['x-baton']?.placement ?? 'binpack',
    stopGraceMs: raw.stop_grace_period ?? DEFAULT_STOP_GRACE_MS,
    ...withContainer(containerSettings(raw)),
  };
  return { spec, dependsOn, findings };
}

function withContainer(c: ContainerSettings | undefined): { container?: ContainerSettings } {
  return c ? { container: c } : {};
}

/** The variables of a service's env files, read from what the CLI sent (DeployRequest.files). */
function envFiles(
  entries: NonNullable<RawService['env_file']>,
  env: Env,
  files: ReadonlyMap<string, Uint8Array>,
  findings: Findings,
  at: (...rest: PathSegment[]) => PathSegment[],
): Record<string, string> {
  const out: Record<string, string> = {};
  entries.forEach((entry, i) => {
    const content = files.get(entry.path);
    if (content === undefined) {
      // Compose skips a missing file marked required: false, and refuses a missing required one.
      if (entry.required) findings.errors.push({ path: at('env_file', i), message: `${JSON.stringify(entry.path)} cannot be read (paths are relative to the Compose file; mark it required: false to skip a missing file)` });
      return;
    }
    const parsed = parseEnvFile(new TextDecoder().decode(content), env, entry.format);
    if (!parsed.ok) {
      findings.errors.push({ path: at('env_file', i), message: `${JSON.stringify(entry.path)}: ${parsed.error}` });
      return;
    }
    for (const [k, v] of Object.entries(parsed.value)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

/** `placement.preferences` as label keys; left out when there are none (spec hashes of files without it stay). */
function spread(prefs: NonNullable<RawDeploy['placement']>['preferences']): { spread?: readonly string[] } {
  const keys = (prefs ?? []).map((p) => p.spread);
  return keys.length ? { spread: keys } : {};
}

/** `x-baton.autoscale` with its defaults, and the rules across its fields and the service's mode and count. */
function autoscale(
  raw: NonNullable<RawService['x-baton']>['autoscale'],
  global: boolean,
  replicas: number | null | undefined,
  findings: Findings,
  at: (...rest: PathSegment[]) => PathSegment[],
): AutoscaleSpec | undefined {
  if (raw == null) return undefined;
  const path = (...rest: PathSegment[]) => at('x-baton', 'autoscale', ...rest);
  const before = findings.errors.length;
  if (global) {
    findings.errors.push({ path: path(), message: 'cannot be used with deploy.mode: global (a global service runs one replica on every eligible node; its count follows the nodes, not the load)' });
  }
  if (raw.min > raw.max) findings.errors.push({ path: path('min'), message: `must be at most max (${raw.max}), got ${raw.min}` });
  if (raw.cpu == null && raw.memory == null) findings.errors.push({ path: path(), message: 'needs a target: cpu and/or memory, such as cpu: "70%"' });
  if (replicas != null && !global && raw.min <= raw.max && (replicas < raw.min || replicas > raw.max)) {
    findings.errors.push({ path: at('deploy', 'replicas'), message: `must be within x-baton.autoscale min..max (${raw.min}..${raw.max}), got ${replicas} (leave it out to start at min)` });
  }
  if (findings.errors.length > before) return undefined;
  return {
    min: raw.min,
    max: raw.max,
    ...(raw.cpu != null ? { cpuPercent: raw.cpu } : {}),
    ...(raw.memory != null ? { memoryPercent: raw.memory } : {}),
    windowMs: raw.window ?? DEFAULT_AUTOSCALE.windowMs,
    scaleUpWindowMs: raw.scale_up_window ?? DEFAULT_AUTOSCALE.scaleUpWindowMs,
    scaleDownWindowMs: raw.scale_down_window ?? DEFAULT_AUTOSCALE.scaleDownWindowMs,
    cooldownMs: raw.cooldown ?? DEFAULT_AUTOSCALE.cooldownMs,
    ...(raw.max_step != null ? { maxStep: raw.max_step } : {}),
    tolerance: raw.tolerance != null ? raw.tolerance / 100 : DEFAULT_AUTOSCALE.tolerance,
  };
}

/** `x-baton.ingress`, left out when not written so the spec (and its hash) of a file without it is what it always was. */
function ingress(raw: NonNullable<RawService['x-baton']>['ingress']): { ingress?: IngressSpec } {
  if (raw == null) return {};
  return { ingress: { prefer: raw.prefer ?? 'any', constraints: raw.constraints ?? [] } };
}

/** The reservation rule: reservations, else the matching limit, else DEFAULT_RESERVATION, per resource. */
function resources(deploy: Partial<RawDeploy>, findings: Findings, at: (...rest: PathSegment[]) => PathSegment[]) {
  const wantLimits = deploy.resources?.limits ?? {};
  const wantReservations = deploy.resources?.reservations ?? {};
  const limitCpu = wantLimits.cpus ?? undefined;
  const limitMemory = wantLimits.memory ?? undefined;

  // Docker reads a zero limit as "no limit", which is never what writing one means.
  if (limitCpu === 0) findings.errors.push({ path: at('limits', 'cpus'), message: 'must be greater than 0 (leave it out for no limit)' });
  if (limitMemory !== undefined && limitMemory < MIN_MEMORY_LIMIT_BYTES) {
    findings.errors.push({
      path: at('limits', 'memory'),
      message:
        limitMemory === 0
          ? 'must be greater than 0 (leave it out for no limit)'
          : `must be at least ${formatBytes(MIN_MEMORY_LIMIT_BYTES)} (Docker's minimum), got ${formatBytes(limitMemory)}`,
    });
  }

  const pick = (reservation: number | null | undefined, limit: number | undefined, fallback: number): [number, ReservationSource] =>
    reservation != null ? [reservation, 'reservations'] : limit !== undefined ? [limit, 'limits'] : [fallback, 'default'];
  const [cpuMillis, cpuFrom] = pick(wantReservations.cpus, limitCpu, DEFAULT_RESERVATION.cpuMillis);
  const [memoryBytes, memoryFrom] = pick(wantReservations.memory, limitMemory, DEFAULT_RESERVATION.memoryBytes);

  if (limitCpu !== undefined && cpuMillis > limitCpu) {
    findings.errors.push({
      path: at('reservations', 'cpus'),
      message: `reservation of ${formatCpu(cpuMillis)} is more than the limit of ${formatCpu(limitCpu)} (limits.cpus)`,
    });
  }
  if (limitMemory !== undefined && memoryBytes > limitMemory) {
    findings.errors.push({
      path: at('reservations', 'memory'),
      message: `reservation of ${formatBytes(memoryBytes)} is more than the limit of ${formatBytes(limitMemory)} (limits.memory)`,
    });
  }

  const reservedFrom = EXPLICITNESS[cpuFrom] <= EXPLICITNESS[memoryFrom] ? cpuFrom : memoryFrom;
  return {
    reserved: { cpuMillis, memoryBytes },
    reservedFrom,
    reservedSources: { cpuMillis: cpuFrom, memoryBytes: memoryFrom },
    limits: { ...(limitCpu !== undefined ? { cpuMillis: limitCpu } : {}), ...(limitMemory !== undefined ? { memoryBytes: limitMemory } : {}) },
  };
}

/**
 * Compose's `healthcheck` (run by Docker) or Baton's `x-baton.healthcheck` (run by the agent, for
 * images without a shell). Not both: two checks with different verdicts would leave health undefined.
 */
function healthcheck(
  raw: RawService['healthcheck'],
  baton: NonNullable<RawService['x-baton']>['healthcheck'],
  findings: Findings,
  at: (...rest: PathSegment[]) => PathSegment[],
): { healthcheck?: HealthcheckSpec } {
  if (baton != null) {
    if (raw != null) {
      findings.errors.push({ path: at('x-baton', 'healthcheck'), message: 'cannot be used together with healthcheck (remove one of them)' });
      return {};
    }
    return batonHealthcheck(baton, findings, (...rest) => at('x-baton', 'healthcheck', ...rest));
  }
  if (raw == null) return {};
  const test = raw.test ?? undefined;
  const none = test?.[0] === 'NONE';
  if (raw.disable === true && test !== undefined && !none) {
    findings.errors.push({ path: at('healthcheck', 'disable'), message: 'cannot be true while healthcheck.test is set (remove one of them)' });
  }
  const disable = raw.disable === true || none;
  return { healthcheck: { test: disable ? [] : (test ?? []), ...healthTimings(raw), disable } };
}

function batonHealthcheck(
  raw: NonNullable<NonNullable<RawService['x-baton']>['healthcheck']>,
  findings: Findings,
  at: (...rest: PathSegment[]) => PathSegment[],
): { healthcheck?: HealthcheckSpec } {
  const { http, tcp } = raw;
  if ((http == null) === (tcp == null)) {
    findings.errors.push({ path: at(), message: `needs exactly one of http (port, path, status, host) or tcp (port), got ${http == null ? 'neither' : 'both'}` });
    return {};
  }
  const probe: HealthProbeSpec = http
    ? {
        kind: 'http',
        port: http.port,
        path: http.path ?? '/',
        statusMin: http.status?.min ?? 200,
        statusMax: http.status?.max ?? 399,
        ...(http.host != null ? { host: http.host } : {}),
      }
    : { kind: 'tcp', port: (tcp as { port: number }).port };
  return { healthcheck: { test: [], ...healthTimings(raw), disable: false, probe } };
}

type RawTimings = { interval?: number | null; timeout?: number | null; retries?: number | null; start_period?: number | null; start_interval?: number | null };

function healthTimings(raw: RawTimings): Omit<HealthcheckSpec, 'test' | 'disable' | 'probe'> {
  return {
    intervalMs: raw.interval ?? DEFAULT_HEALTHCHECK.intervalMs,
    timeoutMs: raw.timeout ?? DEFAULT_HEALTHCHECK.timeoutMs,
    retries: raw.retries ?? DEFAULT_HEALTHCHECK.retries,
    startPeriodMs: raw.start_period ?? DEFAULT_HEALTHCHECK.startPeriodMs,
    // Left out when unset, so the spec (and its hash) of a file without it is what it always was.
    ...(raw.start_interval != null ? { startIntervalMs: raw.start_interval } : {}),
  };
}

function updateConfig(raw: RawDeploy['update_config'] | RawDeploy['rollback_config'], defaults: UpdateConfigSpec): UpdateConfigSpec {
  return {
    parallelism: raw?.parallelism ?? defaults.parallelism,
    delayMs: raw?.delay ?? defaults.delayMs,
    failureAction: raw?.failure_action ?? defaults.failureAction,
    monitorMs: raw?.monitor ?? defaults.monitorMs,
    maxFailureRatio: raw?.max_failure_ratio ?? defaults.maxFailureRatio,
    order: raw?.order ?? defaults.order,
  };
}

/** A list may name a service twice; the first mention stands, as in Compose. */
function dedupeDependencies(entries: readonly DependsOnEntry[]): DependsOnEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.service) && seen.add(e.service));
}

/**
 * `x-baton.on_disconnect`: `replace_after` (a duration, or `never`: wait for the node) as Nomad's
 * `disconnect.lost_after` / `replace`; `stop_after` (the cut-off agent stops its own copy) as
 * Nomad's `disconnect.stop_on_client_after`. Unlike Nomad the two may be combined: `stop_after`
 * no longer than `replace_after` means the copies never overlap (README: Disconnected nodes).
 */
function onDisconnect(
  raw: { replace_after?: number | 'never' | null | undefined; stop_after?: number | null | undefined } | null | undefined,
  findings: Findings,
  at: (...rest: PathSegment[]) => PathSegment[],
): Pick<ServiceSpec, 'onDisconnect'> {
  if (raw == null) return {};
  const replace = raw.replace_after ?? undefined;
  const stop = raw.stop_after ?? undefined;
  if (stop !== undefined && stop < 1000) {
    findings.errors.push({ path: at('x-baton', 'on_disconnect', 'stop_after'), message: `expected at least 1s (a cut-off agent notices within about 5 s), got ${stop} ms` });
    return {};
  }
  if (stop !== undefined && replace === 'never') {
    findings.warnings.push({ path: at('x-baton', 'on_disconnect'), message: 'stop_after with replace_after: never: a cut-off site stops the replica and nothing runs it until the node is back' });
  } else if (stop !== undefined && typeof replace === 'number' && stop > replace) {
    findings.warnings.push({ path: at('x-baton', 'on_disconnect', 'stop_after'), message: `is longer than replace_after: two copies can run for up to ${Math.round((stop - replace) / 1000)} s while the node is cut off` });
  }
  if (replace === undefined && stop === undefined) return {};
  return { onDisconnect: { ...(replace !== undefined ? { replaceAfterMs: replace } : {}), ...(stop !== undefined ? { stopAfterMs: stop } : {}) } };
}
