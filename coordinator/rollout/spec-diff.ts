// A one-line summary of what changed between two specs of a service, for `baton history`.
import type { ServiceSpec } from '../../shared/compose/types.js';

/** Keys that do not make new containers (the replica count) or cannot differ (the name). */
const IGNORED = new Set(['name', 'replicas']);

/** `image nginx:1.27 -> nginx:1.28, environment, healthcheck`; `no change` when equal but for the ignored keys. */
export function specChanges(before: ServiceSpec, after: ServiceSpec): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !IGNORED.has(k)).sort();
  const parts: string[] = [];
  if (before.image !== after.image) parts.push(`image ${before.image} -> ${after.image}`);
  for (const k of keys) {
    if (k === 'image') continue;
    const a = (before as unknown as Record<string, unknown>)[k];
    const b = (after as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) parts.push(k);
  }
  return parts.length ? parts.join(', ') : 'no change';
}
