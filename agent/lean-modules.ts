// Keeps the agent's memory small (target: at most 60 MB RSS). docker-modem loads ssh2 at
// start-up only to support `ssh://` DOCKER_HOST, which Baton does not offer; that is 14 MB of
// a 60 MB budget. Registering a stand-in for docker-modem's ssh agent module before dockerode
// loads means ssh2 is never read. If docker-modem moves the file, the stand-in is simply not
// used and memory grows back; nothing breaks. The bundled agent (dist/agent.mjs) gets this stand-in,
// and a few more, at build time instead: scripts/build-agent.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function skipSshSupport(): void {
  let sshModule: string;
  try {
    sshModule = require.resolve('docker-modem/lib/ssh.js', { paths: [require.resolve('dockerode')] });
  } catch {
    return;
  }
  if (require.cache[sshModule]) return;
  const notSupported = () => {
    throw new Error('ssh:// DOCKER_HOST is not supported by the Baton agent; use unix:// or tcp://');
  };
  require.cache[sshModule] = { id: sshModule, filename: sshModule, loaded: true, exports: notSupported } as unknown as NodeJS.Module;
}

skipSshSupport();
