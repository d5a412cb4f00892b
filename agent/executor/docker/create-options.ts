// What a replica's container looks like to Docker: ReplicaSpec -> the create request (ports,
// limits, labels, healthcheck, extra hosts). Pure, so the mapping is tested without an engine.
import type Docker from 'dockerode';
import type { HealthcheckSpec, MountSpec } from '../../../shared/compose/types.js';
import { containerLabels, LABEL_MANAGED, LABEL_STACK, LABEL_VOLUME } from '../labels.js';
import type { ReplicaSpec } from '../types.js';

/** What the engine can do that the mapping depends on. */
export interface EngineFeatures {
  /** HealthConfig.StartInterval (Docker API 1.44+); older engines ignore the field. */
  readonly startInterval: boolean;
}

/** The API version from which the engine honours HealthConfig.StartInterval. */
export const START_INTERVAL_API = '1.44';

/** Whether a Docker API version (`1.41`) is at least `min`. */
export function apiAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  const [x = 0, y = 0] = min.split('.').map(Number);
  return a > x || (a === x && b >= y);
}

/** The container definition for a replica. Pure, so the mapping can be tested without Docker. */
export function createOptions(spec: ReplicaSpec, name: string, engine: EngineFeatures = { startInterval: true }): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    // An empty HostPort makes Docker choose a free one.
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: p.published === undefined ? '' : String(p.published) });
  }
  const hostConfig: Docker.HostConfig = {
    PortBindings: bindings,
    // Baton restarts containers itself (restart-supervisor.ts): it must count attempts, honour a
    // window, and know the difference between a crash and its own stop, which Docker's policy cannot.
    RestartPolicy: { Name: 'no' },
  };
  // The file's own extra_hosts first, then service discovery: service names resolve to their service
  // addresses through /etc/hosts.
  const extraHosts = [...(spec.container?.extraHosts ?? []), ...Object.entries(spec.extraHosts ?? {}).map(([name, ip]) => `${name}:${ip}`)];
  if (extraHosts.length) hostConfig.ExtraHosts = extraHosts;
  if (spec.cpuLimitMillis !== undefined && spec.cpuLimitMillis > 0) hostConfig.NanoCpus = spec.cpuLimitMillis * 1e6;
  if (spec.memoryLimitBytes !== undefined && spec.memoryLimitBytes > 0) hostConfig.Memory = spec.memoryLimitBytes;
  const options: Docker.ContainerCreateOptions = {
    name,
    Image: spec.image,
    Env: Object.entries(spec.environment).map(([k, v]) => `${k}=${v}`),
    Labels: containerLabels(spec),
    ExposedPorts: exposed,
    // So a `docker stop` by hand honours the same grace period as Baton's.
    StopTimeout: Math.ceil(spec.stopGraceMs / 1000),
    HostConfig: hostConfig,
  };
  applyContainerSettings(options, hostConfig, spec);
  const mounts = (spec.mounts ?? []).map((m) => dockerMount(m, spec.stack));
  if (mounts.length) hostConfig.Mounts = mounts;
  if (spec.command) options.Cmd = [...spec.command];
  if (spec.entrypoint) options.Entrypoint = [...spec.entrypoint];
  const health = healthConfig(spec.healthcheck, engine);
  if (health) options.Healthcheck = health;
  return options;
}

/**
 * HealthcheckSpec -> Docker's HealthConfig (durations in ns; 0 means "inherit the image's"). Baton's
 * own check turns Docker's off, the image's HEALTHCHECK included: one check decides the health.
 */
export function healthConfig(h: HealthcheckSpec | undefined, engine: EngineFeatures = { startInterval: true }): Docker.HealthConfig | undefined {
  if (!h) return undefined;
  if (h.disable || h.probe) return { Test: ['NONE'] };
  const config: Docker.HealthConfig = {
    Interval: h.intervalMs * 1e6,
    Timeout: h.timeoutMs * 1e6,
    Retries: h.retries,
    StartPeriod: h.startPeriodMs * 1e6,
  };
  // dockerode's types predate the field.
  if (h.startIntervalMs !== undefined && engine.startInterval) (config as { StartInterval?: number }).StartInterval = h.startIntervalMs * 1e6;
  // Empty test: only timings were set, so the image's own HEALTHCHECK test runs (as in Docker).
  if (h.test.length > 0) config.Test = [...h.test];
  return config;
}

