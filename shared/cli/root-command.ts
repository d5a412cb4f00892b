// The root `baton` command and how a run ends (exit codes, one-line errors), shared by the full
// program (program.ts), the agent's (agent-main.ts) and the client commands' (client-program.ts).
import { Command, CommanderError } from 'commander';
import { BATON_VERSION } from '../version.js';
import { CliError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './client.js';

/** `baton` with its description, version and error behaviour, and no subcommands yet. */
export function rootCommand(): Command {
  return new Command('baton')
    .description('Baton: a lightweight container orchestrator for bare-metal hosts and edge clusters')
    .version(BATON_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

/** Runs the program; resolves to the exit status (usage errors 2, CliErrors their own, others 1). */
export async function main(program: Command, argv = process.argv): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Unknown commands and options, missing arguments: the user's input.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    if (err instanceof CliError) {
      process.stderr.write(`baton: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`baton: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT_FAILURE;
  }
}

/** main(), then the process's exit: daemons keep the event loop alive; one-shot commands exit with their status. */
export async function run(program: Command, argv = process.argv): Promise<void> {
  const code = await main(program, argv);
  if (code !== 0) process.exit(code);
  else process.exitCode = 0;
}
