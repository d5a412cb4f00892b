// Compose's type casts: the values its schema types as "number or string" or "boolean or string" are
// converted from strings after interpolation, at fixed paths, so `replicas: ${REPLICAS:-2}`,
// `replicas: "3"` and `disable: "true"` mean what they say. The table is compose-go's
// (loader/interpolate.go), which `docker stack deploy`'s loader (docker/cli cli/compose/loader/
// interpolate.go) is a subset of, plus Baton's own x-baton keys; it names keys Baton refuses or
// ignores too, so `privileged: "false"` is off, as it is for Compose.

import type { PathSegment } from './findings.js';
import { quote } from './result.js';

type Cast = 'whole number' | 'number' | 'boolean';

/** `*` matches any key or list index, `[]` a list index only (compose-go's tree.PathMatchAll / PathMatchList). */
const CASTS: readonly (readonly [string, Cast])[] = [
  ['services.*.cpu_count', 'whole number'],
  ['services.*.cpu_percent', 'number'],
  ['services.*.cpu_period', 'whole number'],
  ['services.*.cpu_quota', 'whole number'],
  ['services.*.cpu_rt_period', 'whole number'],
  ['services.*.cpu_rt_runtime', 'whole number'],
  ['services.*.cpus', 'number'],
  ['services.*.cpu_shares', 'whole number'],
  ['services.*.init', 'boolean'],
  ['services.*.depends_on.*.required', 'boolean'],
  ['services.*.depends_on.*.restart', 'boolean'],
  ['services.*.deploy.replicas', 'whole number'],
  ['services.*.deploy.update_config.parallelism', 'whole number'],
  ['services.*.deploy.update_config.max_failure_ratio', 'number'],
  ['services.*.deploy.rollback_config.parallelism', 'whole number'],
  ['services.*.deploy.rollback_config.max_failure_ratio', 'number'],
  ['services.*.deploy.restart_policy.max_attempts', 'whole number'],
  ['services.*.deploy.placement.max_replicas_per_node', 'whole number'],
  ['services.*.healthcheck.retries', 'whole number'],
  ['services.*.healthcheck.disable', 'boolean'],
  ['services.*.oom_kill_disable', 'boolean'],
  ['services.*.oom_score_adj', 'whole number'],
  ['services.*.pids_limit', 'whole number'],
  // ports[].target and published are left to the port parser, which takes strings and ranges itself.
  ['services.*.privileged', 'boolean'],
  ['services.*.read_only', 'boolean'],
  ['services.*.scale', 'whole number'],
  ['services.*.stdin_open', 'boolean'],
  ['services.*.tty', 'boolean'],
  ['services.*.ulimits.*', 'whole number'],
  ['services.*.ulimits.*.hard', 'whole number'],
  ['services.*.ulimits.*.soft', 'whole number'],
  ['services.*.volumes.[].read_only', 'boolean'],
  ['services.*.volumes.[].volume.nocopy', 'boolean'],
  ['services.*.x-baton.healthcheck.retries', 'whole number'],
  ['networks.*.external', 'boolean'],
  ['networks.*.internal', 'boolean'],
  ['networks.*.attachable', 'boolean'],
  ['networks.*.enable_ipv4', 'boolean'],
  ['networks.*.enable_ipv6', 'boolean'],
  ['volumes.*.external', 'boolean'],
  ['volumes.*.x-baton.sticky', 'boolean'],
  ['secrets.*.external', 'boolean'],
  ['configs.*.external', 'boolean'],
];

const PATTERNS = CASTS.map(([pattern, cast]) => ({ parts: pattern.split('.'), cast }));

export type CastOutcome =
  | { readonly ok: true; readonly value: number | boolean; readonly warning?: string }
  | { readonly ok: false; readonly error: string };

/** What Go's strconv.Atoi accepts. */
const WHOLE_RE = /^[+-]?\d+$/;
/** Decimal forms of Go's strconv.ParseFloat. */
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** YAML 1.1 spellings, which compose-go and stack deploy still accept (compose-go with a warning, as here). */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = { y: true, yes: true, on: true, n: false, no: false, off: false };

/** The cast for a path, or undefined when Compose takes the string as it is. */
export function castFor(path: readonly PathSegment[]): Cast | undefined {
  for (const { parts, cast } of PATTERNS) {
    if (parts.length !== path.length) continue;
    if (parts.every((p, i) => p === '*' || (p === '[]' ? typeof path[i] === 'number' : p === String(path[i])))) return cast;
  }
  return undefined;
}

/**
 * Converts a string found at `path` (after interpolation) when Compose would, undefined when it
 * would not. Range checks (at least 0, at most 1) are the schema's; this only converts.
 */
export function castComposeValue(path: readonly PathSegment[], text: string): CastOutcome | undefined {
  const cast = castFor(path);
  if (cast === undefined) return undefined;
  if (cast === 'boolean') {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true' };
    const yaml11 = YAML11_BOOLEANS[lower];
    if (yaml11 !== undefined && Object.hasOwn(YAML11_BOOLEANS, lower)) {
      return { ok: true, value: yaml11, warning: `${quote(text)} is read as ${yaml11} (a YAML 1.1 spelling); write ${yaml11}` };
    }
    return { ok: false, error: `must be true or false, got ${quote(text)}` };
  }
  const re = cast === 'whole number' ? WHOLE_RE : NUMBER_RE;
  if (!re.test(text)) return { ok: false, error: `must be a ${cast}, got ${quote(text)}` };
  return { ok: true, value: Number(text) };
}