/** Compose's pass-through keys as Docker's create request names them (`docker stack deploy` does the same). */
function applyContainerSettings(options: Docker.ContainerCreateOptions, host: Docker.HostConfig, spec: ReplicaSpec): void {
  const c = spec.container;
  if (!c) return;
  if (c.user !== undefined) options.User = c.user;
  if (c.workingDir !== undefined) options.WorkingDir = c.workingDir;
  if (c.stopSignal !== undefined) options.StopSignal = c.stopSignal;
  if (c.hostname !== undefined) options.Hostname = c.hostname;
  if (c.domainname !== undefined) options.Domainname = c.domainname;
  if (c.ulimits) host.Ulimits = Object.entries(c.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard }));
  if (c.sysctls) host.Sysctls = { ...c.sysctls };
  if (c.capAdd) host.CapAdd = [...c.capAdd];
  if (c.capDrop) host.CapDrop = [...c.capDrop];
  if (c.dns) host.Dns = [...c.dns];
  if (c.dnsSearch) host.DnsSearch = [...c.dnsSearch];
  if (c.dnsOptions) host.DnsOptions = [...c.dnsOptions];
  if (c.readOnly) host.ReadonlyRootfs = true;
  if (c.init) host.Init = true;
  if (c.tmpfs) host.Tmpfs = { ...c.tmpfs };
  if (c.shmSizeBytes !== undefined) host.ShmSize = c.shmSizeBytes;
  if (c.logging) host.LogConfig = { Type: c.logging.driver, Config: { ...c.logging.options } };
  if (c.networkMode === 'host') {
    // The container shares the host's network: there is nothing to bind or publish.
    host.NetworkMode = 'host';
    delete host.PortBindings;
    delete options.ExposedPorts;
  }
}

/**
 * A Compose volume entry as a Docker mount. A named volume the node lacks is created by Docker at
 * container create with the driver, options and labels given here (as SwarmKit's executor does);
 * an external one is mounted by name only.
 */
export function dockerMount(m: MountSpec, stack: string): Docker.MountSettings {
  // dockerode's types require Source; Docker takes it empty for anonymous volumes and tmpfs.
  const mount: Docker.MountSettings = { Type: m.type, Source: m.source ?? '', Target: m.target, ReadOnly: m.readOnly === true };
  if (m.type === 'volume') {
    const v = m.volume;
    const options: Partial<NonNullable<Docker.MountSettings['VolumeOptions']>> = {};
    if (m.noCopy) options.NoCopy = true;
    if (m.subpath) (options as { Subpath?: string }).Subpath = m.subpath;
    if (v && !v.external) {
      options.Labels = { [LABEL_MANAGED]: 'true', [LABEL_STACK]: stack, [LABEL_VOLUME]: v.name };
      if (v.driver !== '' || Object.keys(v.driverOptions).length) options.DriverConfig = { Name: v.driver || 'local', Options: { ...v.driverOptions } };
    }
    if (Object.keys(options).length) mount.VolumeOptions = options as NonNullable<Docker.MountSettings['VolumeOptions']>;
  }
  if (m.type === 'bind' && m.propagation) mount.BindOptions = { Propagation: m.propagation as 'private' };
  if (m.type === 'tmpfs' && (m.tmpfsSizeBytes || m.tmpfsMode)) {
    mount.TmpfsOptions = { ...(m.tmpfsSizeBytes ? { SizeBytes: m.tmpfsSizeBytes } : {}), ...(m.tmpfsMode ? { Mode: m.tmpfsMode } : {}) } as NonNullable<Docker.MountSettings['TmpfsOptions']>;
  }
  return mount;
}
