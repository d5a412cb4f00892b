// A node's liveness as the coordinator judges it, and as the CLI shows it (proto NodeInfo.status).
// Written once here; the store, the scheduler and the reconciler all read this type.

/** ready: placeable. suspect: heartbeats late, keeps its work. down: work is replaced elsewhere. left: gone for good. */
export const NODE_STATUSES = ['ready', 'suspect', 'down', 'left'] as const;

export type NodeStatus = (typeof NODE_STATUSES)[number];
