export { loadProto, packageRoot, MAX_MESSAGE_BYTES } from './load.js';
export type * from './gen/baton.js';
