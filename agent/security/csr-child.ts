// Builds a certificate request without loading the X.509 library into the agent for good: from the
// bundle (dist/agent.mjs), in a child process running dist/agent-csr.mjs (the key goes to it over a
// pipe, on this host); from sources, in process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function makeCsr(keyPem: string, commonName: string): Promise<string> {
  const child = new URL('./agent-csr.mjs', import.meta.url);
  if (child.protocol === 'file:' && existsSync(fileURLToPath(child))) return viaChild(fileURLToPath(child), keyPem, commonName);
  const { createCsr } = await import('./csr.js');
  return createCsr(keyPem, commonName);
}

function viaChild(script: string, keyPem: string, commonName: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 && out.includes('CERTIFICATE REQUEST') ? resolve(out) : reject(new Error(`certificate request failed: ${err.trim() || `exit ${code}`}`))));
    p.stdin.end(JSON.stringify({ keyPem, commonName }));
  });
}
