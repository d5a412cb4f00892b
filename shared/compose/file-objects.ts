// Compose `secrets` and `configs`: the top-level definitions (`file:` read by the CLI and sent with
// the deploy, or `external: true`; `name:` honoured) and each service's short (`- name`) and long
// (`source`, `target`, `uid`, `gid`, `mode`) references. Store names are stack-scoped as
// `docker stack deploy` makes them: `<stack>_<key>`, unless `name:` or `external` says otherwise.
// Pure: the file contents come in as `files` (keyed by the path as written).
import type { Finding, Findings, PathSegment } from './findings.js';
import { quote } from './result.js';
import type { FileMountSpec, StackFileObject } from './types.js';

export type FileObjectKind = 'secrets' | 'configs';

/** Docker's secret/config name rule (and a bound that keeps names readable). */
const STORE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const STORE_NAME_HINT = 'letters, digits, "_", "." and "-", starting with a letter or digit, at most 64 characters';
/** Largest secret or config, as Swarm's 500 KB. */
export const MAX_FILE_OBJECT_BYTES = 500 * 1024;

export function isStoreName(name: string): boolean {
  return STORE_NAME_RE.test(name);
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const TOP_KEYS = new Set(['file', 'external', 'name', 'environment', 'content', 'labels', 'driver', 'driver_opts', 'template_driver']);

/** The top-level `secrets:` or `configs:` mapping. `files` undefined: the caller did not read files (a `file:` is then an error saying so). */
export function parseTopLevel(kind: FileObjectKind, raw: unknown, stack: string, files: ReadonlyMap<string, Uint8Array> | undefined, findings: Findings): Map<string, StackFileObject> {
  const out = new Map<string, StackFileObject>();
  if (raw == null) return out;
  const one = kind === 'secrets' ? 'secret' : 'config';
  if (!isPlainMap(raw)) {
    findings.errors.push({ path: [kind], message: `must be a mapping of ${one} name to its definition, got ${quote(raw)}` });
    return out;
  }
  for (const [key, def] of Object.entries(raw)) {
    const path: PathSegment[] = [kind, key];
    const err = (p: PathSegment[], message: string) => void findings.errors.push({ path: p, message });
    if (!isPlainMap(def)) {
      err(path, `must be a mapping with file: or external: true, got ${quote(def)}`);
      continue;
    }
    for (const k of Object.keys(def)) if (!TOP_KEYS.has(k)) err([...path, k], `is not a ${one} key (file, external, name)`);
    if (def['environment'] !== undefined) err([...path, 'environment'], `is not supported: the ${one} would come from the CLI's environment; write it to a file and use file:`);
    if (def['content'] !== undefined) err([...path, 'content'], `is not supported: inline content would sit in the stack file; use file: (or \`baton ${one} create\` and external: true)`);
    for (const k of ['driver', 'driver_opts', 'template_driver'] as const) {
      if (def[k] !== undefined) err([...path, k], `is not supported: Baton keeps ${kind} in its own store`);
    }
    if (def['labels'] !== undefined) findings.warnings.push({ path: [...path, 'labels'], message: `${one} labels are ignored` });
    const ext = def['external'];
    const external = ext === true || (isPlainMap(ext) && ext !== null);
    if (ext !== undefined && ext !== null && typeof ext !== 'boolean' && !isPlainMap(ext)) err([...path, 'external'], `must be true or false, got ${quote(ext)}`);
    let name = isPlainMap(ext) && typeof ext['name'] === 'string' ? ext['name'] : undefined;
    const given = def['name'];
    if (given !== undefined && given !== null && typeof given !== 'string') err([...path, 'name'], `must be a string, got ${quote(given)}`);
    if (typeof given === 'string') name = given;
    const storeName = name ?? (external ? key : `${stack}_${key}`);
    if (!isStoreName(storeName)) err(name !== undefined ? [...path, 'name'] : path, `${JSON.stringify(storeName)} is not a ${one} name (${STORE_NAME_HINT})`);
    const file = def['file'];
    if (external) {
      if (file !== undefined) err([...path, 'file'], 'cannot be given with external: true (an external one is created with `baton ' + one + ' create`)');
      out.set(key, { key, name: storeName, external: true });
      continue;
    }
    if (typeof file !== 'string' || file === '') {
      if (def['environment'] === undefined && def['content'] === undefined) err(path, `needs file: PATH (read by the CLI at deploy) or external: true`);
      continue;
    }
    const content = files?.get(file);
    if (content === undefined) {
      err([...path, 'file'], files === undefined ? `${JSON.stringify(file)}: the file's content was not sent with the deploy (deploy it with the baton CLI, which reads it)` : `${JSON.stringify(file)}: not sent with the deploy (the CLI could not read it)`);
      continue;
    }
    if (content.length > MAX_FILE_OBJECT_BYTES) {
      err([...path, 'file'], `${JSON.stringify(file)}: ${content.length} bytes; a ${one} holds at most ${MAX_FILE_OBJECT_BYTES} bytes`);
      continue;
    }
    out.set(key, { key, name: storeName, external: false, content, file });
  }
  return out;
}

const MOUNT_KEYS = new Set(['source', 'target', 'uid', 'gid', 'mode']);

/**
 * A service's `secrets:` or `configs:` list, against the top-level definitions. `sourceOf` gives a
 * scalar's text as written: Compose (YAML 1.1) reads `mode: 0440` as octal, YAML 1.2 as 440.
 */
export function parseServiceMounts(
  kind: FileObjectKind,
  raw: unknown,
  defined: ReadonlyMap<string, StackFileObject>,
  path: readonly PathSegment[],
  errors: Finding[],
  sourceOf: (path: readonly PathSegment[]) => string | undefined = () => undefined,
): FileMountSpec[] | undefined {
  if (raw == null) return undefined;
  const one = kind === 'secrets' ? 'secret' : 'config';
  const err = (p: PathSegment[], message: string) => void errors.push({ path: p, message });
  if (!Array.isArray(raw)) {
    err([...path], `must be a list of ${one} names or {source, target} mappings, got ${quote(raw)}`);
    return undefined;
  }
  const out: FileMountSpec[] = [];
  const targets = new Set<string>();
  raw.forEach((item, i) => {
    const p: PathSegment[] = [...path, i];
    let source: string;
    let target: string | undefined;
    let uid = '0';
    let gid = '0';
    let mode = 0o444;
    if (typeof item === 'string') source = item;
    else if (isPlainMap(item)) {
      for (const k of Object.keys(item)) if (!MOUNT_KEYS.has(k)) err([...p, k], 'is not a key here (source, target, uid, gid, mode)');
      if (typeof item['source'] !== 'string') return err([...p, 'source'], `required: the name of a top-level ${one}`);
      source = item['source'];
      const t = item['target'];
      if (t != null) {
        if (typeof t !== 'string' || t === '') return err([...p, 'target'], `must be a file name or an absolute path, got ${quote(t)}`);
        target = t;
      }
      for (const [k, v] of [['uid', item['uid']], ['gid', item['gid']]] as const) {
        if (v == null) continue;
        const s = typeof v === 'number' ? String(v) : v;
        if (typeof s !== 'string' || !/^\d{1,10}$/.test(s)) return err([...p, k], `must be a numeric id such as "1000", got ${quote(v)}`);
        if (k === 'uid') uid = s;
        else gid = s;
      }
      const m = item['mode'];
      if (m != null) {
        // Compose reads `0440` as octal (YAML 1.1): so does Baton, from the text as written; `0o440`
        // and decimals (288) are numbers already; a string is taken as octal.
        const written = typeof m === 'number' ? sourceOf([...p, 'mode']) : undefined;
        const n =
          typeof m === 'number'
            ? written !== undefined && /^0[0-7]+$/.test(written) ? parseInt(written, 8) : m
            : typeof m === 'string' && /^(0|0o)?[0-7]{1,4}$/.test(m) ? parseInt(m.replace(/^0o/, ''), 8) : NaN;
        if (!Number.isInteger(n) || n < 0 || n > 0o7777) return err([...p, 'mode'], `must be a file mode such as 0440, got ${quote(m)}`);
        mode = n;
      }
    } else return err(p, `must be a ${one} name or a {source, target} mapping, got ${quote(item)}`);
    const def = defined.get(source);
    if (!def) return err(typeof item === 'string' ? p : [...p, 'source'], `${JSON.stringify(source)} is not defined under the top-level ${kind}`);
    const t = target ?? source;
    const full = t.startsWith('/') ? t : kind === 'secrets' ? `/run/secrets/${t}` : `/${t}`;
    if (full.split('/').some((seg) => seg === '..') || full.endsWith('/') || full.includes('\0')) return err([...p, 'target'], `${JSON.stringify(t)}: must name a file (no "..", no trailing "/")`);
    if (targets.has(full)) return err(p, `${full} is mounted twice`);
    targets.add(full);
    out.push({ source: def.name, target: full, uid, gid, mode });
  });
  return out.length > 0 ? out : undefined;
}
