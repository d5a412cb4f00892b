// `baton agent` on its own: the root command with only `agent` under it, so the agent process loads
// nothing else of the CLI. scripts/build-agent.mjs bundles this file into dist/agent.mjs.
// First, before anything else is compiled: V8 settings for the agent process.
import './agent-v8-flags.js';
// Date-to-string conversions that do not load ICU's time-zone names.
import './agent-dates.js';
import { registerAgent } from './launch.js';
import { rootCommand, run } from './program.js';

const program = rootCommand();
registerAgent(program);
await run(program);
