// The join token: BATON1-<sha256 of the cluster CA certificate, hex>-<secret>. The hash pins the CA
// (the agent trusts a coordinator only if it presents a chain to exactly that CA: no CA file to copy,
// no trust on first use); the secret admits a new node. Pure, and light enough for the agent.
import { createHash, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';

export const TOKEN_PREFIX = 'BATON1';
const HASH_RE = /^[0-9a-f]{64}$/;
const SECRET_RE = /^[a-z2-7]{32}$/;

export interface JoinToken {
  readonly caHash: string;
  readonly secret: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function formatJoinToken(t: JoinToken): string {
  return `${TOKEN_PREFIX}-${t.caHash}-${t.secret}`;
}

/** Checks a token's form; the error says what was expected, never echoes the secret. */
export function parseJoinToken(text: string): Parsed<JoinToken> {
  const parts = text.trim().split('-');
  const expected = `expected ${TOKEN_PREFIX}-<64 hex digits>-<32 letters a-z and digits 2-7> (from \`baton token\` on the coordinator)`;
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return { ok: false, error: `join token: ${expected}` };
  const [, caHash, secret] = parts as [string, string, string];
  if (!HASH_RE.test(caHash)) return { ok: false, error: `join token: the CA hash is not 64 hex digits; ${expected}` };
  if (!SECRET_RE.test(secret)) return { ok: false, error: `join token: the secret is malformed; ${expected}` };
  return { ok: true, value: { caHash, secret } };
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 160 random bits as 32 base32 letters. */
export function newJoinSecret(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** sha256 of a certificate's DER, hex: what the token carries. Accepts PEM. */
export function caHashOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** Constant-time comparison of two secrets. */
export function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
