// Which Compose keys Baton does not support, and whether using one is an error or a warning. Nothing in a
// Compose file is silently ignored: a key is supported, listed here, or reported as unknown.
//
// Rule: a key is an ERROR when ignoring it would change what runs, how it is isolated or how it is
// reached; a WARNING when it is cosmetic or only affects interactive/dev use.
//
// | where                        | key(s)                                                         | severity |
// |------------------------------|----------------------------------------------------------------|----------|
// | top level                    | include, models                                                | error    |
// | service                      | build (without image), extends, profiles, volumes_from,        | error    |
// |                              | label_file, pid, ipc, uts, privileged, security_opt, devices,  |          |
// |                              | device_cgroup_rules, gpus, userns_mode, cgroup, cgroup_parent, |          |
// |                              | runtime, isolation, storage_opt, group_add, credential_spec,   |          |
// |                              | platform, scale, cpus, cpu_*, cpuset, mem_limit,               |          |
// |                              | mem_reservation, mem_swappiness, memswap_limit, pids_limit,    |          |
// |                              | oom_kill_disable, oom_score_adj, blkio_config, post_start,     |          |
// |                              | pre_stop, provider, use_api_socket, models                     |          |
// | service                      | tty, stdin_open, attach, mac_address, pull_policy,             | warning  |
// |                              | annotations, develop                                           |          |
// | service (stack deploy        | build (next to image), restart, container_name, links,         | warning  |
// | ignores them too)            | external_links                                                 |          |
// | deploy                       | endpoint_mode (other than `vip`)                               | warning  |
// | deploy.resources.limits      | pids                                                           | error    |
// | deploy.resources.reservations| devices, generic_resources                                     | error    |
// | ports (long syntax)          | name, app_protocol                                             | warning  |
// | depends_on (long syntax)     | restart                                                        | warning  |
//
// A key whose value is empty or off (null, false, "", [], {}) is never reported: `privileged: false`
// asks for nothing Baton lacks. `version` and `x-*` extension keys are accepted everywhere and ignored.
// A key with a `shape` is still checked against the Compose schema's type for it (service-schema.ts,
// through strictObject), so an ignored key with a wrong value (`restart: [1]`) is an error.

import { z } from 'zod';
import { type Findings, type PathSegment, emptyFindings } from './findings.js';
import { expected, type PolicyShape, strictObject } from './zod-support.js';

export interface KeyPolicy extends PolicyShape {
  readonly severity: 'error' | 'warning';
  readonly why: string;
  /** Values that are fine despite the key being unsupported (beyond the empty/off ones). */
  readonly allow?: (value: unknown) => boolean;
  /** The policy that applies instead, given the mapping the key is in (`build` without `image` is an error). */
  readonly inContext?: (parent: Readonly<Record<string, unknown>>) => KeyPolicy | undefined;
}

const error = (why: string, allow?: (value: unknown) => boolean): KeyPolicy => ({ severity: 'error', why, ...(allow ? { allow } : {}) });
const warning = (why: string, allow?: (value: unknown) => boolean): KeyPolicy => ({ severity: 'warning', why, ...(allow ? { allow } : {}) });

/** The policy, with the Compose schema's type for the key (compose-spec.json) checked all the same. */
const shaped = (policy: KeyPolicy, shape: z.ZodType): KeyPolicy => ({ ...policy, shape });

const strings = z.array(z.string({ error: expected('a string') }), { error: expected('a list of strings') });
const stringOrList = z.union([z.string(), strings], { error: expected('a string or a list of strings') });
const listOrDict = z.union(
  [z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()], { error: expected('a string, number, true/false or empty') })), strings],
  { error: expected('a mapping or a list of strings') },
);
const stringOrBoolean = z.union([z.string(), z.boolean()], { error: expected('true, false or a string') });
const text = (what: string) => z.string({ error: expected(what) });
// After Compose's casts (casts.ts), a boolean-or-string key that Compose casts holds a boolean.
const boolean = z.boolean({ error: expected('true or false') });

/** The Compose schema's `build`: a context path, or the long form (compose-spec.json, $defs.service.properties.build). */
const BUILD_SHAPE = z.union(
  [
    z.string(),
    strictObject(
      Object.fromEntries(
        Object.entries({
          context: z.string({ error: expected('a path or URL') }),
          dockerfile: z.string({ error: expected('a file name') }),
          dockerfile_inline: z.string({ error: expected('a string') }),
          entitlements: strings,
          args: listOrDict,
          ssh: listOrDict,
          labels: listOrDict,
          cache_from: strings,
          cache_to: strings,
          no_cache: stringOrBoolean,
          no_cache_filter: stringOrList,
          additional_contexts: listOrDict,
          network: z.string({ error: expected('a network name') }),
          provenance: stringOrBoolean,
          sbom: stringOrBoolean,
          pull: stringOrBoolean,
          target: z.string({ error: expected('a build stage name') }),
          shm_size: z.union([z.int(), z.string()], { error: expected('a byte value such as 2g') }),
          extra_hosts: z.union([z.record(z.string(), stringOrList), strings], { error: expected('a mapping or a list of "host:ip" strings') }),
          isolation: z.string({ error: expected('a string') }),
          privileged: stringOrBoolean,
          secrets: z.array(z.union([z.string(), z.record(z.string(), z.unknown())], { error: expected('a secret name or a mapping') })),
          tags: strings,
          ulimits: z.record(z.string(), z.union([z.int(), z.string(), z.record(z.string(), z.unknown())], { error: expected('a number or a mapping with soft and hard') })),
          platforms: strings,
        }).map(([k, v]) => [k, v.nullish()]),
      ),
    ),
  ],
  { error: expected('a build context path or a mapping with context') },
);

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEmptyOrOff(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainMap(v) && Object.keys(v).length === 0);
}

