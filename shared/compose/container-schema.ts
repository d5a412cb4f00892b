// The service keys `docker stack deploy` passes straight to Docker (user, working_dir, stop_signal,
// ulimits, sysctls, cap_add/cap_drop, dns*, extra_hosts, read_only, init, tmpfs, hostname,
// domainname, shm_size, logging, network_mode) and `env_file`: their zod shapes here, spread into
// service-schema.ts, and their normalised form (ContainerSettings) built by containerSettings().
import { z } from 'zod';
import { fail, ok, quote, type Result } from './result.js';
import type { ContainerSettings } from './types.js';
import { parseBytes } from './units.js';
import { parsedBy, strictObject } from './zod-support.js';

const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}, got ${quote(issue.input)}`;

const text = (what: string) => z.string({ error: expected(what) });
const stringList = (what: string) =>
  z.union([z.string().transform((s) => [s]), z.array(z.string({ error: expected(what) }))], { error: expected(`${what} or a list of them`) });
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: expected('a string or number') }).transform(String);

/** `NAME:IP` / `NAME=IP` / mapping; IPv6 addresses may be bracketed. Docker's form is `name:ip`. */
function parseExtraHost(item: string): Result<[string, string]> {
  const eq = item.indexOf('=');
  const colon = item.indexOf(':');
  const sep = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
  if (sep <= 0 || sep === item.length - 1) return fail(`must be "hostname:address" (or hostname=address), got ${quote(item)}`);
  return ok([item.slice(0, sep).trim(), item.slice(sep + 1).trim().replace(/^\[(.*)\]$/, '$1')]);
}

const extraHostsSchema = z.union(
  [
    z.array(z.string({ error: expected('a "hostname:address" string') }).transform(parsedBy(parseExtraHost))),
    z.record(z.string(), z.union([z.string(), z.array(z.string())])).transform((m) =>
      Object.entries(m).flatMap(([name, ip]) => (Array.isArray(ip) ? ip : [ip]).map((a) => [name, a] as [string, string])),
    ),
  ],
  { error: expected('a list of "hostname:address" strings or a mapping') },
);

const ulimitValue = z.union(
  [
    z.int().transform((n) => ({ soft: n, hard: n })),
    strictObject({ soft: z.int(), hard: z.int() }).refine((u) => u.soft <= u.hard, { error: 'soft must not be above hard' }),
  ],
  { error: expected('a whole number or a mapping with soft and hard') },
);

const sysctlsSchema = z.union(
  [
    z.record(z.string(), scalar),
    z.array(z.string()).transform(parsedBy((items: string[]): Result<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const item of items) {
        const eq = item.indexOf('=');
        if (eq <= 0) return fail(`each item must be "name=value", got ${quote(item)}`);
        out[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
      }
      return ok(out);
    })),
  ],
  { error: expected('a mapping or a list of "name=value" strings') },
);

/** `tmpfs: /run` or a list of `PATH[:OPTIONS]` (Docker's --tmpfs form). */
const tmpfsSchema = stringList('an absolute path such as /run (optionally PATH:size=64m)').transform(
  parsedBy((items: string[]): Result<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const item of items) {
      const colon = item.indexOf(':');
      const path = colon < 0 ? item : item.slice(0, colon);
      if (!path.startsWith('/')) return fail(`must be an absolute path in the container, got ${quote(item)}`);
      out[path] = colon < 0 ? '' : item.slice(colon + 1);
    }
    return ok(out);
  }),
);

const loggingSchema = strictObject({
  driver: text('a log driver name such as json-file').nullish(),
  options: z.record(z.string(), scalar.nullable()).nullish(),
});

/** `env_file`: a path, or a list of paths or `{path, required, format}` (Compose 2.24+). */
export const envFileSchema = z.union(
  [
    z.string().transform((path) => [{ path, required: true, format: 'compose' as const }]),
    z.array(
      z.union(
        [
          z.string().transform((path) => ({ path, required: true, format: 'compose' as const })),
          strictObject({ path: text('a file path'), required: z.boolean().nullish(), format: z.enum(['raw']).nullish() }).transform((e) => ({
            path: e.path,
            required: e.required ?? true,
            format: e.format ?? ('compose' as const),
          })),
        ],
        { error: expected('a file path or a mapping with path') },
      ),
    ),
  ],
  { error: expected('a file path or a list of them') },
);

const SIGNAL_RE = /^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/;

/** The shape spread into the service schema. */
export const containerShape = {
  env_file: envFileSchema.nullish(),
  user: scalar.nullish(),
  working_dir: text('an absolute path in the container').refine((p) => p.startsWith('/'), { error: 'must be an absolute path in the container' }).nullish(),
  stop_signal: text('a signal such as SIGTERM').refine((s) => SIGNAL_RE.test(s), { error: 'must be a signal name such as SIGTERM or SIGINT, or a number' }).nullish(),
  ulimits: z.record(z.string(), ulimitValue).nullish(),
  sysctls: sysctlsSchema.nullish(),
  cap_add: z.array(text('a capability such as NET_ADMIN')).nullish(),
  cap_drop: z.array(text('a capability such as NET_RAW')).nullish(),
  dns: stringList('an IP address').nullish(),
  dns_search: stringList('a domain').nullish(),
  dns_opt: z.array(text('a resolver option such as ndots:2')).nullish(),
  extra_hosts: extraHostsSchema.nullish(),
  read_only: z.boolean().nullish(),
  init: z.boolean().nullish(),
  tmpfs: tmpfsSchema.nullish(),
  hostname: text('a host name').refine((h) => /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(h), { error: 'must be a host name (letters, digits, "." and "-")' }).nullish(),
  domainname: text('a domain name').nullish(),
  shm_size: z.union([z.string(), z.number()], { error: expected('a byte value such as 64M') }).transform(parsedBy(parseBytes)).nullish(),
  logging: loggingSchema.nullish(),
  network_mode: z.string({ error: expected('"host"') }).transform(
    parsedBy((m: string): Result<'host' | undefined> => {
      if (m === 'host') return ok('host');
      if (m === 'bridge' || m === 'default') return ok(undefined);
      if (m === 'none') return fail('"none" is not supported: a replica must be reachable for its health check and traffic (Swarm has no network_mode either)');
      return fail(`${quote(m)} is not supported: Baton runs replicas on the default network or, with "host", on the host's network (service:/container: modes would tie replicas to containers Baton does not place)`);
    }),
  ).nullish(),
};

