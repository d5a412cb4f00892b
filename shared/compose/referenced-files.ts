// The files a Compose file refers to by path: a service's `env_file`, and the top-level `secrets` and
// `configs` read with `file:`. The CLI reads them next to the Compose file and sends them with the
// deploy (DeployRequest.files), keyed by the path as written, so the coordinator parses exactly what
// the operator's machine holds. Pure: a plain, interpolated tree in, paths out.

/** One reference; `required: false` only for an env_file entry that says so (Compose: skipped when missing). */
export interface FileReference {
  readonly path: string;
  readonly required: boolean;
}

/** Largest file a stack may reference (Swarm caps secrets at 500 KB; configs and env files are smaller still). */
export const MAX_REFERENCED_FILE_BYTES = 1024 * 1024;

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `env_file` in any of its forms: a path, a list of paths, or a list of `{path, required}`. */
export function envFileEntries(value: unknown): FileReference[] {
  const items = Array.isArray(value) ? value : value == null ? [] : [value];
  const out: FileReference[] = [];
  for (const item of items) {
    if (typeof item === 'string') out.push({ path: item, required: true });
    else if (isPlainMap(item) && typeof item['path'] === 'string') out.push({ path: item['path'], required: item['required'] !== false });
  }
  return out;
}

/** Every file the document refers to, each path once (required wins over optional), in document order. */
export function referencedFiles(tree: unknown): FileReference[] {
  const found = new Map<string, FileReference>();
  const add = (ref: FileReference) => {
    const seen = found.get(ref.path);
    if (!seen || (!seen.required && ref.required)) found.set(ref.path, ref);
  };
  if (!isPlainMap(tree)) return [];
  const services = tree['services'];
  if (isPlainMap(services)) {
    for (const svc of Object.values(services)) if (isPlainMap(svc)) envFileEntries(svc['env_file']).forEach(add);
  }
  for (const section of ['secrets', 'configs']) {
    const defs = tree[section];
    if (!isPlainMap(defs)) continue;
    for (const def of Object.values(defs)) if (isPlainMap(def) && typeof def['file'] === 'string') add({ path: def['file'], required: true });
  }
  return [...found.values()];
}
