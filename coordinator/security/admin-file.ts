// <dataDir>/admin.json: the admin credential the coordinator writes for its operator (k3s's
// kubeconfig), owner-only. Kept across restarts while the coordinator still accepts it; its
// coordinator address follows the one in use. With registerLocalPort, ~/.baton/local/<port> names
// the file so the CLI on this host finds it without a flag.
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writePrivateFile } from '../../shared/security/private-file.js';
import type { ClusterAuthority } from './authority.js';
import { claimed } from './authorize.js';

export interface CredentialFile {
  coordinator: string;
  name: string;
  role: string;
  ca: string;
  cert: string;
  key: string;
}

function stillAccepted(authority: ClusterAuthority, f: Partial<CredentialFile>): boolean {
  try {
    if (typeof f.cert !== 'string' || typeof f.key !== 'string') return false;
    const cert = new X509Certificate(f.cert);
    if (!cert.checkIssued(new X509Certificate(authority.ca.certPem)) || Date.parse(cert.validTo) < Date.now() + 86_400_000) return false;
    const c = claimed({ subject: Object.fromEntries(cert.subject.split('\n').map((l) => l.split('=') as [string, string])), serialNumber: cert.serialNumber } as never);
    return c !== undefined && authority.accepts(c.key, c.serial, c.role);
  } catch {
    return false;
  }
}

export async function ensureAdminCredential(authority: ClusterAuthority, dataDir: string, coordinator: string, o: { registerLocalPort?: number }): Promise<string> {
  const file = resolve(dataDir, 'admin.json');
  let current: Partial<CredentialFile> | undefined;
  try {
    current = JSON.parse(await readFile(file, 'utf8')) as Partial<CredentialFile>;
  } catch {
    current = undefined;
  }
  let out: CredentialFile;
  if (current && stillAccepted(authority, current)) {
    out = { ...(current as CredentialFile), coordinator };
  } else {
    const c = await authority.adminCredential();
    out = { coordinator, name: c.name, role: c.role, ca: c.caPem, cert: c.certificatePem, key: c.keyPem };
  }
  if (JSON.stringify(out) !== JSON.stringify(current)) await writePrivateFile(file, JSON.stringify(out, null, 2) + '\n');
  if (o.registerLocalPort !== undefined) {
    const dir = join(homedir(), '.baton', 'local');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writePrivateFile(join(dir, String(o.registerLocalPort)), file + '\n');
  }
  return file;
}
