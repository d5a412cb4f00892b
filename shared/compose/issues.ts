// Findings become SpecIssues here: dotted paths, the file name, document order, and the one-line
// format the CLI prints.

import type { Finding, PathSegment } from './findings.js';
import type { SpecIssue } from './types.js';

/** The path of a problem with the document as a whole (syntax errors, a document that is not a mapping). */
export const DOCUMENT_PATH = '(document)';

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `services.web.ports.0.published`; keys that would be ambiguous with dots are bracketed: `labels["com.example.tier"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return DOCUMENT_PATH;
  let out = '';
  for (const seg of path) {
    const text = String(seg);
    if (typeof seg === 'number' || PLAIN_SEGMENT.test(text)) out += out === '' ? text : `.${text}`;
    else out += `[${JSON.stringify(text)}]`;
  }
  return out;
}

export function toSpecIssue(file: string, finding: Finding): SpecIssue {
  return { file, path: formatPath(finding.path), message: finding.message };
}

/** `compose.yaml: services.web.deploy.replicas: must be a whole number, got 1.5` */
export function formatIssue(issue: SpecIssue): string {
  return issue.path === DOCUMENT_PATH ? `${issue.file}: ${issue.message}` : `${issue.file}: ${issue.path}: ${issue.message}`;
}

/** How a warning is printed wherever it appears: `warning: compose.yaml: services.web.restart: ignored: ...` */
export function formatWarning(text: string): string {
  return `warning: ${text}`;
}

/**
 * The message that refuses a file: its errors, then its warnings, each labelled `warning:`, so a reader
 * tells what stopped the deploy from what merely deserves a look. One text because it travels as one
 * gRPC status message (`baton deploy`, live `baton plan`) and is printed as one CliError (offline plan).
 */
export function formatRefusal(errors: readonly string[], warnings: readonly string[]): string {
  return [...errors, ...warnings.map(formatWarning)].join('\n');
}

/**
 * Sorts findings into the order their paths appear in `tree` (stable otherwise), so a user reads them
 * top to bottom whichever stage found them. A path that is not in the tree (a missing key) sorts with
 * its nearest existing parent.
 */
export function sortByDocumentOrder(findings: readonly Finding[], tree: unknown): Finding[] {
  const order = new Map<string, number>();
  const walk = (node: unknown, path: PathSegment[]): void => {
    order.set(key(path), order.size);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(tree, []);
  const rank = (path: readonly PathSegment[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const r = order.get(key(path.slice(0, n)));
      if (r !== undefined) return r;
    }
    return 0;
  };
  return findings
    .map((f, i) => ({ f, i, r: rank(f.path) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.f);
}

function key(path: readonly PathSegment[]): string {
  return JSON.stringify(path.map(String));
}
