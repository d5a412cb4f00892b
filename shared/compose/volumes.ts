// Service `volumes` and the top-level `volumes` they name, as `docker stack deploy` reads them:
// named volumes (a volume per node, created there by Docker with the definition's driver and
// options, named `<stack>_<key>` unless `name:` or `external`), anonymous volumes, bind mounts
// (absolute host paths only: the path is on the node, not next to the Compose file) and tmpfs.
// Baton's one addition: `x-baton: { sticky: true }` in a volume definition keeps each replica of
// a service that mounts it on the node that holds its data (coordinator/sticky.ts).
import type { Finding, Findings, PathSegment } from './findings.js';
import { quote } from './result.js';
import type { MountSpec } from './types.js';
import { parseBytes } from './units.js';

interface VolumeDefinition {
  readonly name: string;
  readonly driver: string;
  readonly driverOptions: Readonly<Record<string, string>>;
  readonly external: boolean;
  /** `x-baton: { sticky: true }`. */
  readonly sticky: boolean;
}

const VOLUME_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const PROPAGATION = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];
const TOP_KEYS = new Set(['driver', 'driver_opts', 'external', 'name', 'labels']);
const BATON_KEYS = new Set(['sticky']);
const LONG_KEYS = new Set(['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs', 'consistency']);

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Top-level `volumes`: key -> how nodes create it. */
export function parseVolumeDefinitions(raw: unknown, stack: string, findings: Findings): Map<string, VolumeDefinition> {
  const out = new Map<string, VolumeDefinition>();
  if (raw == null) return out;
  if (!isPlainMap(raw)) {
    findings.errors.push({ path: ['volumes'], message: `must be a mapping of volume name to definition, got ${quote(raw)}` });
    return out;
  }
  for (const [key, def] of Object.entries(raw)) {
    const at: PathSegment[] = ['volumes', key];
    if (!VOLUME_NAME_RE.test(key)) findings.errors.push({ path: at, message: 'a volume name must start with a letter or digit and contain only letters, digits, "_", "." and "-"' });
    if (def != null && !isPlainMap(def)) {
      findings.errors.push({ path: at, message: `must be a mapping (driver, driver_opts, external, name) or empty, got ${quote(def)}` });
      continue;
    }
    const d = def ?? {};
    for (const k of Object.keys(d)) if (!TOP_KEYS.has(k) && !k.startsWith('x-')) findings.errors.push({ path: [...at, k], message: `unknown key ${quote(k)} (a volume takes driver, driver_opts, external, name and labels)` });
    const external = d['external'] === true;
    if (d['external'] !== undefined && typeof d['external'] !== 'boolean') findings.errors.push({ path: [...at, 'external'], message: `must be true or false, got ${quote(d['external'])}` });
    const driver = d['driver'] ?? '';
    if (typeof driver !== 'string') findings.errors.push({ path: [...at, 'driver'], message: `must be a volume driver name such as local, got ${quote(driver)}` });
    const opts: Record<string, string> = {};
    if (d['driver_opts'] != null) {
      if (!isPlainMap(d['driver_opts'])) findings.errors.push({ path: [...at, 'driver_opts'], message: `must be a mapping of option to value, got ${quote(d['driver_opts'])}` });
      else for (const [k, v] of Object.entries(d['driver_opts'])) {
        if (typeof v === 'string' || typeof v === 'number') opts[k] = String(v);
        else findings.errors.push({ path: [...at, 'driver_opts', k], message: `must be a string or number, got ${quote(v)}` });
      }
    }
    if (external && (d['driver'] != null || d['driver_opts'] != null)) {
      findings.errors.push({ path: [...at, 'external'], message: 'an external volume already exists on the node: driver and driver_opts cannot be set with it' });
    }
    const explicit = d['name'];
    if (explicit !== undefined && (typeof explicit !== 'string' || !VOLUME_NAME_RE.test(explicit))) {
      findings.errors.push({ path: [...at, 'name'], message: `must be a volume name (letters, digits, "_", ".", "-"), got ${quote(explicit)}` });
    }
    const sticky = batonVolume(d['x-baton'], [...at, 'x-baton'], findings.errors);
    // As stack deploy: external volumes keep their name; others are scoped to the stack unless named.
    const name = typeof explicit === 'string' ? explicit : external ? key : `${stack}_${key}`;
    out.set(key, { name, driver: typeof driver === 'string' ? driver : '', driverOptions: opts, external, sticky });
  }
  return out;
}

