export type {
  FilterName,
  HostPort,
  NodeStatus,
  Placement,
  Plan,
  PlanOptions,
  PlanStats,
  Rejection,
  ReplicaRequest,
  SchedNode,
  Unplaced,
} from './types.js';
export { planBatch, ffdOrder, IMPROVE_WORK_PER_MS } from './plan-batch.js';
export { explainUnplaced } from './explain.js';
export { binpackScore, spreadScore, SPREAD_TOLERANCE } from './score.js';
export { constraintHolds, nodeAttribute } from './constraints.js';
export {
  FILTERS,
  constraintFilter,
  cpuFilter,
  hostPortFilter,
  maxPerNodeFilter,
  memoryFilter,
  statusFilter,
  type Filter,
} from './filters.js';
export { PlanState } from './plan-state.js';
export { heldBack, snapshotOf, type SnapshotAllocation, type SnapshotNode } from './snapshot.js';
export { replicaRequestsFor } from './requests.js';
export { fillBar, planExitCode, planToJson, plainServiceName, renderPlanText, type PlanJson } from './render.js';
