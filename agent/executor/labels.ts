// Baton's container labels and names live in shared/model/labels.ts (the coordinator reads them
// too); re-exported here for the executor's importers.
export * from '../../shared/model/labels.js';