/** A volume definition's `x-baton` (Baton's own keys, which other Compose tools ignore): whether it is sticky. */
function batonVolume(raw: unknown, at: PathSegment[], errors: Finding[]): boolean {
  if (raw == null) return false;
  if (!isPlainMap(raw)) {
    errors.push({ path: at, message: `must be a mapping such as {sticky: true}, got ${quote(raw)}` });
    return false;
  }
  for (const k of Object.keys(raw)) if (!BATON_KEYS.has(k)) errors.push({ path: [...at, k], message: `unknown key ${quote(k)} (x-baton in a volume takes sticky)` });
  const sticky = raw['sticky'];
  if (sticky !== undefined && sticky !== null && typeof sticky !== 'boolean') {
    errors.push({ path: [...at, 'sticky'], message: `must be true or false (true keeps each replica on the node that holds its data), got ${quote(sticky)}` });
    return false;
  }
  return sticky === true;
}

/** One service's `volumes` entries (short `[SOURCE:]TARGET[:MODE]` or long syntax) as mounts. */
export function parseServiceVolumes(raw: unknown, defs: ReadonlyMap<string, VolumeDefinition>, base: readonly PathSegment[], findings: Findings): MountSpec[] | undefined {
  if (raw == null) return undefined;
  const errors = findings.errors;
  if (!Array.isArray(raw)) {
    errors.push({ path: [...base], message: `must be a list of volumes ("name:/path", "/host:/path:ro" or mappings with type, source and target), got ${quote(raw)}` });
    return undefined;
  }
  const out: MountSpec[] = [];
  const targets = new Map<string, number>();
  raw.forEach((item, i) => {
    const at: PathSegment[] = [...base, i];
    const mount = typeof item === 'string' ? shortSyntax(item, defs, at, errors) : isPlainMap(item) ? longSyntax(item, defs, at, errors) : undefined;
    if (typeof item !== 'string' && !isPlainMap(item)) errors.push({ path: at, message: `must be a string such as "data:/var/lib/data" or a mapping with type, source and target, got ${quote(item)}` });
    if (!mount) return;
    const other = targets.get(mount.target);
    if (other !== undefined) errors.push({ path: at, message: `${mount.target} is already mounted by volumes.${other}` });
    targets.set(mount.target, i);
    // Allowed (deploy needs the admin role), but worth a look in every plan and deploy.
    if (mount.type === 'bind') findings.warnings.push({ path: at, message: `bind mount ${mount.source} gives the container the host's files; the path must exist on every node that runs it` });
    out.push(mount);
  });
  return out.length ? out : undefined;
}

function isPathSource(s: string): boolean {
  return s.startsWith('/') || s.startsWith('.') || s.startsWith('~');
}

function bindSource(source: string, at: PathSegment[], errors: Finding[]): string | undefined {
  if (source.startsWith('/')) return source.length > 1 ? source.replace(/\/+$/, '') : source;
  errors.push({ path: at, message: `bind mount source ${quote(source)} must be an absolute path on the node: the replica runs on a node, not next to the Compose file (stack deploy has the same rule in a cluster)` });
  return undefined;
}

function named(source: string, defs: ReadonlyMap<string, VolumeDefinition>, at: PathSegment[], errors: Finding[]): Pick<MountSpec, 'source' | 'volume'> | undefined {
  const def = defs.get(source);
  if (!def) {
    errors.push({ path: at, message: `volume ${quote(source)} is not defined under the top-level volumes (add "volumes: { ${source}: {} }")` });
    return undefined;
  }
  return { source: def.name, volume: { name: source, driver: def.driver, driverOptions: def.driverOptions, ...(def.external ? { external: true as const } : {}), ...(def.sticky ? { sticky: true as const } : {}) } };
}

function shortSyntax(item: string, defs: ReadonlyMap<string, VolumeDefinition>, at: PathSegment[], errors: Finding[]): MountSpec | undefined {
  const parts = item.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    errors.push({ path: at, message: `must be "TARGET", "SOURCE:TARGET" or "SOURCE:TARGET:MODE", got ${quote(item)}` });
    return undefined;
  }
  if (parts.length === 1) {
    if (!parts[0]!.startsWith('/')) return void errors.push({ path: at, message: `an anonymous volume's target must be an absolute path in the container, got ${quote(item)}` });
    return { type: 'volume', target: parts[0]! };
  }
  const [source, target, mode = ''] = parts as [string, string, string?];
  if (!target.startsWith('/')) return void errors.push({ path: at, message: `the target ${quote(target)} must be an absolute path in the container` });
  const flags = mode.split(',').filter(Boolean);
  for (const f of flags) {
    if (!['ro', 'rw', 'z', 'Z', 'nocopy', ...PROPAGATION].includes(f)) return void errors.push({ path: at, message: `unknown mode ${quote(f)} (ro, rw, nocopy, z, Z or a propagation such as rshared)` });
  }
  const readOnly = flags.includes('ro') ? { readOnly: true as const } : {};
  if (isPathSource(source)) {
    const src = bindSource(source, at, errors);
    if (src === undefined) return undefined;
    const propagation = flags.find((f) => PROPAGATION.includes(f));
    return { type: 'bind', source: src, target, ...readOnly, ...(propagation ? { propagation } : {}) };
  }
  const vol = named(source, defs, at, errors);
  if (!vol) return undefined;
  return { type: 'volume', ...vol, target, ...readOnly, ...(flags.includes('nocopy') ? { noCopy: true as const } : {}) };
}

