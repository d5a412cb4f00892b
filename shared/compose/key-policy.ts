// Which Compose keys Baton does not support, and whether using one is an error or a warning. Nothing in a
// Compose file is silently ignored: a key is supported, listed here, or reported as unknown.
//
// Rule: a key is an ERROR when ignoring it would change what runs, how it is isolated or how it is
// reached; a WARNING when it is cosmetic or only affects interactive/dev use.
//
// | where                        | key(s)                                                         | severity |
// |------------------------------|----------------------------------------------------------------|----------|
// | top level                    | networks (other than an empty `default`), volumes, include,    | error    |
// |                              | models                                                         |          |
// | service                      | build, extends, profiles, volumes, volumes_from, tmpfs,        | error    |
// |                              | env_file, label_file, networks (other than                     |          |
// |                              | `default`), network_mode, links, external_links, extra_hosts,  |          |
// |                              | dns, dns_opt, dns_search, pid, ipc, uts, privileged, cap_add,  |          |
// |                              | cap_drop, security_opt, devices, device_cgroup_rules, gpus,    |          |
// |                              | sysctls, ulimits, userns_mode, cgroup, cgroup_parent, runtime, |          |
// |                              | isolation, storage_opt, read_only, group_add, credential_spec, |          |
// |                              | container_name, user, working_dir, stop_signal, platform,      |          |
// |                              | restart, scale, cpus, cpu_*, cpuset, mem_limit,                |          |
// |                              | mem_reservation, mem_swappiness, memswap_limit, pids_limit,    |          |
// |                              | shm_size, oom_kill_disable, oom_score_adj, blkio_config,       |          |
// |                              | post_start, pre_stop, provider, use_api_socket, models         |          |
// | service                      | hostname, domainname, logging, init, tty, stdin_open, attach,  | warning  |
// |                              | mac_address, pull_policy, annotations, develop                 |          |
// | deploy                       | endpoint_mode (other than `vip`)                               | warning  |
// | deploy.resources.limits      | pids                                                           | error    |
// | deploy.resources.reservations| devices, generic_resources                                     | error    |
// | deploy.placement             | preferences                                                    | warning  |
// | ports (long syntax)          | name, app_protocol                                             | warning  |
// | depends_on (long syntax)     | restart                                                        | warning  |
//
// A key whose value is empty or off (null, false, "", [], {}) is never reported: `privileged: false`
// asks for nothing Baton lacks. `version` and `x-*` extension keys are accepted everywhere and ignored.

import { type Findings, type PathSegment, emptyFindings } from './findings.js';

export interface KeyPolicy {
  readonly severity: 'error' | 'warning';
  readonly why: string;
  /** Values that are fine despite the key being unsupported (beyond the empty/off ones). */
  readonly allow?: (value: unknown) => boolean;
}

const error = (why: string, allow?: (value: unknown) => boolean): KeyPolicy => ({ severity: 'error', why, ...(allow ? { allow } : {}) });
const warning = (why: string, allow?: (value: unknown) => boolean): KeyPolicy => ({ severity: 'warning', why, ...(allow ? { allow } : {}) });

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEmptyOrOff(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainMap(v) && Object.keys(v).length === 0);
}

/** Every replica joins the one default network, so naming only `default` (with no settings) is fine. */
function onlyDefaultNetwork(v: unknown): boolean {
  if (Array.isArray(v)) return v.every((n) => n === 'default');
  if (isPlainMap(v)) return Object.entries(v).every(([k, cfg]) => k === 'default' && isEmptyOrOff(cfg));
  return false;
}

const ISOLATION = 'Baton runs replicas with Docker defaults and does not pass this through yet';
const PASS_THROUGH = 'Baton does not pass this through to Docker yet';
const RESOURCES = 'set resources under deploy.resources (limits and reservations)';
const NETWORKING = 'replicas run on the default network and are reached through published ports';
const STORAGE = 'Baton does not manage volumes or mounts yet, and a replica may be placed on any node';

