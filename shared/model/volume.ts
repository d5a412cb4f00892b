// Baton's named volumes on a node, as the agent observes them and the coordinator keeps them: the
// Docker volumes carrying Baton's labels (agent/executor/docker/create-options.ts dockerMount puts
// them on). One type for both processes; shared/wire/volume.ts maps it onto the wire.
import { LABEL_MANAGED, LABEL_NODE, LABEL_STACK, LABEL_VOLUME } from './labels.js';

export interface VolumeObservation {
  /** The Docker volume name, e.g. `shop_data`. */
  readonly name: string;
  /** The stack whose replica made Docker create it (io.baton.stack). */
  readonly stack: string;
  /** Its key under the stack file's top-level `volumes` (io.baton.volume). */
  readonly key: string;
  readonly driver: string;
  /** 0 when the engine does not say. */
  readonly createdAtMs: number;
  /** Some container uses it (Docker then refuses to remove it). */
  readonly inUse: boolean;
}

/** What a RemoveVolumes command did on a node. */
export interface VolumeRemovalResult {
  readonly removed: readonly string[];
  readonly refused: readonly { readonly name: string; readonly error: string }[];
}

/**
 * Whether a volume's labels make it Baton's, of `stack` when given, on the node `nodeId`: managed,
 * with a stack and a key, and created by this node's agent (io.baton.node) or by one from before
 * volumes carried the node label. External volumes and volumes Baton did not create have none of
 * these labels, so nothing that lists or removes "Baton's volumes" ever sees them.
 */
export function isBatonVolume(labels: Readonly<Record<string, string>> | null | undefined, nodeId: string, stack?: string): boolean {
  if (!labels || labels[LABEL_MANAGED] !== 'true' || !labels[LABEL_STACK] || !labels[LABEL_VOLUME]) return false;
  if (stack !== undefined && labels[LABEL_STACK] !== stack) return false;
  const node = labels[LABEL_NODE];
  return node === undefined || node === '' || nodeId === '' || node === nodeId;
}
