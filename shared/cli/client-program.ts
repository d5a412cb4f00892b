// The commands that only talk to a running coordinator (lists, deploys, rollouts, logs, tokens,
// credentials), as a program of their own: scripts/build-agent.mjs bundles it into dist/cli.mjs,
// which main.ts runs for these commands, so `baton ps` loads one file instead of some 150 modules
// (issue 7: lists at 10,000 nodes and 100,000 replicas within 3 s, start-up included).
import type { Command } from 'commander';
import { registerAutoscale } from './commands/autoscale.js';
import { registerEndpoints } from './commands/endpoints.js';
import { registerUsage } from './commands/usage.js';
import { registerLogs } from './commands/logs.js';
import { registerViews } from './commands/nodes.js';
import { registerRollout } from './commands/rollout.js';
import { registerSecrets } from './commands/secrets.js';
import { registerSecurity } from './commands/security.js';
import { registerServices } from './commands/services.js';
import { registerVolumes } from './commands/volumes.js';
import { registerRebalance } from './commands/rebalance.js';
import { rootCommand } from './root-command.js';

/** `baton` with the client commands only (buildProgram registers the same ones, and the rest). */
export function clientProgram(): Command {
  const program = rootCommand();
  registerViews(program);
  registerServices(program);
  registerRollout(program);
  registerEndpoints(program);
  registerAutoscale(program);
  registerUsage(program);
  registerLogs(program);
  registerSecurity(program);
  registerSecrets(program);
  registerVolumes(program);
  registerRebalance(program);
  return program;
}