export const ROOT_POLICY: Readonly<Record<string, KeyPolicy>> = {
  networks: error(NETWORKING, onlyDefaultNetwork),
  volumes: error(STORAGE),
  include: error('put all services in one file'),
  models: error('Baton runs containers only'),
};

export const SERVICE_POLICY: Readonly<Record<string, KeyPolicy>> = {
  build: error('Baton runs prebuilt images; build and push the image, then set image'),
  extends: error('write the service out in full'),
  profiles: error('every service in the file is deployed; remove the services you do not want'),
  volumes: error(STORAGE),
  volumes_from: error(STORAGE),
  tmpfs: error(STORAGE),
  env_file: error('list the variables under environment'),
  label_file: error('list the labels under labels'),
  networks: error(NETWORKING, onlyDefaultNetwork),
  network_mode: error(NETWORKING),
  links: error(NETWORKING),
  external_links: error(NETWORKING),
  extra_hosts: error(PASS_THROUGH),
  dns: error(PASS_THROUGH),
  dns_opt: error(PASS_THROUGH),
  dns_search: error(PASS_THROUGH),
  pid: error(ISOLATION),
  ipc: error(ISOLATION),
  uts: error(ISOLATION),
  privileged: error(ISOLATION),
  cap_add: error(ISOLATION),
  cap_drop: error(ISOLATION),
  security_opt: error(ISOLATION),
  devices: error(ISOLATION),
  device_cgroup_rules: error(ISOLATION),
  gpus: error(ISOLATION),
  sysctls: error(ISOLATION),
  ulimits: error(ISOLATION),
  userns_mode: error(ISOLATION),
  cgroup: error(ISOLATION),
  cgroup_parent: error(ISOLATION),
  runtime: error(ISOLATION),
  isolation: error(ISOLATION),
  storage_opt: error(ISOLATION),
  read_only: error(ISOLATION),
  group_add: error(ISOLATION),
  credential_spec: error(ISOLATION),
  user: error(ISOLATION),
  working_dir: error(ISOLATION),
  stop_signal: error(ISOLATION),
  platform: error('use a multi-arch image, or a node.platform.arch constraint to choose nodes'),
  container_name: error('replicas need distinct names, so Baton names containers itself'),
  restart: error('use deploy.restart_policy'),
  scale: error('use deploy.replicas'),
  cpus: error(RESOURCES),
  cpu_count: error(RESOURCES),
  cpu_percent: error(RESOURCES),
  cpu_shares: error(RESOURCES),
  cpu_period: error(RESOURCES),
  cpu_quota: error(RESOURCES),
  cpu_rt_runtime: error(RESOURCES),
  cpu_rt_period: error(RESOURCES),
  cpuset: error(RESOURCES),
  mem_limit: error(RESOURCES),
  mem_reservation: error(RESOURCES),
  mem_swappiness: error(RESOURCES),
  memswap_limit: error(RESOURCES),
  pids_limit: error(RESOURCES),
  shm_size: error(ISOLATION),
  oom_kill_disable: error(ISOLATION),
  oom_score_adj: error(ISOLATION),
  blkio_config: error(ISOLATION),
  post_start: error('Baton has no lifecycle hooks yet'),
  pre_stop: error('Baton has no lifecycle hooks yet'),
  provider: error('Baton runs containers only'),
  use_api_socket: error('Baton does not give containers access to the Docker API'),
  models: error('Baton runs containers only'),
  hostname: warning('replicas keep the hostnames Docker gives them'),
  domainname: warning('replicas keep the hostnames Docker gives them'),
  logging: warning("replicas log through the engine's default log driver"),
  init: warning('replicas run without an init process'),
  tty: warning('replicas are not attached to a terminal'),
  stdin_open: warning('replicas are not attached to a terminal'),
  attach: warning('use baton logs to follow output'),
  mac_address: warning('Docker assigns MAC addresses'),
  pull_policy: warning('Baton pulls images when a node lacks them'),
  annotations: warning('annotations are not passed to containers'),
  develop: warning('develop only applies to docker compose watch'),
};

