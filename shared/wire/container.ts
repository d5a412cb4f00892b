// StartReplica's container settings and mounts, both halves (see replica.ts): the coordinator sends
// what the Compose file set; the agent checks every field it hands to Docker. Loaded by the agent:
// types only from the Compose package.
import type { ContainerSettings, MountSpec } from '../compose/types.js';
import type { ContainerSettings as WireSettings, ContainerSettings__Output } from '../grpc/gen/baton/v1/ContainerSettings.js';
import type { Mount, Mount__Output } from '../grpc/gen/baton/v1/Mount.js';
import { LABEL_MANAGED, LABEL_STACK, LABEL_VOLUME } from '../model/labels.js';
import { fail, ok, type Result } from '../result.js';

export function containerToWire(c: ContainerSettings | undefined): WireSettings | null {
  if (!c) return null;
  return {
    user: c.user,
    working_dir: c.workingDir,
    stop_signal: c.stopSignal,
    ulimits: { ...c.ulimits },
    sysctls: { ...c.sysctls },
    cap_add: [...(c.capAdd ?? [])],
    cap_drop: [...(c.capDrop ?? [])],
    dns: [...(c.dns ?? [])],
    dns_search: [...(c.dnsSearch ?? [])],
    dns_options: [...(c.dnsOptions ?? [])],
    extra_hosts: [...(c.extraHosts ?? [])],
    read_only: c.readOnly === true,
    init: c.init === true,
    tmpfs: { ...c.tmpfs },
    hostname: c.hostname,
    domainname: c.domainname,
    shm_size_bytes: c.shmSizeBytes,
    logging: c.logging ? { driver: c.logging.driver, options: { ...c.logging.options } } : null,
    network_mode: c.networkMode ?? '',
  };
}

const MAX_ITEMS = 1024;
const ABSOLUTE = /^\/[^\0]*$/;

/** Wire -> domain; errors name the field. Only fields that were set come back, as the parser builds them. */
export function containerFromWire(w: ContainerSettings__Output | null): Result<ContainerSettings | undefined> {
  if (!w) return ok(undefined);
  const c: { -readonly [K in keyof ContainerSettings]: ContainerSettings[K] } = {};
  const lists = { cap_add: w.cap_add, cap_drop: w.cap_drop, dns: w.dns, dns_search: w.dns_search, dns_options: w.dns_options, extra_hosts: w.extra_hosts };
  for (const [key, list] of Object.entries(lists)) {
    if (list.length > MAX_ITEMS) return fail(`start.container.${key}: ${list.length} items, more than ${MAX_ITEMS}`);
    if (list.some((s) => s === '' || s.includes('\0'))) return fail(`start.container.${key}: expected non-empty strings`);
  }
  for (const h of w.extra_hosts) if (!/^[^:\s]+:\S+$/.test(h)) return fail(`start.container.extra_hosts: expected "name:address", got ${JSON.stringify(h.slice(0, 40))}`);
  if (w.user !== undefined) c.user = w.user;
  if (w.working_dir !== undefined) {
    if (!ABSOLUTE.test(w.working_dir)) return fail(`start.container.working_dir: expected an absolute path, got ${JSON.stringify(w.working_dir.slice(0, 40))}`);
    c.workingDir = w.working_dir;
  }
  if (w.stop_signal !== undefined) c.stopSignal = w.stop_signal;
  const ulimits = Object.entries(w.ulimits);
  if (ulimits.length) {
    for (const [name, u] of ulimits) {
      if (!Number.isSafeInteger(u.soft) || !Number.isSafeInteger(u.hard) || u.soft > u.hard) return fail(`start.container.ulimits.${name}: expected whole numbers with soft <= hard`);
    }
    c.ulimits = Object.fromEntries(ulimits.map(([k, u]) => [k, { soft: u.soft, hard: u.hard }]));
  }
  if (Object.keys(w.sysctls).length) c.sysctls = { ...w.sysctls };
  if (w.cap_add.length) c.capAdd = [...w.cap_add];
  if (w.cap_drop.length) c.capDrop = [...w.cap_drop];
  if (w.dns.length) c.dns = [...w.dns];
  if (w.dns_search.length) c.dnsSearch = [...w.dns_search];
  if (w.dns_options.length) c.dnsOptions = [...w.dns_options];
  if (w.extra_hosts.length) c.extraHosts = [...w.extra_hosts];
  if (w.read_only) c.readOnly = true;
  if (w.init) c.init = true;
  if (Object.keys(w.tmpfs).length) {
    for (const path of Object.keys(w.tmpfs)) if (!ABSOLUTE.test(path)) return fail(`start.container.tmpfs: expected absolute paths, got ${JSON.stringify(path.slice(0, 40))}`);
    c.tmpfs = { ...w.tmpfs };
  }
  if (w.hostname !== undefined) c.hostname = w.hostname;
  if (w.domainname !== undefined) c.domainname = w.domainname;
  if (w.shm_size_bytes !== undefined) {
    if (!(Number.isSafeInteger(w.shm_size_bytes) && w.shm_size_bytes > 0)) return fail(`start.container.shm_size_bytes: expected a positive whole number, got ${w.shm_size_bytes}`);
    c.shmSizeBytes = w.shm_size_bytes;
  }
  if (w.logging) c.logging = { driver: w.logging.driver, options: { ...w.logging.options } };
  if (w.network_mode === 'host') c.networkMode = 'host';
  else if (w.network_mode !== '') return fail(`start.container.network_mode: expected "" or "host", got ${JSON.stringify(w.network_mode.slice(0, 40))}`);
  return ok(Object.keys(c).length ? c : undefined);
}

