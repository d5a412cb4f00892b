// Imported first by the CLI: for `baton agent` only, V8's optimising tiers (Sparkplug, TurboFan)
// are switched off and V8 is told to prefer size over speed. The agent is I/O-bound (one report a
// second): the optimised code and type feedback those tiers keep cost more memory than their speed
// is worth. bench:agent measured 65-69 MB RSS before and 60 MB after, at 0.8% of a core either
// way. (--lite-mode gives 54 MB but can only be set when node starts.) The flags
// affect code compiled from here on, which is all the agent's hot code. The coordinator keeps
// full speed.
import v8 from 'node:v8';

if (process.argv[2] === 'agent') {
  v8.setFlagsFromString('--no-opt');
  v8.setFlagsFromString('--no-sparkplug');
  v8.setFlagsFromString('--optimize-for-size');
}
