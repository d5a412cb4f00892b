// Reading a Compose file on the client side (deploy, plan, dev): the stack name Compose would
// use, and the variables the file refers to. Deliberately free of the parser itself, so commands
// that do not parse (agent, nodes, ps, ...) never load yaml and zod.
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CliError, EXIT_BAD_INPUT } from './client.js';

/** Compose's default stack name: the directory holding the file, lower-cased and cleaned. */
export function defaultStackName(dir: string): string {
  const base = dir.split(/[\\/]/).filter(Boolean).at(-1) ?? 'default';
  return base.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'default';
}

/**
 * The stack name to send: `--stack`, else none when the file names itself (top-level `name`,
 * which then wins without a warning), else the file's directory, as Compose does.
 */
export function stackNameFor(file: string, text: string, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  return /^name:\s*\S/m.test(text) ? '' : defaultStackName(dirname(resolve(file)));
}

/** Only the variables the file refers to travel to the coordinator, not the whole environment. */
export function referencedEnv(text: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const v = env[m[1]!];
    if (v !== undefined) out[m[1]!] = v;
  }
  return out;
}

/** Reads an input file; a missing or unreadable one is bad input (exit 2). */
export async function readInput(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT_BAD_INPUT);
  }
}

/**
 * The files the stack file refers to (env_file, secrets/configs `file:`), read relative to the
 * Compose file, keyed by the path as written: DeployRequest.files. A file that cannot be read is left
 * out, and the parser names it with its key (the same message live and offline); one over the size
 * limit is refused here. Loads the YAML reader lazily: only deploy and plan get here.
 */
export async function readReferencedFiles(file: string, text: string, env: NodeJS.ProcessEnv): Promise<Record<string, Buffer>> {
  const [{ loadYaml }, { interpolateTree }, { referencedFiles, MAX_REFERENCED_FILE_BYTES }] = await Promise.all([
    import('../compose/yaml-load.js'),
    import('../compose/interpolate.js'),
    import('../compose/referenced-files.js'),
  ]);
  const loaded = loadYaml(text);
  // A file that does not load is reported by the parser; it refers to nothing readable.
  if (!loaded.ok) return {};
  const tree = interpolateTree(loaded.value, env, { skip: (p) => p.length === 1 && String(p[0]).startsWith('x-') }).value;
  const out: Record<string, Buffer> = {};
  for (const ref of referencedFiles(tree)) {
    const path = isAbsolute(ref.path) ? ref.path : join(dirname(resolve(file)), ref.path);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (info.size > MAX_REFERENCED_FILE_BYTES) {
      throw new CliError(`${ref.path} (referenced by ${file}) is ${info.size} bytes; files a stack refers to may hold at most ${MAX_REFERENCED_FILE_BYTES} bytes`, EXIT_BAD_INPUT);
    }
    const content = await readFile(path).catch(() => undefined);
    if (content) out[ref.path] = content;
  }
  return out;
}
