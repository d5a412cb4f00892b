// Date.prototype.toISOString with the UTC getters only (see shared/cli/agent-dates.ts for why).

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The ISO 8601 UTC form of `this`, character for character what Date.prototype.toISOString gives. */
export function toIsoString(this: Date): string {
  const t = Date.prototype.getTime.call(this); // a TypeError for a non-Date `this`, as the built-in
  if (!Number.isFinite(t)) throw new RangeError('Invalid time value');
  const y = this.getUTCFullYear();
  // Years 0-9999 in four digits; others signed in six (the spec's expanded years).
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
  return `${year}-${pad(this.getUTCMonth() + 1, 2)}-${pad(this.getUTCDate(), 2)}T${pad(this.getUTCHours(), 2)}:${pad(this.getUTCMinutes(), 2)}:${pad(this.getUTCSeconds(), 2)}.${pad(this.getUTCMilliseconds(), 3)}Z`;
}
