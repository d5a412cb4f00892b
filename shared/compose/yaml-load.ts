// Reads YAML text into a plain JSON-like tree (string keys only, no Maps, bounded depth), turning syntax
// errors and non-string keys into findings with line or path instead of exceptions.

import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { type Finding, type Findings, type PathSegment, emptyFindings } from './findings.js';
import { quote } from './result.js';

/** Far beyond any real Compose file. */
export const MAX_DEPTH = 64;
const MAX_SYNTAX_ERRORS = 10;

export type YamlLoad =
  | { readonly ok: true; readonly value: unknown; readonly warnings: Finding[] }
  | { readonly ok: false; readonly errors: Finding[]; readonly warnings: Finding[] };

export function loadYaml(text: string): YamlLoad {
  const findings = emptyFindings();
  const lines = new LineCounter();
  let tree: unknown;
  try {
    // `merge` enables `<<: *anchor`, which Compose files use for shared snippets.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
    const located = (e: YAMLError): Finding => {
      const { line, col } = lines.linePos(e.pos[0]);
      // The library's own wording here points at its API, not at the file.
      const message = e.code === 'MULTIPLE_DOCS' ? 'a second YAML document starts here; a Compose file holds one document' : e.message;
      return { path: [], message: `line ${line}, column ${col}: ${message}` };
    };
    findings.warnings.push(...doc.warnings.map(located));
    if (doc.errors.length > 0) {
      // Broken YAML cascades (a stray bracket can yield thousands); the first few say where to look.
      const errors = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map(located);
      const more = doc.errors.length - MAX_SYNTAX_ERRORS;
      if (more > 0) errors.push({ path: [], message: `${more} more YAML error(s) not shown` });
      return { ok: false, errors, warnings: findings.warnings.slice(0, MAX_SYNTAX_ERRORS) };
    }
    // Maps keep non-string keys visible so they can be reported instead of silently stringified.
    tree = doc.toJS({ mapAsMap: true, maxAliasCount: 100 });
  } catch (e) {
    // The yaml library throws for alias bombs and can overflow the stack on absurd nesting; both are
    // properties of the input, so they are reported like syntax errors.
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, errors: [{ path: [], message: `cannot read this YAML: ${why}` }], warnings: findings.warnings };
  }
  const value = toPlain(tree, [], new Set(), findings);
  if (findings.errors.length > 0) return { ok: false, errors: findings.errors, warnings: findings.warnings };
  return { ok: true, value, warnings: findings.warnings };
}

/** `ancestors` holds the collections on the current branch: meeting one again means an alias refers to its own parent. */
function toPlain(node: unknown, path: PathSegment[], ancestors: Set<unknown>, findings: Findings): unknown {
  if (node instanceof Map || Array.isArray(node) || node instanceof Set) {
    if (ancestors.has(node)) {
      findings.errors.push({ path: [...path], message: 'an alias here refers to a mapping or list that contains it' });
      return null;
    }
    if (path.length >= MAX_DEPTH) {
      if (!findings.errors.some((e) => e.message.startsWith('nested more than'))) {
        // The full path would be as unreadable as the document; where it starts is enough.
        findings.errors.push({ path: path.slice(0, 3), message: `nested more than ${MAX_DEPTH} levels deep` });
      }
      return null;
    }
  }
  const child = (value: unknown, key: PathSegment): unknown => {
    ancestors.add(node);
    const out = toPlain(value, [...path, key], ancestors, findings);
    ancestors.delete(node);
    return out;
  };
  if (node instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of node) {
      // compose-go and stack deploy refuse `123:` or `true:` as a key ("non-string key in services: 123")
      // rather than read it as the string it looks like; so does Baton, saying how to write the string.
      if (typeof k !== 'string') {
        const hint = k === null || typeof k === 'object' ? '' : ` (write "${String(k)}" in quotes for the string)`;
        findings.errors.push({ path: [...path], message: `keys must be strings, got ${quote(k)} as a key${hint}` });
        continue;
      }
      const key = k;
      // defineProperty keeps a `__proto__` key an ordinary key instead of replacing the prototype.
      Object.defineProperty(out, key, { value: child(v, key), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(node)) return node.map((item, i) => child(item, i));
  if (node instanceof Set) return [...node].map((item, i) => child(item, i));
  if (typeof node === 'bigint') return Number(node);
  if (node instanceof Date) return node.toISOString();
  if (node instanceof Uint8Array) return Buffer.from(node).toString('base64');
  return node;
}