/** A mount on the wire; a named volume carries Baton's labels so `baton volume ls` and `rm --volumes` find it. */
export function mountToWire(m: MountSpec, stack: string): Mount {
  const v = m.volume;
  return {
    type: m.type,
    source: m.source ?? '',
    target: m.target,
    read_only: m.readOnly === true,
    driver: v?.driver ?? '',
    driver_options: { ...v?.driverOptions },
    labels: v && !v.external ? { [LABEL_MANAGED]: 'true', [LABEL_STACK]: stack, [LABEL_VOLUME]: v.name } : {},
    external: v?.external === true,
    no_copy: m.noCopy === true,
    subpath: m.subpath ?? '',
    propagation: m.propagation ?? '',
    tmpfs_size_bytes: m.tmpfsSizeBytes ?? 0,
    tmpfs_mode: m.tmpfsMode ?? 0,
  };
}

const PROPAGATION = new Set(['', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

/** The agent's half; the volume's Baton labels (made again from stack and name at create) carry its Compose name. */
export function mountFromWire(w: Mount__Output, path: string): Result<MountSpec> {
  if (w.type !== 'volume' && w.type !== 'bind' && w.type !== 'tmpfs') return fail(`${path}.type: expected volume, bind or tmpfs, got ${JSON.stringify(w.type.slice(0, 40))}`);
  if (!ABSOLUTE.test(w.target)) return fail(`${path}.target: expected an absolute path in the container, got ${JSON.stringify(w.target.slice(0, 40))}`);
  if (w.type === 'bind' && !ABSOLUTE.test(w.source)) return fail(`${path}.source: a bind mount needs an absolute host path, got ${JSON.stringify(w.source.slice(0, 40))}`);
  if (w.type === 'volume' && w.source !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(w.source)) return fail(`${path}.source: expected a volume name, got ${JSON.stringify(w.source.slice(0, 40))}`);
  if (!PROPAGATION.has(w.propagation)) return fail(`${path}.propagation: expected one of rprivate, private, rshared, shared, rslave, slave, got ${JSON.stringify(w.propagation.slice(0, 40))}`);
  if (!(Number.isSafeInteger(w.tmpfs_size_bytes) && w.tmpfs_size_bytes >= 0)) return fail(`${path}.tmpfs_size_bytes: expected a whole number >= 0, got ${w.tmpfs_size_bytes}`);
  const named = w.type === 'volume' && w.source !== '';
  return ok({
    type: w.type,
    ...(w.type !== 'tmpfs' && w.source !== '' ? { source: w.source } : {}),
    target: w.target,
    ...(w.read_only ? { readOnly: true as const } : {}),
    ...(named
      ? { volume: { name: w.labels[LABEL_VOLUME] ?? w.source, driver: w.driver, driverOptions: { ...w.driver_options }, ...(w.external ? { external: true as const } : {}) } }
      : {}),
    ...(w.no_copy ? { noCopy: true as const } : {}),
    ...(w.subpath ? { subpath: w.subpath } : {}),
    ...(w.propagation ? { propagation: w.propagation } : {}),
    ...(w.tmpfs_size_bytes ? { tmpfsSizeBytes: w.tmpfs_size_bytes } : {}),
    ...(w.tmpfs_mode ? { tmpfsMode: w.tmpfs_mode } : {}),
  });
}
