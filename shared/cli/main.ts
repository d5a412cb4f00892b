#!/usr/bin/env node
// The `baton` command line: daemons (coordinator, agent) and operator commands.
// First, before anything else is compiled: V8 settings for the agent process.
import './agent-v8-flags.js';
import { Command, CommanderError } from 'commander';
import { BATON_VERSION } from '../version.js';
import { CliError } from './client.js';
import { registerLogs } from './commands/logs.js';
import { registerViews } from './commands/nodes.js';
import { registerPlan } from './commands/plan.js';
import { registerServices } from './commands/services.js';
import { registerDaemons } from './launch.js';

export function buildProgram(): Command {
  const program = new Command('baton')
    .description('Baton: a lightweight container orchestrator for bare-metal hosts and edge clusters')
    .version(BATON_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDaemons(program);
  registerViews(program);
  registerPlan(program);
  registerServices(program);
  registerLogs(program);
  return program;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`baton: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`baton: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

const code = await main();
// Daemons keep the event loop alive; one-shot commands exit with their status.
if (code !== 0) process.exit(code);
else process.exitCode = 0;
