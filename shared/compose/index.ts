// The Compose parser's public surface: parse a Compose file into a StackSpec, parse a nodes file for
// offline planning, and the units, defaults and types around them.

export * from './types.js';
export { parseCompose, type ParseOptions, type ParseResult } from './parse.js';
export { formatIssue, formatPath, formatRefusal, formatWarning, DOCUMENT_PATH } from './issues.js';
export { parseNodesFile, type NodeCapacity, type NodesFileOptions, type NodesFileResult } from './nodes-file.js';
export { parseBytes, parseCpus, parseDuration, formatDuration } from './units.js';
export { interpolateString, interpolateTree, type Env } from './interpolate.js';
export { splitShellWords } from './shell-words.js';
export { parsePortShort } from './port-syntax.js';
export { parseConstraint, CONSTRAINT_ATTRIBUTES } from './constraint-syntax.js';
export {
  DEFAULT_RESERVATION,
  DEFAULT_RESERVATION_CPU_MILLIS,
  DEFAULT_RESERVATION_MEMORY_BYTES,
  DEFAULT_REPLICAS,
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_RESTART_POLICY,
  DEFAULT_UPDATE_CONFIG,
  DEFAULT_ROLLBACK_CONFIG,
  DEFAULT_HEALTHCHECK,
  MIN_MEMORY_LIMIT_BYTES,
} from './defaults.js';
export { type Result } from './result.js';
