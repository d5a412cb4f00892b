// A service's `env_file` read the way Compose reads it (compose-spec/godotenv): `KEY=VALUE` lines,
// `export ` allowed, `#` comments, single quotes literal, double quotes with escapes and `${VAR}`,
// unquoted values trimmed with a trailing ` # comment` dropped and `${VAR}` expanded, a bare `KEY`
// taken from the environment (left out when unset). `format: raw` takes every value as written.
// Written here rather than taken from the `dotenv` package: that one neither interpolates nor looks
// bare keys up, so files Compose reads would mean something else.
import { interpolateString, type Env } from './interpolate.js';
import { fail, ok, type Result } from './result.js';

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '$$' };

/**
 * Parses one env file. Variables earlier in the file are visible to later ones, ahead of `env`
 * (the operator's environment, as for the Compose file itself). Errors name the line.
 */
export function parseEnvFile(text: string, env: Env, format: 'compose' | 'raw' = 'compose'): Result<Record<string, string>> {
  const out: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const expand = (value: string, line: number): Result<string> => {
    if (format === 'raw') return ok(value);
    const r = interpolateString(value, { ...env, ...out });
    return r.ok ? ok(r.value) : fail(`line ${line}: ${r.error}`);
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    if (/^export\s/.test(line)) line = line.slice(6).trimStart();
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!KEY_RE.test(key)) return fail(`line ${lineNo}: ${JSON.stringify(key)} is not a variable name (letters, digits, "_", ".", "-"; not starting with a digit)`);
    if (eq < 0) {
      const v = env[key];
      if (v !== undefined) set(out, key, v);
      continue;
    }
    const rest = line.slice(eq + 1).trimStart();
    const quote = format === 'raw' ? undefined : rest[0];
    if (quote === "'" || quote === '"') {
      // The value runs to the matching quote, across lines if need be.
      let body = rest.slice(1);
      let end = closingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        body += '\n' + lines[++i];
        end = closingQuote(body, quote);
      }
      if (end < 0) return fail(`line ${lineNo}: the ${quote === '"' ? 'double' : 'single'} quote that opens the value of ${key} is never closed`);
      const raw = body.slice(0, end);
      if (quote === "'") set(out, key, raw);
      else {
        const v = expand(raw.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m), lineNo);
        if (!v.ok) return v;
        set(out, key, v.value);
      }
      continue;
    }
    // Unquoted: a `#` after whitespace starts a comment.
    const value = (format === 'raw' ? rest : rest.replace(/\s+#.*$/, '')).trim();
    const v = expand(value, lineNo);
    if (!v.ok) return v;
    set(out, key, v.value);
  }
  return ok(out);
}

function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

/** defineProperty: a variable named `__proto__` must be a variable, not a prototype change. */
function set(out: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}
