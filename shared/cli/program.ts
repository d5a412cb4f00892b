// The `baton` program: the root command, every subcommand, and how a run ends (exit codes, one-line
// errors). The agent's own entry (agent-main.ts) builds the same root with only `agent` under it.
import type { Command } from 'commander';
import { registerAutoscale } from './commands/autoscale.js';
import { registerEndpoints } from './commands/endpoints.js';
import { registerInstall } from './commands/install.js';
import { registerUsage } from './commands/usage.js';
import { registerLogs } from './commands/logs.js';
import { registerViews } from './commands/nodes.js';
import { registerPlan } from './commands/plan.js';
import { registerRollout } from './commands/rollout.js';
import { registerSecrets } from './commands/secrets.js';
import { registerSecurity } from './commands/security.js';
import { registerServices } from './commands/services.js';
import { registerVolumes } from './commands/volumes.js';
import { registerRebalance } from './commands/rebalance.js';
import { registerDaemons } from './launch.js';
import { rootCommand } from './root-command.js';

export { main, rootCommand, run } from './root-command.js';

export function buildProgram(): Command {
  const program = rootCommand();
  registerDaemons(program);
  registerViews(program);
  registerPlan(program);
  registerServices(program);
  registerRollout(program);
  registerEndpoints(program);
  registerAutoscale(program);
  registerUsage(program);
  registerLogs(program);
  registerSecurity(program);
  registerSecrets(program);
  registerInstall(program);
  registerVolumes(program);
  registerRebalance(program);
  return program;
}
