// `deploy.placement.constraints` entries (`node.labels.zone==edge`, `node.role != manager`) parsed into
// Constraints, with the attributes Baton can evaluate.

import { fail, ok, quote, type Result } from './result.js';
import { didYouMean } from './suggest.js';
import type { Constraint } from './types.js';

export const CONSTRAINT_ATTRIBUTES = [
  'node.id',
  'node.hostname',
  'node.role',
  'node.platform.os',
  'node.platform.arch',
  'node.labels.<key>',
] as const;

const FIXED_ATTRIBUTES = new Set<string>(CONSTRAINT_ATTRIBUTES.filter((a) => !a.endsWith('<key>')));
const CONSTRAINT_RE = /^\s*([^\s=!]+)\s*(==|!=)\s*(.*?)\s*$/;

export function parseConstraint(text: string): Result<Constraint> {
  const m = CONSTRAINT_RE.exec(text);
  if (!m) return fail(`${quote(text)} is not a constraint (use attribute==value or attribute!=value)`);
  const attribute = m[1] ?? '';
  const op = m[2] as '==' | '!=';
  const value = m[3] ?? '';
  if (attribute.startsWith('engine.labels.')) {
    return fail(`${quote(text)}: engine labels are not supported (Baton has no engine labels; set a node label and use node.labels.<key>)`);
  }
  if (attribute.startsWith('node.labels.')) {
    if (attribute.length === 'node.labels.'.length) return fail(`${quote(text)}: node.labels needs a label key, e.g. node.labels.zone`);
  } else if (!FIXED_ATTRIBUTES.has(attribute)) {
    return fail(
      `${quote(text)}: unknown attribute ${quote(attribute)}${didYouMean(attribute, FIXED_ATTRIBUTES)} (use ${CONSTRAINT_ATTRIBUTES.join(', ')})`,
    );
  }
  if (value === '') return fail(`${quote(text)} has no value after ${op}`);
  return ok({ attribute, op, value, text });
}

/**
 * A `placement.preferences` `spread:` descriptor, as SwarmKit reads it: `node.labels.<key>` -> the
 * label key. Engine labels (SwarmKit's other kind) do not exist in Baton; other attributes SwarmKit
 * ignores, so a file naming one would not spread at all there: refused here instead of ignored.
 */
export function parseSpreadDescriptor(text: string): Result<string> {
  const d = text.trim();
  if (d.startsWith('engine.labels.')) return fail(`${quote(text)}: engine labels are not supported (Baton has no engine labels; set a node label and spread over node.labels.<key>)`);
  if (!d.startsWith('node.labels.')) return fail(`${quote(text)} cannot be spread over (use node.labels.<key>, e.g. node.labels.zone)`);
  if (d.length === 'node.labels.'.length) return fail(`${quote(text)}: node.labels needs a label key, e.g. node.labels.zone`);
  return ok(d.slice('node.labels.'.length));
}
