// Top-level `networks` and each service's `networks` (with `aliases`), as `docker stack deploy`
// reads them, mapped onto what Baton builds: a network is a name scope, not an overlay. Services
// that share a network resolve each other's names (and the aliases given on that network) to their
// service addresses, which every host's ingress forwards across hosts (README: Traffic); services
// that share none do not resolve each other. Baton has no network objects to create, so a network
// is known by its identity: `<stack>_<key>` (as stack deploy names it), its `name:`, or for an
// `external` one its name, shared by every stack that names it. A stack's `default` network is
// Baton's one default network, on which a stack's own services resolve as `<service>` and other
// stacks' as `<service>.<stack>` (the Traffic issue's rule, kept for files without `networks`).
//
// What an overlay does and a name scope cannot is refused with the reason (`internal`, `ipam`,
// fixed addresses, encrypted overlays, IPv6), and what only tunes an overlay is warned and ignored.
import type { Findings, PathSegment } from './findings.js';
import { quote } from './result.js';
import type { NetworkAttachment } from './types.js';

/** The identity of Baton's default network, which a service without `networks` is on. */
export const DEFAULT_NETWORK = '';

const NETWORK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** What the agent's wire check takes as an /etc/hosts name (shared/wire/replica.ts). */
const ALIAS_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const TOP_KEYS = new Set(['driver', 'driver_opts', 'attachable', 'internal', 'ipam', 'external', 'name', 'labels', 'enable_ipv4', 'enable_ipv6']);
const ATTACH_KEYS = new Set(['aliases', 'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'priority', 'gw_priority', 'driver_opts', 'interface_name']);
const NOT_AN_OVERLAY = 'Baton connects services through each host\'s ingress and service addresses, not an overlay network';

interface NetworkDefinition {
  readonly identity: string;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEmptyOrOff(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (isPlainMap(v) && Object.keys(v).length === 0);
}

/** Top-level `networks`: key -> identity. `default` is always defined (Baton's default network unless renamed). */
export function parseNetworkDefinitions(raw: unknown, stack: string, findings: Findings): Map<string, NetworkDefinition> {
  const out = new Map<string, NetworkDefinition>([['default', { identity: DEFAULT_NETWORK }]]);
  if (raw == null) return out;
  if (!isPlainMap(raw)) {
    findings.errors.push({ path: ['networks'], message: `must be a mapping of network name to definition, got ${quote(raw)}` });
    return out;
  }
  for (const [key, def] of Object.entries(raw)) {
    const at: PathSegment[] = ['networks', key];
    if (!NETWORK_NAME_RE.test(key)) findings.errors.push({ path: at, message: 'a network name must start with a letter or digit and contain only letters, digits, "_", "." and "-"' });
    if (def != null && !isPlainMap(def)) {
      findings.errors.push({ path: at, message: `must be a mapping (driver, external, name, ...) or empty, got ${quote(def)}` });
      continue;
    }
    const d = def ?? {};
    for (const k of Object.keys(d)) {
      if (!TOP_KEYS.has(k) && !k.startsWith('x-')) findings.errors.push({ path: [...at, k], message: `unknown key ${quote(k)} (a network takes driver, driver_opts, attachable, internal, ipam, external, name and labels)` });
    }
    checkDefinition(d, at, findings);
    const external = d['external'] === true;
    const explicit = d['name'];
    if (explicit !== undefined && (typeof explicit !== 'string' || !NETWORK_NAME_RE.test(explicit))) {
      findings.errors.push({ path: [...at, 'name'], message: `must be a network name (letters, digits, "_", ".", "-"), got ${quote(explicit)}` });
    }
    // As stack deploy: an external network keeps its name, others are scoped to the stack unless named;
    // `default` without a name stays Baton's default network.
    const identity =
      typeof explicit === 'string' ? explicit : external ? key : key === 'default' ? DEFAULT_NETWORK : `${stack}_${key}`;
    out.set(key, { identity });
  }
  return out;
}

function checkDefinition(d: Record<string, unknown>, at: PathSegment[], findings: Findings): void {
  const driver = d['driver'];
  if (driver != null && (typeof driver !== 'string' || !['', 'overlay'].includes(driver))) {
    findings.errors.push({
      path: [...at, 'driver'],
      message: `${quote(driver)} is not supported: use overlay or leave it out (${NOT_AN_OVERLAY}; stack deploy too takes only swarm-scoped drivers)`,
    });
  }
  if (d['external'] !== undefined && typeof d['external'] !== 'boolean') findings.errors.push({ path: [...at, 'external'], message: `must be true or false, got ${quote(d['external'])}` });
  if (d['external'] === true) {
    for (const k of ['driver', 'driver_opts', 'ipam', 'internal', 'attachable']) {
      if (!isEmptyOrOff(d[k])) findings.errors.push({ path: [...at, k], message: 'an external network is defined elsewhere: it cannot be set with external' });
    }
  }
  const opts = d['driver_opts'];
  if (opts != null) {
    if (!isPlainMap(opts)) findings.errors.push({ path: [...at, 'driver_opts'], message: `must be a mapping of option to value, got ${quote(opts)}` });
    else
      for (const k of Object.keys(opts)) {
        if (k === 'encrypted') {
          findings.errors.push({
            path: [...at, 'driver_opts', k],
            message: `an encrypted overlay is not supported: Baton forwards traffic between hosts unencrypted (${NOT_AN_OVERLAY}); leaving it out would silently drop the encryption`,
          });
        } else findings.warnings.push({ path: [...at, 'driver_opts', k], message: `ignored: ${NOT_AN_OVERLAY}, so overlay options have nothing to tune` });
      }
  }
  for (const k of ['internal', 'attachable', 'enable_ipv6'] as const) {
    if (d[k] !== undefined && typeof d[k] !== 'boolean') findings.errors.push({ path: [...at, k], message: `must be true or false, got ${quote(d[k])}` });
  }
  if (d['internal'] === true) {
    findings.errors.push({
      path: [...at, 'internal'],
      message: `is not supported: a replica reaches the outside through its host's network, and cutting it off needs an overlay network Baton does not build (${NOT_AN_OVERLAY})`,
    });
  }
  if (d['attachable'] === true) {
    findings.warnings.push({ path: [...at, 'attachable'], message: 'ignored: in Swarm it lets standalone containers join the network; Baton has no standalone containers to attach' });
  }
  if (!isEmptyOrOff(d['ipam'])) {
    findings.errors.push({ path: [...at, 'ipam'], message: `is not supported: each host's Docker gives containers their addresses, and services are reached at their service address (${NOT_AN_OVERLAY})` });
  }
  if (d['enable_ipv6'] === true) findings.errors.push({ path: [...at, 'enable_ipv6'], message: 'is not supported: service addresses and the ingress are IPv4' });
  if (d['enable_ipv4'] === false) findings.errors.push({ path: [...at, 'enable_ipv4'], message: 'cannot be false: service addresses and the ingress are IPv4' });
  if (d['labels'] != null && !isEmptyOrOff(d['labels'])) {
    findings.warnings.push({ path: [...at, 'labels'], message: 'ignored: Baton has no network objects to label' });
  }
}

/**
 * One service's `networks` (a list of names, or a mapping of name to `aliases` and the rest) as the
 * networks it is on, in the order written. Undefined: not set (the default network), so a file
 * without networks keeps the spec it had.
 */
export function parseServiceNetworks(
  raw: unknown,
  defs: ReadonlyMap<string, NetworkDefinition>,
  base: readonly PathSegment[],
  findings: Findings,
): NetworkAttachment[] | undefined {
  if (raw == null) return undefined;
  const entries: [string, unknown, PathSegment[]][] = [];
  if (Array.isArray(raw)) {
    raw.forEach((n, i) => {
      if (typeof n === 'string') entries.push([n, null, [...base, i]]);
      else findings.errors.push({ path: [...base, i], message: `must be a network name, got ${quote(n)}` });
    });
  } else if (isPlainMap(raw)) {
    for (const [n, cfg] of Object.entries(raw)) entries.push([n, cfg, [...base, n]]);
  } else {
    findings.errors.push({ path: [...base], message: `must be a list of network names or a mapping of network name to settings (aliases), got ${quote(raw)}` });
    return undefined;
  }
  const out: NetworkAttachment[] = [];
  const seen = new Set<string>();
  for (const [name, cfg, at] of entries) {
    const def = defs.get(name);
    if (!def) {
      findings.errors.push({ path: at, message: `network ${quote(name)} is not defined under the top-level networks (add "networks: { ${name}: {} }")` });
      continue;
    }
    if (seen.has(def.identity)) continue;
    seen.add(def.identity);
    const aliases = attachment(cfg, at, findings);
    if (aliases === undefined) continue;
    out.push({ network: def.identity, ...(aliases.length ? { aliases } : {}) });
  }
  // `networks: []` or `[default]` is the default network, as not setting it is (same spec, same hash).
  if (out.length === 0 || (out.length === 1 && out[0]!.network === DEFAULT_NETWORK && !out[0]!.aliases)) return undefined;
  return out;
}

/** A service's settings on one network: its aliases (undefined: the settings were refused). */
function attachment(cfg: unknown, at: PathSegment[], findings: Findings): string[] | undefined {
  if (cfg == null) return [];
  if (!isPlainMap(cfg)) {
    findings.errors.push({ path: at, message: `must be a mapping (aliases) or empty, got ${quote(cfg)}` });
    return undefined;
  }
  let ok = true;
  for (const k of Object.keys(cfg)) {
    if (!ATTACH_KEYS.has(k) && !k.startsWith('x-')) {
      findings.errors.push({ path: [...at, k], message: `unknown key ${quote(k)} (a service's network takes aliases, and ipv4_address and the like, which Baton refuses)` });
      ok = false;
    }
  }
  for (const k of ['ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address']) {
    if (isEmptyOrOff(cfg[k])) continue;
    findings.errors.push({ path: [...at, k], message: `is not supported: each host's Docker gives containers their addresses; reach the service by name at its service address (${NOT_AN_OVERLAY})` });
    ok = false;
  }
  for (const k of ['priority', 'gw_priority', 'driver_opts', 'interface_name']) {
    if (!isEmptyOrOff(cfg[k])) findings.warnings.push({ path: [...at, k], message: 'ignored: a replica has one network interface, its host\'s bridge, whatever networks it is on' });
  }
  const raw = cfg['aliases'];
  const aliases: string[] = [];
  if (raw != null) {
    if (!Array.isArray(raw)) {
      findings.errors.push({ path: [...at, 'aliases'], message: `must be a list of host names, got ${quote(raw)}` });
      return undefined;
    }
    raw.forEach((a, i) => {
      if (typeof a === 'string' && ALIAS_RE.test(a)) {
        if (!aliases.includes(a)) aliases.push(a);
      } else {
        findings.errors.push({ path: [...at, 'aliases', i], message: `must be a host name (letters, digits, ".", "_", "-", starting with a letter or digit), got ${quote(a)}` });
        ok = false;
      }
    });
  }
  return ok ? aliases : undefined;
}

/** The networks a service is on: its own, else the default one. */
export function networksOf(spec: { readonly networks?: readonly NetworkAttachment[] | undefined }): readonly NetworkAttachment[] {
  return spec.networks ?? [{ network: DEFAULT_NETWORK }];
}