type Raw = { [K in keyof typeof containerShape]?: z.output<(typeof containerShape)[K]> };

/** The pass-through settings, each set only when written, so the spec (and its hash) of a file without them stays as it was. */
export function containerSettings(raw: Raw): ContainerSettings | undefined {
  const c: { -readonly [K in keyof ContainerSettings]: ContainerSettings[K] } = {};
  if (raw.user != null) c.user = raw.user;
  if (raw.working_dir != null) c.workingDir = raw.working_dir;
  if (raw.stop_signal != null) c.stopSignal = raw.stop_signal;
  if (raw.ulimits != null && Object.keys(raw.ulimits).length) c.ulimits = raw.ulimits;
  if (raw.sysctls != null && Object.keys(raw.sysctls).length) c.sysctls = raw.sysctls;
  if (raw.cap_add?.length) c.capAdd = raw.cap_add;
  if (raw.cap_drop?.length) c.capDrop = raw.cap_drop;
  if (raw.dns?.length) c.dns = raw.dns;
  if (raw.dns_search?.length) c.dnsSearch = raw.dns_search;
  if (raw.dns_opt?.length) c.dnsOptions = raw.dns_opt;
  if (raw.extra_hosts?.length) c.extraHosts = raw.extra_hosts.map(([name, ip]) => `${name}:${ip}`);
  if (raw.read_only) c.readOnly = true;
  if (raw.init) c.init = true;
  if (raw.tmpfs != null && Object.keys(raw.tmpfs).length) c.tmpfs = raw.tmpfs;
  if (raw.hostname != null) c.hostname = raw.hostname;
  if (raw.domainname != null) c.domainname = raw.domainname;
  if (raw.shm_size != null) c.shmSizeBytes = raw.shm_size;
  if (raw.logging?.driver != null || raw.logging?.options != null) {
    const options = Object.fromEntries(Object.entries(raw.logging.options ?? {}).filter((e): e is [string, string] => e[1] != null));
    c.logging = { driver: raw.logging.driver ?? '', options };
  }
  if (raw.network_mode === 'host') c.networkMode = 'host';
  return Object.keys(c).length ? c : undefined;
}
