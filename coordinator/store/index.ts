export { Store, DataDirLockedError, type StoreOptions } from './store.js';
export { StateFileError } from './durable-file.js';
export type { State, NodeRecord, EventRecord, AllocationRecord, NodeStatus, StackRecord, ServiceRecord, ObservedReplica } from './schema.js';
export { emptyState } from './schema.js';

import { Store, type StoreOptions } from './store.js';
/** Opens (or creates) the store in `dataDir`. */
export const openStore = (options: StoreOptions): Promise<Store> => Store.open(options);
