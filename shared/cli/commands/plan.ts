// `baton plan`: where a Compose file's replicas would go, live (asking the coordinator, which
// changes nothing) or offline against nodes described in a file. Exit 0: all placed; 1: some
// replicas unplaced; 2: bad input.
import type { Command } from 'commander';
import { formatWarning } from '../../compose/issues.js';
import type { PlanResponse__Output } from '../../grpc/gen/baton/v1/PlanResponse.js';
import { CONFIG_HELP, INSECURE_HELP, resolveConnection, unary, type ConnectionOptions } from '../client.js';
import { readInput, readReferencedFiles, referencedEnv, stackNameFor } from '../compose-file.js';
import { planOffline, type PlanOutput } from '../launch.js';

interface PlanFlags extends ConnectionOptions {
  file: string;
  nodes?: string;
  json?: boolean;
  stack?: string;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show where the services of a Compose file would be placed, and why anything does not fit')
    .requiredOption('-f, --file <compose.yaml>', 'Compose file')
    .option('--nodes <nodes.yaml>', 'plan offline against the nodes described in this file')
    .option('--stack <name>', 'stack name (default: the top-level name, else the directory of the file)')
    .option('--json', 'print JSON')
    .option('--coordinator <host:port>', "coordinator address for a live plan (default: $BATON_COORDINATOR, the credential file's, or 127.0.0.1:7400)")
    .option('--config <file>', CONFIG_HELP)
    .option('--insecure', INSECURE_HELP)
    .action(async (o: PlanFlags) => {
      const text = await readInput(o.file, 'Compose file');
      // A top-level `name` in the file wins over the directory name (as in Compose) without a warning.
      const stackName = stackNameFor(o.file, text, o.stack);
      let out: PlanOutput;
      if (o.nodes) {
        out = await planOffline({ text, file: o.file, stackName, nodesFile: o.nodes });
      } else {
        const conn = resolveConnection(o);
        // Bad input comes back as INVALID_ARGUMENT: exit 2, as offline.
        const res = await unary<object, PlanResponse__Output>(
          conn,
          (c, r, opts, cb) => c.Plan(r, opts, cb),
          { compose_yaml: text, file_name: o.file, stack: stackName, env: referencedEnv(text, process.env), files: await readReferencedFiles(o.file, text, process.env) },
          30_000,
        );
        out = { json: JSON.parse(res.plan_json), text: res.plan_text, warnings: res.warnings, complete: res.complete };
      }
      for (const w of out.warnings) process.stderr.write(`${formatWarning(w)}\n`);
      process.stdout.write(o.json ? JSON.stringify(out.json, null, 2) + '\n' : out.text.endsWith('\n') ? out.text : out.text + '\n');
      process.exitCode = out.complete ? 0 : 1;
    });
}
