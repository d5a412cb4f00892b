// <dataDir>/admin.json: the admin credential the coordinator writes for its operator (k3s's
// kubeconfig), owner-only, in the client credential format of shared/cli/config.ts (read and
// written by that module's own functions). Kept across restarts while the coordinator still accepts
// it; its coordinator address follows the one in use. With registerLocalPort,
// ~/.baton/local/<port> names the file so the CLI on this host finds it without a flag.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { isInsecureCredential, localPointerPath, parseCredentialFile, writeCredentialFile, type ClientCredential } from '../../shared/cli/config.js';
import { writePrivateFile } from '../../shared/security/private-file.js';
import type { ClusterAuthority } from './authority.js';
import { claimed } from './authorize.js';

/** Issued by this CA, a day or more left, and still on the coordinator's allowlist. */
function stillAccepted(authority: ClusterAuthority, c: ClientCredential): boolean {
  try {
    const cert = new X509Certificate(c.cert);
    if (!cert.checkIssued(new X509Certificate(authority.ca.certPem)) || Date.parse(cert.validTo) < Date.now() + 86_400_000) return false;
    const id = claimed({ subject: Object.fromEntries(cert.subject.split('\n').map((l) => l.split('=') as [string, string])), serialNumber: cert.serialNumber } as never);
    return id !== undefined && authority.accepts(id.key, id.serial, id.role);
  } catch {
    return false;
  }
}

/** The current admin credential from the file, when it is one this coordinator still accepts. */
async function currentCredential(authority: ClusterAuthority, file: string): Promise<ClientCredential | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = parseCredentialFile(text, file, Date.now());
  if (!parsed.ok || isInsecureCredential(parsed.value)) return undefined;
  return stillAccepted(authority, parsed.value) ? parsed.value : undefined;
}

export async function ensureAdminCredential(authority: ClusterAuthority, dataDir: string, coordinator: string, o: { registerLocalPort?: number }): Promise<string> {
  const file = resolve(dataDir, 'admin.json');
  const current = await currentCredential(authority, file);
  let out: ClientCredential;
  if (current) out = { ...current, coordinator };
  else {
    const c = await authority.adminCredential();
    out = { coordinator, name: c.name, role: c.role, ca: c.caPem, cert: c.certificatePem, key: c.keyPem };
  }
  // Written when new, or when the coordinator's address changed (a new port, another --advertise-address).
  if (!current || current.coordinator !== coordinator) await writeCredentialFile(file, out, { overwrite: true });
  if (o.registerLocalPort !== undefined) await writePrivateFile(localPointerPath(homedir(), o.registerLocalPort), file + '\n');
  return file;
}
