// Compose scalar units: byte values, CPU counts and Go-style durations, parsed into Baton's integer
// units (bytes, millicores, milliseconds), plus the duration formatter. Bytes and CPU are formatted
// by shared/format.ts, as everywhere else.

import { fail, ok, quote, type Result } from './result.js';

// Compose units are binary (1k = 1024) as in Docker's go-units RAMInBytes. The Compose Spec lists
// b, k/kb, m/mb, g/gb; t/tb are accepted too since Docker takes them. `64MiB` is rejected rather than
// guessed at: the spec does not allow it and an error is cheaper than a surprise.
const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};
const BYTES_RE = /^(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)$/i;
const BYTES_HINT = 'use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G';

/** A Compose byte value (`64M`, `1.5g`, `512kb`, `1048576`) in bytes; fractions of a byte are dropped as Docker does. */
export function parseBytes(value: string | number): Result<number> {
  let amount: number;
  let unit = '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return fail(`${quote(value)} is not a byte value (${BYTES_HINT})`);
    amount = value;
  } else {
    const m = BYTES_RE.exec(value.trim());
    const unitText = (m?.[2] ?? '').toLowerCase();
    if (!m || !Object.hasOwn(BYTE_UNITS, unitText)) return fail(`${quote(value)} is not a byte value (${BYTES_HINT})`);
    amount = Number(m[1]);
    unit = unitText;
  }
  const bytes = Math.floor(amount * (BYTE_UNITS[unit] ?? 1));
  if (!Number.isSafeInteger(bytes)) return fail(`${quote(value)} is too large for a byte value`);
  return ok(bytes);
}

const CPUS_RE = /^(\d+(?:\.\d*)?|\.\d+)$/;

/** A Compose CPU count (`"0.5"`, `0.25`, `2`) in millicores. */
export function parseCpus(value: string | number): Result<number> {
  const hint = 'use a number of cores, e.g. 0.5 or 2';
  let cores: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(`${quote(value)} is not a CPU count (${hint})`);
    if (value < 0) return fail(`${quote(value)} is not a CPU count (must not be negative)`);
    cores = value;
  } else {
    const text = value.trim();
    if (!CPUS_RE.test(text)) {
      return fail(`${quote(value)} is not a CPU count (${text.startsWith('-') ? 'must not be negative' : hint})`);
    }
    cores = Number(text);
  }
  const millis = Math.round(cores * 1000);
  if (!Number.isSafeInteger(millis)) return fail(`${quote(value)} is too large for a CPU count`);
  // A positive value that rounds to zero would read as "no reservation" or, for Docker limits, "unlimited".
  if (millis === 0 && cores > 0) return fail(`${quote(value)} is less than one millicore (0.001 CPUs)`);
  return ok(millis);
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign, as Go accepts
  'μs': 1e-3, // U+03BC greek mu, as Go accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_RE = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;
const DURATION_HINT = 'use a number with a unit, e.g. 10s, 1m30s or 500ms';

/**
 * A Compose (Go `time.ParseDuration`) duration in whole milliseconds. Sub-millisecond remainders round
 * up, so a non-zero duration never becomes 0, which several fields read as "off" or "forever".
 */
export function parseDuration(value: string | number): Result<number> {
  if (typeof value === 'number') {
    // A bare number has no unit; Compose does not say whether it means seconds or nanoseconds.
    if (value === 0) return ok(0);
    return fail(`${quote(value)} is not a duration (${DURATION_HINT})`);
  }
  const text = value.trim();
  if (text === '0') return ok(0);
  if (!DURATION_RE.test(text)) {
    return fail(`${quote(value)} is not a duration (${text.startsWith('-') ? 'must not be negative' : DURATION_HINT})`);
  }
  let ms = 0;
  for (const m of text.matchAll(DURATION_PART_RE)) ms += Number(m[1]) * (DURATION_UNITS_MS[m[2] ?? ''] ?? 0);
  // Float noise (e.g. 0.1s*1000 = 100.00000000000001) must not push a whole number up by one.
  const rounded = Math.ceil(Number(ms.toPrecision(12)));
  if (!Number.isSafeInteger(rounded)) return fail(`${quote(value)} is too large for a duration`);
  return ok(rounded);
}

/** Milliseconds for people: `1m30s`, `500ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest / 1000}s`);
  return parts.join('');
}
