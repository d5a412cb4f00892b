export { Store, DataDirLockedError, type StoreOptions } from './store.js';
export { StateFileError } from './durable-file.js';
export type { State, NodeRecord, EventRecord, AllocationRecord, NodeStatus, StackRecord, ServiceRecord, ObservedReplica } from './schema.js';
export { emptyState } from './schema.js';