export const DEPLOY_POLICY: Readonly<Record<string, KeyPolicy>> = {
  endpoint_mode: warning('every service gets a virtual IP (endpoint_mode: vip); DNS round robin is not supported', (v) => v === 'vip'),
};

export const LIMITS_POLICY: Readonly<Record<string, KeyPolicy>> = {
  pids: error('Baton limits CPU and memory only'),
};

export const RESERVATIONS_POLICY: Readonly<Record<string, KeyPolicy>> = {
  devices: error('Baton reserves CPU and memory only'),
  generic_resources: error('Baton reserves CPU and memory only'),
};

export const PLACEMENT_POLICY: Readonly<Record<string, KeyPolicy>> = {
  preferences: warning('use x-baton.placement (binpack or spread) to choose how replicas are spread'),
};

export const PORT_POLICY: Readonly<Record<string, KeyPolicy>> = {
  name: warning('port names are not used'),
  app_protocol: warning('app_protocol is not used'),
};

export const DEPENDS_ON_POLICY: Readonly<Record<string, KeyPolicy>> = {};

/** Where each table applies in the document tree. */
interface Level {
  readonly keys: Readonly<Record<string, KeyPolicy>>;
  readonly children?: Readonly<Record<string, Level>>;
  /** Applies to every list item (list syntax) under this key. */
  readonly eachItem?: Level;
  /** Applies to every map value (map syntax) under this key. */
  readonly eachValue?: Level;
}

const NONE: Readonly<Record<string, KeyPolicy>> = {};
const SERVICE_LEVEL: Level = {
  keys: SERVICE_POLICY,
  children: {
    deploy: {
      keys: DEPLOY_POLICY,
      children: {
        resources: { keys: NONE, children: { limits: { keys: LIMITS_POLICY }, reservations: { keys: RESERVATIONS_POLICY } } },
        placement: { keys: PLACEMENT_POLICY },
      },
    },
    ports: { keys: NONE, eachItem: { keys: PORT_POLICY } },
    depends_on: { keys: NONE, eachValue: { keys: DEPENDS_ON_POLICY } },
  },
};
const ROOT_LEVEL: Level = { keys: ROOT_POLICY, children: { services: { keys: NONE, eachValue: SERVICE_LEVEL } } };

/**
 * Reports every unsupported key in a (plain, interpolated) Compose document. Values of the wrong type
 * are skipped here; schema validation reports those.
 */
export function checkKeyPolicy(document: unknown): Findings {
  const findings = emptyFindings();
  const visit = (node: unknown, level: Level, path: PathSegment[], isInstance: boolean): void => {
    if (Array.isArray(node)) {
      if (level.eachItem) node.forEach((item, i) => visit(item, level.eachItem as Level, [...path, i], true));
      return;
    }
    if (!isPlainMap(node)) return;
    if (!isInstance && level.eachValue) {
      for (const [k, v] of Object.entries(node)) visit(v, level.eachValue, [...path, k], true);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      // hasOwn: a key such as `constructor` or `__proto__` must not find Object.prototype's members.
      const policy = Object.hasOwn(level.keys, key) ? level.keys[key] : undefined;
      if (policy && !isEmptyOrOff(value) && !policy.allow?.(value)) {
        const list = policy.severity === 'error' ? findings.errors : findings.warnings;
        list.push({ path: [...path, key], message: `${policy.severity === 'error' ? 'not supported' : 'ignored'}: ${policy.why}` });
      }
      const child = level.children && Object.hasOwn(level.children, key) ? level.children[key] : undefined;
      if (child) visit(value, child, [...path, key], false);
    }
  };
  visit(document, ROOT_LEVEL, [], true);
  return findings;
}
