// Imported first by the agent's entry (agent-main.ts): for `baton agent` only, V8's optimising
// tiers (Sparkplug, TurboFan) are switched off and V8 is told to prefer size over speed. The agent
// is I/O-bound (one report a second): the optimised code and type feedback those tiers keep cost
// more memory than their speed is worth. bench:agent measured 65-69 MB RSS before and 60 MB after,
// at 0.8% of a core either way. The flags affect code compiled from here on, which is all the
// agent's hot code. The coordinator keeps full speed. Started through the `baton` bin, node also
// runs with --lite-mode (no JIT at all), which only works at start-up: see main.ts.
import v8 from 'node:v8';

if (process.argv[2] === 'agent') {
  v8.setFlagsFromString('--no-opt');
  v8.setFlagsFromString('--no-sparkplug');
  v8.setFlagsFromString('--optimize-for-size');
  // Bytecode of functions not run since the last full GC is dropped (recompiled if ever needed):
  // the start-up code (argument parsing, loading the proto, module set-up) is most of the
  // compiled code and never runs again. The default keeps it for 5 full GCs, which an idle agent
  // takes many minutes to reach. bench:agent: about 1 MB RSS less.
  v8.setFlagsFromString('--bytecode-old-age=1');
}
