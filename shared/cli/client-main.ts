// `baton ps`, `nodes`, `deploy`, ... on their own: the client program (client-program.ts), run.
// scripts/build-agent.mjs bundles this file into dist/cli.mjs.
import { clientProgram } from './client-program.js';
import { run } from './root-command.js';

await run(clientProgram());
