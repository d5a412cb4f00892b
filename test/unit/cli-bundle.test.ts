// main.ts routes the client commands (CLIENT_COMMANDS) to a program of their own, bundled as
// dist/cli.mjs: that program must be exactly those commands, each as the full program has it.
import t from 'tap';
import type { Command } from 'commander';
import { CLIENT_COMMANDS } from '../../shared/cli/client-commands.js';
import { clientProgram } from '../../shared/cli/client-program.js';
import { buildProgram } from '../../shared/cli/program.js';

/** A command as the user meets it: name, arguments, options, description, subcommands (recursively). */
function shape(c: Command): unknown {
  return {
    name: c.name(),
    description: c.description(),
    args: c.registeredArguments.map((a) => [a.name(), a.required, a.variadic]),
    options: c.options.map((o) => [o.flags, o.description, o.defaultValue]),
    commands: c.commands.map(shape),
  };
}

t.test('the client program has exactly the routed commands, each as in the full program', async (t) => {
  const client = clientProgram().commands;
  t.same(client.map((c) => c.name()).sort(), [...CLIENT_COMMANDS].sort(), 'CLIENT_COMMANDS lists what the client program registers');
  const full = new Map(buildProgram().commands.map((c) => [c.name(), c]));
  for (const c of client) t.same(shape(c), shape(full.get(c.name())!), `${c.name()}: the same in both programs`);
  t.notOk(CLIENT_COMMANDS.includes('agent') || CLIENT_COMMANDS.includes('coordinator'), 'no daemon is routed to the client bundle');
});
