// What every user of dockerode in the agent shares: the engine's HTTP status and message read
// out of dockerode errors, and the exit code that `docker ps` shows in a container's Status.

/** The HTTP status of a dockerode error; undefined for transport faults (engine unreachable). */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Docker's own message (dockerode wraps it as "(HTTP code 404) no such container - <message>"). */
export function dockerMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message.trim();
  return err instanceof Error ? err.message.trim() : String(err);
}

/** The exit code in `docker ps`'s Status ("Exited (3) 2 seconds ago"); 0 for any other state. */
export function exitCodeFromStatus(status: string): number {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : 0;
}
