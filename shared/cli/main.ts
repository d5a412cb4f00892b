#!/bin/sh
//usr/bin/env true; case "$1" in agent) unset NODE_EXTRA_CA_CERTS; SSL_CERT_FILE=/dev/null SSL_CERT_DIR=/dev/null exec node --lite-mode --no-expose-wasm --use-openssl-ca "$0" "$@";; esac; exec node "$0" "$@"
// The `baton` command line. `baton agent` goes straight to dist/agent.mjs, one bundled file holding
// only what the agent runs (scripts/build-agent.mjs), so the agent process never loads the rest of the
// CLI: its budget is 50 MB RSS. The commands that only talk to a coordinator (`ps`, `nodes`, ...) go
// to dist/cli.mjs, one bundled file of those commands: loading grpc-js, protobufjs and the rest as
// some 150 separate modules took 0.3 s of every `baton ps`. Every other command loads the full program.
//
// The two lines above make this file a shell script as well, for one reason: V8's --lite-mode
// (no JIT: about 1 MB less for the agent) can only be set when node starts, and Node cannot exec
// itself. Run as a program (the `baton` bin), /bin/sh reads line 2 (`//usr/bin/env true` is a
// no-op) and execs node, with the agent's flags for `baton agent`, so there is still one process.
// Node skips line 1 and reads line 2 as a comment, so `node main.js ...` is plain JavaScript (the
// tests run it so; the agent then runs without --lite-mode, otherwise the same).
//
// --use-openssl-ca with OpenSSL's default paths pointed at nothing: Node parses its ~140 bundled root
// certificates (about 1.5 MB resident, kept for good) the first time any TLS context is given its
// own CA, only to compare stores, although that context then trusts that CA alone. The agent only
// ever trusts the cluster CA it was given (agent/security/node-tls.ts), so the well-known roots were
// never used: with this flag Node asks OpenSSL's default file and directory instead, here none.
// NODE_EXTRA_CA_CERTS is dropped for the same reason: Node adds those certificates to the same
// unused default store, and loads them as soon as it builds it. Trust is unchanged. The variables
// reach what the agent runs (nft, conntrack, the CSR child), none of which makes a TLS connection.
import { existsSync } from 'node:fs';
import { CLIENT_COMMANDS } from './client-commands.js';

const command = process.argv[2];
// `baton agent install|uninstall` write files and run systemctl: the full program, not the agent.
const installing = process.argv[3] === 'install' || process.argv[3] === 'uninstall';
if (command === 'agent' && !installing) {
  const bundle = new URL('../../agent.mjs', import.meta.url);
  // Run from sources (no bundle beside them), the same entry runs unbundled.
  await import(existsSync(bundle) ? bundle.href : './agent-main.js');
} else if (command !== undefined && CLIENT_COMMANDS.includes(command)) {
  const bundle = new URL('../../cli.mjs', import.meta.url);
  await import(existsSync(bundle) ? bundle.href : './client-main.js');
} else {
  const { buildProgram, run } = await import('./program.js');
  await run(buildProgram());
}
