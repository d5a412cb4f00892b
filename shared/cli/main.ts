#!/usr/bin/env node
// The `baton` command line. `baton agent` goes straight to dist/agent.mjs, one bundled file holding
// only what the agent runs (scripts/build-agent.mjs), so the agent process never loads the rest of the
// CLI: its budget is 50 MB RSS. Every other command loads the full program.
import { existsSync } from 'node:fs';

if (process.argv[2] === 'agent') {
  const bundle = new URL('../../agent.mjs', import.meta.url);
  // Run from sources (no bundle beside them), the same entry runs unbundled.
  await import(existsSync(bundle) ? bundle.href : './agent-main.js');
} else {
  const { buildProgram, run } = await import('./program.js');
  await run(buildProgram());
}
