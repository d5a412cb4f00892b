// Compose variable interpolation (`$VAR`, `${VAR:-default}`, `${VAR:?error}`, `$$`, ...) applied to every
// string scalar of a parsed document, as Compose does before it validates anything.

import type { CastOutcome } from './casts.js';
import { type Finding, type Findings, type PathSegment, emptyFindings } from './findings.js';
import { quote } from './result.js';

export type Env = Readonly<Record<string, string | undefined>>;

type Expansion =
  | { readonly ok: true; readonly value: string; readonly unset: readonly string[] }
  | { readonly ok: false; readonly error: string };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BRACED_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?|:\+|\+)([\s\S]*))?$/;

/**
 * Expands one string. `unset` lists variables that were used without a default while unset, which
 * Compose replaces with an empty string and warns about.
 */
export function interpolateString(text: string, env: Env): Expansion {
  let out = '';
  const unset: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let end = i + 2;
      while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end++;
      const name = text.slice(i + 1, end);
      const value = env[name];
      if (value === undefined) unset.push(name);
      out += value ?? '';
      i = end;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, i + 2);
      if (close < 0) return { ok: false, error: `invalid interpolation in ${quote(text)}: "\${" is never closed` };
      const expanded = expandBraced(text.slice(i + 2, close), text, env);
      if (!expanded.ok) return expanded;
      out += expanded.value;
      unset.push(...expanded.unset);
      i = close + 1;
      continue;
    }
    return {
      ok: false,
      error: `invalid interpolation in ${quote(text)}: a "$" must start $NAME or \${NAME}; write "$$" for a literal "$"`,
    };
  }
  return { ok: true, value: out, unset };
}

/**
 * Index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}` in a default
 * so that `${A:-${B}}` is A or the text "${B}" (stack deploy's first-`}` rule would leave a stray `}`).
 */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
    } else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function expandBraced(body: string, whole: string, env: Env): Expansion {
  const m = BRACED_RE.exec(body);
  if (!m) {
    return {
      ok: false,
      error: `invalid interpolation in ${quote(whole)}: "\${${body}}" is not \${NAME}, \${NAME:-default}, \${NAME:?error} or \${NAME:+alternative}`,
    };
  }
  const name = m[1] ?? '';
  const op = m[2];
  const value = env[name];
  const isSet = value !== undefined;
  const isNonEmpty = isSet && value !== '';
  // The word after the operator is taken literally, `$` and all, as `docker stack deploy` does
  // (`${A:-$B}` is "$B" when A is unset); docker compose would expand it again.
  const word = (): Expansion => ({ ok: true, value: m[3] ?? '', unset: [] });
  switch (op) {
    case undefined:
      return { ok: true, value: value ?? '', unset: isSet ? [] : [name] };
    case ':-':
      return isNonEmpty ? { ok: true, value, unset: [] } : word();
    case '-':
      return isSet ? { ok: true, value, unset: [] } : word();
    case ':+':
      return isNonEmpty ? word() : { ok: true, value: '', unset: [] };
    case '+':
      return isSet ? word() : { ok: true, value: '', unset: [] };
    case ':?':
    case '?': {
      if (op === ':?' ? isNonEmpty : isSet) return { ok: true, value: value ?? '', unset: [] };
      const reason = word();
      const detail = reason.ok && reason.value !== '' ? `: ${reason.value}` : '';
      return {
        ok: false,
        error: `required variable "${name}" is ${isSet ? 'empty' : 'not set'}${detail}`,
      };
    }
    default:
      return { ok: true, value: value ?? '', unset: [] };
  }
}

export interface InterpolateOptions {
  /** Subtrees left as they are, e.g. top-level `x-*` extensions that Baton ignores anyway. */
  readonly skip?: (path: readonly PathSegment[]) => boolean;
  /**
   * Converts an interpolated string at `path` to the type Compose casts it to (casts.ts), or
   * undefined to keep the string. A failed cast is an error at the path. @default no casts
   */
  readonly cast?: (path: readonly PathSegment[], value: string) => CastOutcome | undefined;
}

/**
 * Interpolates every string scalar of a plain JSON-like tree (keys are left alone), then casts it
 * where `options.cast` says, as compose-go does in the same pass. An unset variable without a
 * default is warned about once, at its first use.
 */
export function interpolateTree(
  tree: unknown,
  env: Env,
  options: InterpolateOptions = {},
): { readonly value: unknown; readonly findings: Findings } {
  const findings = emptyFindings();
  const warned = new Set<string>();
  const walk = (node: unknown, path: PathSegment[]): unknown => {
    if (options.skip?.(path)) return node;
    if (typeof node === 'string') {
      const r = interpolateString(node, env);
      if (!r.ok) {
        findings.errors.push({ path: [...path], message: r.error });
        return node;
      }
      for (const name of r.unset) {
        if (warned.has(name)) continue;
        warned.add(name);
        findings.warnings.push(unsetWarning(path, name));
      }
      const cast = options.cast?.(path, r.value);
      if (cast === undefined) return r.value;
      // The string as written, when it is not what was cast: `"" (from "${REPLICAS}")`.
      const from = r.value !== node ? ` (from ${quote(node)})` : '';
      if (!cast.ok) {
        findings.errors.push({ path: [...path], message: `${cast.error}${from}` });
        return r.value;
      }
      if (cast.warning !== undefined) findings.warnings.push({ path: [...path], message: `${cast.warning}${from}` });
      return cast.value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return node;
  };
  const value = walk(tree, []);
  return { value, findings };
}

function unsetWarning(path: readonly PathSegment[], name: string): Finding {
  return { path: [...path], message: `variable "${name}" is not set, using an empty string` };
}
