// The one value for an expected failure, shared by every parser and wire conversion: `ok` with the
// value, or not `ok` with a message naming what was wrong. Callers branch on it instead of catching.

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: string): Result<T> {
  return { ok: false, error };
}
