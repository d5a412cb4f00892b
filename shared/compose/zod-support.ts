// The glue between zod and Baton's messages: strict objects with "did you mean" for unknown keys, value
// parsers as transforms, house-style messages, and zod issues flattened into path-addressed findings.

import { z } from 'zod';
import type { Finding, PathSegment } from './findings.js';
import { quote, type Result } from './result.js';
import { didYouMean } from './suggest.js';

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** What strictObject needs of a key-policy entry (key-policy.ts's KeyPolicy), structurally, so this file does not import the table. */
export interface PolicyShape {
  /** The Compose schema's type of a key Baton does not use: checked all the same, so a wrong value is still an error. */
  readonly shape?: z.ZodType;
}

/**
 * An object schema that reports unknown keys (suggesting the closest known one), passes `x-*` extension
 * keys, and skips keys of `policy`, which the key-policy pass has already reported, after checking them
 * against their Compose `shape` where the policy gives one (`restart: [1]` is an error though `restart`
 * is ignored). Those values are not in the output's type; nothing downstream reads them.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, policy: Readonly<Record<string, PolicyShape>> = {}) {
  const known = Object.keys(shape);
  const candidates = [...known, ...Object.keys(policy)];
  const checked: Record<string, z.ZodType> = {};
  for (const [key, p] of Object.entries(policy)) if (p.shape && !Object.hasOwn(shape, key)) checked[key] = p.shape.nullish();
  // The checked keys' values pass through unused; the type says what the rest of the parser reads.
  const inner = z.object({ ...shape, ...checked }) as unknown as z.ZodObject<Shape>;
  return z.preprocess((input, ctx) => {
    if (!isPlainMap(input)) return input;
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (Object.hasOwn(shape, key) || Object.hasOwn(checked, key)) Object.defineProperty(kept, key, { value, enumerable: true, writable: true, configurable: true });
      else if (key.startsWith('x-') || Object.hasOwn(policy, key)) continue;
      else {
        // zod lets only this issue code through a preprocess without abandoning the rest of the
        // object, which keeps every other error in the same object reported too.
        ctx.issues.push({
          code: 'unrecognized_keys',
          keys: [key],
          path: [key],
          input,
          message: `unknown key ${quote(key)}${didYouMean(key, candidates)}`,
        });
      }
    }
    return kept;
  }, inner);
}

/** A schema-level message for a value of the wrong type, keeping "got ..." like the generic ones. */
export const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}, got ${quote(issue.input)}`;

/** Runs a value parser as a transform: its error becomes the issue message. */
export function parsedBy<In, Out>(parse: (value: In) => Result<Out>) {
  return (value: In, ctx: z.RefinementCtx): Out => {
    const r = parse(value);
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.error, input: value });
    return z.NEVER;
  };
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  map: 'a mapping',
};

function oneOf(values: readonly unknown[]): string {
  const quoted = values.map((v) => quote(v));
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** House-style messages for zod's own issues; schemas with a specific `error` override these. */
export function zodMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return 'is required';
      if (typeof input === 'number' && !Number.isFinite(input)) return `must be a finite number, got ${input}`;
      if (issue.expected === 'int' && typeof input === 'number') {
        return Number.isInteger(input) ? `is too large, got ${input}` : `must be a whole number, got ${input}`;
      }
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${quote(input)}`;
    }
    case 'too_small': {
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.minimum === Number.MIN_SAFE_INTEGER) return `is too small, got ${quote(input)}`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}, got ${quote(input)}`;
    }
    case 'too_big': {
      if (issue.origin === 'string' || issue.origin === 'array') return `must have at most ${issue.maximum} item(s)`;
      if (issue.maximum === Number.MAX_SAFE_INTEGER) return `is too large, got ${quote(input)}`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, got ${quote(input)}`;
    }
    case 'invalid_value':
      return `must be ${oneOf(issue.values)}, got ${quote(input)}`;
    case 'invalid_union':
      return 'has a value of the wrong type';
    default:
      return undefined;
  }
}

/** Options for every safeParse in this package. */
export const PARSE_PARAMS = { reportInput: true, error: zodMessage } as const;

/**
 * Flattens zod issues into findings. For a union, the branch that got past its type check (the value
 * was a list, but an item was wrong) explains the problem better than "wrong type", so its issues win.
 */
export function zodFindings(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[]): Finding[] {
  const found = flatten(issues, prefix);
  // Checks on one value can all fail at once (-1e308 is neither whole nor >= 0); the first says enough.
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = JSON.stringify(f.path);
    return !seen.has(key) && seen.add(key);
  });
}

function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[]): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union') {
      const matched = issue.errors.find((branch) => branch.length > 0 && !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (matched) {
        out.push(...flatten(matched, path));
        continue;
      }
    }
    out.push({ path, message: issue.message });
  }
  return out;
}