function longSyntax(item: Record<string, unknown>, defs: ReadonlyMap<string, VolumeDefinition>, at: PathSegment[], errors: Finding[]): MountSpec | undefined {
  for (const k of Object.keys(item)) if (!LONG_KEYS.has(k) && !k.startsWith('x-')) errors.push({ path: [...at, k], message: `unknown key ${quote(k)} (type, source, target, read_only, bind, volume, tmpfs)` });
  const type = item['type'] ?? 'volume';
  const target = item['target'];
  if (target === undefined) return void errors.push({ path: [...at, 'target'], message: 'is required: the absolute path in the container' });
  if (typeof target !== 'string' || !target.startsWith('/')) return void errors.push({ path: [...at, 'target'], message: `must be an absolute path in the container, got ${quote(target)}` });
  const ro = item['read_only'];
  if (ro !== undefined && typeof ro !== 'boolean') errors.push({ path: [...at, 'read_only'], message: `must be true or false, got ${quote(ro)}` });
  const readOnly = ro === true ? { readOnly: true as const } : {};
  const source = item['source'];
  if (source !== undefined && typeof source !== 'string') return void errors.push({ path: [...at, 'source'], message: `must be a string, got ${quote(source)}` });
  const sub = (key: string): Record<string, unknown> => (isPlainMap(item[key]) ? (item[key] as Record<string, unknown>) : {});
  switch (type) {
    case 'volume': {
      const v = sub('volume');
      const subpath = typeof v['subpath'] === 'string' ? { subpath: v['subpath'] } : {};
      const noCopy = v['nocopy'] === true ? { noCopy: true as const } : {};
      if (source === undefined || source === '') return { type: 'volume', target, ...readOnly, ...noCopy };
      const vol = named(source, defs, [...at, 'source'], errors);
      return vol ? { type: 'volume', ...vol, target, ...readOnly, ...noCopy, ...subpath } : undefined;
    }
    case 'bind': {
      if (source === undefined) return void errors.push({ path: [...at, 'source'], message: 'a bind mount needs the host path as source' });
      const src = bindSource(source, [...at, 'source'], errors);
      const propagation = sub('bind')['propagation'];
      if (propagation !== undefined && !PROPAGATION.includes(String(propagation))) errors.push({ path: [...at, 'bind', 'propagation'], message: `must be one of ${PROPAGATION.join(', ')}, got ${quote(propagation)}` });
      return src === undefined ? undefined : { type: 'bind', source: src, target, ...readOnly, ...(typeof propagation === 'string' ? { propagation } : {}) };
    }
    case 'tmpfs': {
      const t = sub('tmpfs');
      const size = t['size'] === undefined ? undefined : parseBytes(t['size'] as string | number);
      if (size && !size.ok) errors.push({ path: [...at, 'tmpfs', 'size'], message: size.error });
      const mode = t['mode'];
      if (mode !== undefined && !(Number.isInteger(mode) && (mode as number) >= 0 && (mode as number) <= 0o7777)) errors.push({ path: [...at, 'tmpfs', 'mode'], message: `must be a file mode such as 1777 (octal in YAML: 0o1777), got ${quote(mode)}` });
      return { type: 'tmpfs', target, ...readOnly, ...(size?.ok ? { tmpfsSizeBytes: size.value } : {}), ...(typeof mode === 'number' ? { tmpfsMode: mode } : {}) };
    }
    case 'npipe':
      return void errors.push({ path: [...at, 'type'], message: 'npipe mounts are for Windows hosts; Baton runs Linux containers' });
    case 'cluster':
    case 'image':
      return void errors.push({ path: [...at, 'type'], message: `${type} mounts are not supported (stack deploy does not take them either)` });
    default:
      return void errors.push({ path: [...at, 'type'], message: `must be volume, bind or tmpfs, got ${quote(type)}` });
  }
}
