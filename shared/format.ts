// Human-readable figures for people: CLI tables, Compose errors and placement reasons all print
// bytes, CPU and ages through these, so one amount reads the same everywhere.

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * Bytes in binary units as Docker and Compose use them, at most one decimal: `536870912` ->
 * `512 MiB`, `1610612736` -> `1.5 GiB`, `100` -> `100 B`. A negative amount (the free memory of an
 * over-committed node) shows as `0 B`.
 */
export function formatBytes(bytes: number): string {
  let n = Math.max(0, bytes);
  let unit = 0;
  // Step up while the amount would print as 1024 or more of the current unit (e.g. 1023.97 KiB).
  while (unit < BINARY_UNITS.length - 1 && Number(n.toFixed(unit === 0 ? 0 : 1)) >= 1024) {
    n /= 1024;
    unit++;
  }
  return `${Number(n.toFixed(unit === 0 ? 0 : 1))} ${BINARY_UNITS[unit]}`;
}

/**
 * Millicores as cores, exact: `1500` -> `1.5 CPU`, `250` -> `0.25 CPU`, `1` -> `0.001 CPU`.
 * `CPU` is a unit here, like `MiB`, so it is never plural. A negative amount shows as `0 CPU`.
 */
export function formatCpu(cpuMillis: number): string {
  return `${Number((Math.max(0, cpuMillis) / 1000).toFixed(3))} CPU`;
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
