// Table tests for Compose unit parsing: bytes, CPUs, durations, and the formatters used in messages.

import t from 'tap';
import { formatDuration, parseBytes, parseCpus, parseDuration } from '../../shared/compose/index.js';
import { formatBytes, formatCpu } from '../../shared/format.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

t.test('parseBytes accepts Compose byte values (binary multiples)', async (t) => {
  const cases: [string | number, number][] = [
    ['64M', 64 * MiB],
    ['64m', 64 * MiB],
    ['64mb', 64 * MiB],
    ['64MB', 64 * MiB],
    ['1.5G', 1.5 * GiB],
    ['1gb', GiB],
    ['512k', 512 * 1024],
    ['512KB', 512 * 1024],
    ['100b', 100],
    ['2t', 2 * 1024 * GiB],
    ['2TB', 2 * 1024 * GiB],
    ['1048576', MiB],
    ['1.5', 1], // a fraction of a byte is dropped, as Docker does
    ['1.5k', 1536],
    ['.5m', 512 * 1024],
    [' 64M ', 64 * MiB],
    ['64 M', 64 * MiB],
    [4096, 4096],
    [0, 0],
    ['0', 0],
  ];
  for (const [input, want] of cases) t.same(parseBytes(input), { ok: true, value: want }, JSON.stringify(input) ?? String(input));
});

t.test('parseBytes rejects other forms, listing the valid ones', async (t) => {
  const hint = '(use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)';
  const cases: [string | number, string][] = [
    ['64MiB', `"64MiB" is not a byte value ${hint}`],
    ['64x', `"64x" is not a byte value ${hint}`],
    ['64constructor', `"64constructor" is not a byte value ${hint}`],
    ['M', `"M" is not a byte value ${hint}`],
    ['', `"" is not a byte value ${hint}`],
    ['-1M', `"-1M" is not a byte value ${hint}`],
    ['1e3', `"1e3" is not a byte value ${hint}`],
    [-5, `-5 is not a byte value ${hint}`],
    [Number.NaN, `NaN is not a byte value ${hint}`],
    [Infinity, `Infinity is not a byte value ${hint}`],
    ['99999999999t', '"99999999999t" is too large for a byte value'],
  ];
  for (const [input, want] of cases) t.same(parseBytes(input), { ok: false, error: want }, JSON.stringify(input) ?? String(input));
});

t.test('parseCpus gives millicores', async (t) => {
  const cases: [string | number, number][] = [
    ['0.5', 500],
    [0.25, 250],
    [2, 2000],
    ['2', 2000],
    ['1.5', 1500],
    ['.1', 100],
    ['0', 0],
    [0.001, 1],
    [0.29, 290], // 0.29*1000 = 290.00000000000006 before rounding
  ];
  for (const [input, want] of cases) t.same(parseCpus(input), { ok: true, value: want }, JSON.stringify(input) ?? String(input));
});

t.test('parseCpus rejects negatives, NaN and non-numbers', async (t) => {
  const cases: [string | number, string][] = [
    [-1, '-1 is not a CPU count (must not be negative)'],
    ['-0.5', '"-0.5" is not a CPU count (must not be negative)'],
    [Number.NaN, 'NaN is not a CPU count (use a number of cores, e.g. 0.5 or 2)'],
    ['500m', '"500m" is not a CPU count (use a number of cores, e.g. 0.5 or 2)'],
    ['', '"" is not a CPU count (use a number of cores, e.g. 0.5 or 2)'],
    ['0.0001', '"0.0001" is less than one millicore (0.001 CPUs)'],
    [1e300, '1e+300 is too large for a CPU count'],
  ];
  for (const [input, want] of cases) t.same(parseCpus(input), { ok: false, error: want }, JSON.stringify(input) ?? String(input));
});

t.test('parseDuration gives whole milliseconds', async (t) => {
  const cases: [string | number, number][] = [
    ['1m30s', 90_000],
    ['10s', 10_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1500],
    ['0.1s', 100], // 0.1*1000 has float noise; must not round up to 101
    ['2us', 1], // sub-millisecond rounds up so a non-zero duration never reads as 0
    ['2µs', 1],
    ['1500us', 2],
    ['3000000ns', 3],
    ['0', 0],
    ['0s', 0],
    [0, 0],
  ];
  for (const [input, want] of cases) t.same(parseDuration(input), { ok: true, value: want }, JSON.stringify(input) ?? String(input));
});

t.test('parseDuration rejects unitless, negative and malformed values', async (t) => {
  const hint = '(use a number with a unit, e.g. 10s, 1m30s or 500ms)';
  const cases: [string | number, string][] = [
    [10, `10 is not a duration ${hint}`],
    ['10', `"10" is not a duration ${hint}`],
    ['10 s', `"10 s" is not a duration ${hint}`],
    ['1d', `"1d" is not a duration ${hint}`],
    ['s', `"s" is not a duration ${hint}`],
    ['', `"" is not a duration ${hint}`],
    ['-1s', '"-1s" is not a duration (must not be negative)'],
    ['9999999999999h', '"9999999999999h" is too large for a duration'],
  ];
  for (const [input, want] of cases) t.same(parseDuration(input), { ok: false, error: want }, JSON.stringify(input) ?? String(input));
});

t.test('formatters', async (t) => {
  const bytes: [number, string][] = [
    [100, '100 B'],
    [1024, '1 KiB'],
    [512 * MiB, '512 MiB'],
    [1.5 * GiB, '1.5 GiB'],
    [64 * MiB, '64 MiB'],
    [1.25 * GiB, '1.3 GiB'],
    [3 * 1024 * GiB, '3 TiB'],
  ];
  for (const [n, want] of bytes) t.equal(formatBytes(n), want);
  // One formatter for Compose errors and placement reasons: CPU is a unit, never plural.
  t.equal(formatCpu(500), '0.5 CPU');
  t.equal(formatCpu(1000), '1 CPU');
  t.equal(formatCpu(2250), '2.25 CPU');
  t.equal(formatDuration(90_000), '1m30s');
  t.equal(formatDuration(500), '500ms');
  t.equal(formatDuration(0), '0s');
  t.equal(formatDuration(3_723_004), '1h2m3.004s');
});
