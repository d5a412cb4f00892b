// Secrets at rest: AES-256-GCM with the coordinator's secrets key (<dataDir>/secrets.key, 32
// random bytes, owner-only 0600, created on first start as security/authority.ts creates the pki
// files). Each value gets a random 96-bit nonce; the secret's name is the additional data, so a
// sealed value copied under another name does not open. Opening returns a Result: a wrong key or a
// changed byte is a clear message, never a throw, and the sealed text is left as it was.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/result.js';
import { readOptionalFile, writePrivateFile } from '../../shared/security/private-file.js';

export const SECRETS_KEY_FILE = 'secrets.key';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const FORMAT = 'v1';

export interface SealingKey {
  readonly key: Buffer;
  /** First 16 hex digits of sha256(key): names the key in a sealed value without revealing it. */
  readonly id: string;
}

export function sealingKeyOf(key: Buffer): SealingKey {
  if (key.length !== KEY_BYTES) throw new Error(`a secrets key is ${KEY_BYTES} bytes, got ${key.length}`);
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

/** Reads <dataDir>/secrets.key, creating it (0600) on first start; a malformed file is an error naming it, never replaced. */
export async function openSealingKey(dataDir: string): Promise<SealingKey> {
  const file = join(dataDir, SECRETS_KEY_FILE);
  const text = await readOptionalFile(file);
  if (text === undefined) {
    const key = randomBytes(KEY_BYTES);
    await writePrivateFile(file, key.toString('base64') + '\n');
    return sealingKeyOf(key);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text.trim()) {
    throw new Error(`${file}: not a secrets key (expected ${KEY_BYTES} bytes in base64); restore it from a backup: the stored secrets cannot be opened without it`);
  }
  // Owner-only, as written: a key someone loosened is tightened again.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  return sealingKeyOf(key);
}

/** `v1:<key id>:<nonce>:<tag>:<ciphertext>` (base64 parts). `name` is bound as additional data. */
export function seal(k: SealingKey, name: string, plain: Uint8Array): string {
  const nonce = randomBytes(NONCE_BYTES);
  const c = createCipheriv('aes-256-gcm', k.key, nonce);
  c.setAAD(Buffer.from(name, 'utf8'));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return [FORMAT, k.id, nonce.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

export function open(k: SealingKey, name: string, sealed: string): Result<Buffer> {
  const parts = sealed.split(':');
  if (parts.length !== 5 || parts[0] !== FORMAT) return fail(`secret ${name}: the stored value is not in the ${FORMAT} sealed form`);
  const [, keyId, nonceB64, tagB64, bodyB64] = parts as [string, string, string, string, string];
  if (keyId !== k.id) return fail(`secret ${name}: sealed with another secrets key (id ${keyId}; this coordinator's is ${k.id}): restore that key to ${SECRETS_KEY_FILE}`);
  const nonce = Buffer.from(nonceB64, 'base64');
  const tag = Buffer.from(tagB64, 'base64');
  if (nonce.length !== NONCE_BYTES || tag.length !== 16) return fail(`secret ${name}: the stored value is damaged (nonce or tag of the wrong length)`);
  try {
    const d = createDecipheriv('aes-256-gcm', k.key, nonce);
    d.setAAD(Buffer.from(name, 'utf8'));
    d.setAuthTag(tag);
    return ok(Buffer.concat([d.update(Buffer.from(bodyB64, 'base64')), d.final()]));
  } catch {
    return fail(`secret ${name}: the stored value does not authenticate (changed on disk, or stored under another name)`);
  }
}
