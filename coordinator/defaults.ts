// The coordinator's option defaults, in one place: compileCoordinatorOptions fills them in and the
// CLI's flags show them. Constants only, so the CLI can import them without loading the coordinator.
import { DEFAULT_SERVICE_CIDR } from './ingress/vip.js';
import { DEFAULT_TIMEOUTS } from './node-status.js';

export const COORDINATOR_DEFAULTS = {
  listen: '0.0.0.0:7400',
  dataDir: './.baton',
  heartbeatIntervalMs: 1000,
  suspectAfterMs: DEFAULT_TIMEOUTS.suspectAfterMs,
  downAfterMs: DEFAULT_TIMEOUTS.downAfterMs,
  tickMs: 250,
  reconcileMs: 1000,
  serviceCidr: DEFAULT_SERVICE_CIDR,
} as const;
