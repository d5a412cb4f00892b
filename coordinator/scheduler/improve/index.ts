// Batch improvement: fewer nodes in use than the greedy pass, every filter respected (search.ts).
export { improvePlan, type ImproveResult } from './search.js';
export type { ImproveContext } from './state.js';
