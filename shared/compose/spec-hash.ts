// A service spec's identity for updates: equal hashes mean the same containers.
import { createHash } from 'node:crypto';
import type { ServiceSpec } from './types.js';

/**
 * Everything in the spec except the replica count, its autoscaling bounds and when its replicas
 * are replaced off a lost node, hashed: equal hashes mean the same containers. `on_disconnect.stop_after`
 * counts: the agent reads it from the container (its label), so a change means new containers.
 */
export function specHash(spec: ServiceSpec): string {
  const { replicas: _replicas, autoscale: _autoscale, onDisconnect, ...rest } = spec;
  const stopAfterMs = onDisconnect?.stopAfterMs;
  return createHash('sha256').update(stableJson(stopAfterMs === undefined ? rest : { ...rest, stopAfterMs })).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted and undefined members left out, so equal values give equal text. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
