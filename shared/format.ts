// Human-readable figures for CLI output.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 536870912 -> `512 MiB`, 1610612736 -> `1.5 GiB`. */
export function humanBytes(n: number): string {
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const s = i === 0 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : 1);
  return `${s} ${UNITS[i]}`;
}

/** Milliseconds as a short age: `0.4s`, `12s`, `3m`, `2h`, `5d`. */
export function humanAge(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)}h`;
  return `${Math.round(ms / 86_400_000)}d`;
}

/** Renders rows as a left-aligned table with a header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
