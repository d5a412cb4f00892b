// Baton's container labels and names: how a container is tied back to its allocation, so the agent
// can find, adopt and clean up its containers after its own restart, with no local state file, and
// the coordinator can tell which allocation a reported container belongs to. Free of dependencies,
// so both processes import it.
import type { ReplicaSpec } from './replica-spec.js';

/** Every Baton-managed container carries it; its value is the allocation id. */
export const LABEL_ALLOCATION = 'io.baton.allocation';
export const LABEL_GENERATION = 'io.baton.generation';
export const LABEL_STACK = 'io.baton.stack';
export const LABEL_SERVICE = 'io.baton.service';
export const LABEL_REPLICA = 'io.baton.replica';
export const LABEL_MANAGED = 'io.baton.managed';
/** The node (agent identity) a container belongs to: an agent manages only its own. */
export const LABEL_NODE = 'io.baton.node';
/** On a named volume Baton created: its key under the stack file's top-level `volumes` (with LABEL_STACK). */
export const LABEL_VOLUME = 'io.baton.volume';
/** `x-baton.on_disconnect.stop_after` in milliseconds, on a replica that has one (ReplicaSpec.stopAfterDisconnectMs). */
export const LABEL_STOP_AFTER = 'io.baton.stop-after-disconnect-ms';
export const BATON_LABEL_PREFIX = 'io.baton.';

export interface BatonLabels {
  readonly allocationId: string;
  readonly generation: number;
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
  /** LABEL_STOP_AFTER; undefined when the container has none (or an unreadable one). */
  readonly stopAfterDisconnectMs?: number;
}

/** Baton's labels for a replica's container. */
export function batonLabels(spec: Pick<ReplicaSpec, 'allocationId' | 'generation' | 'stack' | 'service' | 'replica' | 'stopAfterDisconnectMs'>): Record<string, string> {
  return {
    [LABEL_ALLOCATION]: spec.allocationId,
    [LABEL_GENERATION]: String(spec.generation),
    [LABEL_STACK]: spec.stack,
    [LABEL_SERVICE]: spec.service,
    [LABEL_REPLICA]: String(spec.replica),
    [LABEL_MANAGED]: 'true',
    ...(spec.stopAfterDisconnectMs !== undefined ? { [LABEL_STOP_AFTER]: String(spec.stopAfterDisconnectMs) } : {}),
  };
}

/**
 * All labels a container gets. User labels in Baton's namespace are dropped: a Compose file must not
 * be able to make a container look like another allocation's.
 */
export function containerLabels(spec: ReplicaSpec): Record<string, string> {
  const user = Object.entries(spec.labels).filter(([k]) => !k.startsWith(BATON_LABEL_PREFIX));
  return { ...Object.fromEntries(user), ...batonLabels(spec) };
}

/** Reads Baton's labels back; undefined when the container is not (validly) Baton's. */
export function parseBatonLabels(labels: Readonly<Record<string, string>> | undefined | null): BatonLabels | undefined {
  if (!labels) return undefined;
  const allocationId = labels[LABEL_ALLOCATION];
  if (!allocationId) return undefined;
  const generation = parseNonNegativeInt(labels[LABEL_GENERATION]);
  const replica = parseNonNegativeInt(labels[LABEL_REPLICA]);
  if (generation === undefined || replica === undefined) return undefined;
  const stopAfterDisconnectMs = parseNonNegativeInt(labels[LABEL_STOP_AFTER]);
  return { allocationId, generation, stack: labels[LABEL_STACK] ?? '', service: labels[LABEL_SERVICE] ?? '', replica, ...(stopAfterDisconnectMs !== undefined ? { stopAfterDisconnectMs } : {}) };
}

function parseNonNegativeInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Docker accepts `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes '-'. */
export function dockerSafe(text: string): string {
  const safe = text.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return safe || 'x';
}

/** Length of the allocation id part of a container name (a UUID's first 12 characters: 44 random bits). */
export const SHORT_ID_LENGTH = 12;

/**
 * `baton-<stack>-<service>-<replica>-<short alloc id>`: readable in `docker ps`. The short id is a
 * prefix, so two allocations can collide; `full` uses the whole allocation id for that case.
 */
export function containerName(spec: Pick<ReplicaSpec, 'allocationId' | 'stack' | 'service' | 'replica'>, full = false): string {
  const id = dockerSafe(spec.allocationId);
  const shortId = full ? id : id.slice(0, SHORT_ID_LENGTH).replace(/[-_.]+$/, '') || id;
  return `baton-${dockerSafe(spec.stack)}-${dockerSafe(spec.service)}-${spec.replica}-${shortId}`;
}
