// A replica's health as both processes speak it: the agent reports it (ContainerEvent, reports), the
// coordinator keeps it, the CLI shows it. `none`: no health check (Docker's word for it).

export const HEALTH_STATUSES = ['none', 'starting', 'healthy', 'unhealthy'] as const;

export type HealthStatus = (typeof HEALTH_STATUSES)[number];

const KNOWN: ReadonlySet<unknown> = new Set(HEALTH_STATUSES);

/** For values off the wire or from Docker; '' (an older peer) is `none`. */
export function toHealthStatus(value: unknown): HealthStatus | undefined {
  if (value === '') return 'none';
  return KNOWN.has(value) ? (value as HealthStatus) : undefined;
}

/**
 * The last check's output travels with the health, at most this many bytes of UTF-8: enough for an
 * error line or an HTTP status, small enough to ride every report (Docker keeps 4 KiB per check).
 */
export const MAX_HEALTH_OUTPUT_BYTES = 1024;

/** The start of `text`, cut to MAX_HEALTH_OUTPUT_BYTES on a character boundary, trimmed. */
export function truncateHealthOutput(text: string): string {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'utf8');
  if (bytes.length <= MAX_HEALTH_OUTPUT_BYTES) return trimmed;
  const marker = '…';
  // The decoder replaces a cut character with U+FFFD; dropping it keeps the output valid text.
  const cut = bytes.subarray(0, MAX_HEALTH_OUTPUT_BYTES - Buffer.byteLength(marker)).toString('utf8').replace(/\uFFFD$/, '');
  return cut + marker;
}