const ISOLATION = 'Baton runs replicas with Docker defaults and does not pass this through yet';
const RESOURCES = 'set resources under deploy.resources (limits and reservations)';
const LINKS = 'docker stack deploy ignores it too: services on a shared network reach each other by name and alias';
const STORAGE = 'a replica may run on any node: name the volumes it shares under the top-level volumes instead';

export const ROOT_POLICY: Readonly<Record<string, KeyPolicy>> = {
  include: error('put all services in one file'),
  models: error('Baton runs containers only'),
};

export const SERVICE_POLICY: Readonly<Record<string, KeyPolicy>> = {
  // docker stack deploy ignores build (it has no builder) and runs image; without an image there is nothing to run.
  build: {
    ...warning('Baton runs the image and does not build it, as docker stack deploy does; build and push the image beforehand'),
    shape: BUILD_SHAPE,
    inContext: (service) => (service['image'] == null ? { ...error('Baton runs prebuilt images; build and push the image, then set image'), shape: BUILD_SHAPE } : undefined),
  },
  extends: error('write the service out in full'),
  profiles: error('every service in the file is deployed; remove the services you do not want'),
  volumes_from: error(STORAGE),
  label_file: error('list the labels under labels'),
  links: shaped(warning(LINKS), strings),
  external_links: shaped(warning(LINKS), strings),
  pid: error(ISOLATION),
  ipc: error(ISOLATION),
  uts: error(ISOLATION),
  privileged: error(ISOLATION),
  security_opt: error(ISOLATION),
  devices: error(ISOLATION),
  device_cgroup_rules: error(ISOLATION),
  gpus: error(ISOLATION),
  userns_mode: error(ISOLATION),
  cgroup: error(ISOLATION),
  cgroup_parent: error(ISOLATION),
  runtime: error(ISOLATION),
  isolation: error(ISOLATION),
  storage_opt: error(ISOLATION),
  group_add: error(ISOLATION),
  credential_spec: error(ISOLATION),
  platform: error('use a multi-arch image, or a node.platform.arch constraint to choose nodes'),
  // Both ignored by docker stack deploy, where they are common leftovers of files written for docker compose.
  container_name: shaped(warning('replicas need distinct names, so Baton names containers itself (docker stack deploy ignores it too)'), text('a container name')),
  restart: shaped(warning('deploy.restart_policy is what counts (as in docker stack deploy; without one, condition any)'), text('a restart policy such as "always" or "on-failure"')),
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
  oom_kill_disable: error(ISOLATION),
  oom_score_adj: error(ISOLATION),
  blkio_config: error(ISOLATION),
  post_start: error('Baton has no lifecycle hooks yet'),
  pre_stop: error('Baton has no lifecycle hooks yet'),
  provider: error('Baton runs containers only'),
  use_api_socket: error('Baton does not give containers access to the Docker API'),
  models: error('Baton runs containers only'),
  tty: shaped(warning('replicas are not attached to a terminal'), boolean),
  stdin_open: shaped(warning('replicas are not attached to a terminal'), boolean),
  // Not among the keys Compose casts, so a string stays a string, which its schema allows.
  attach: shaped(warning('use baton logs to follow output'), stringOrBoolean),
  mac_address: shaped(warning('Docker assigns MAC addresses'), text('a MAC address')),
  pull_policy: shaped(warning('Baton pulls images when a node lacks them'), text('a pull policy such as always or missing')),
  annotations: shaped(warning('annotations are not passed to containers'), listOrDict),
  develop: shaped(
    warning('develop only applies to docker compose watch'),
    strictObject({ watch: z.array(z.record(z.string(), z.unknown(), { error: expected('a mapping with path and action') }), { error: expected('a list') }).nullish() }),
  ),
};

export const DEPLOY_POLICY: Readonly<Record<string, KeyPolicy>> = {
  endpoint_mode: shaped(warning('every service gets a virtual IP (endpoint_mode: vip); DNS round robin is not supported', (v) => v === 'vip'), text('vip or dnsrr')),
};

export const LIMITS_POLICY: Readonly<Record<string, KeyPolicy>> = {
  pids: error('Baton limits CPU and memory only'),
};

export const RESERVATIONS_POLICY: Readonly<Record<string, KeyPolicy>> = {
  devices: error('Baton reserves CPU and memory only'),
  generic_resources: error('Baton reserves CPU and memory only'),
};

export const PLACEMENT_POLICY: Readonly<Record<string, KeyPolicy>> = {};

export const PORT_POLICY: Readonly<Record<string, KeyPolicy>> = {
  name: shaped(warning('port names are not used'), text('a port name')),
  app_protocol: shaped(warning('app_protocol is not used'), text('a protocol name such as http')),
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
      const listed = Object.hasOwn(level.keys, key) ? level.keys[key] : undefined;
      const policy = listed?.inContext?.(node) ?? listed;
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
