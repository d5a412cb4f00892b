// The node's TLS identity: its key, certificate and the cluster CA in the data dir (owner-only),
// joining with a token (CA pinned by the token's hash, secret proven over verified TLS, a request for
// a key generated here), and renewal over the live connection. Outcomes are values; nothing here throws
// on a refusal, so the agent logs, backs off and retries.
import * as grpc from '@grpc/grpc-js';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import type { JoinServiceClient } from '../../shared/grpc/gen/baton/v1/JoinService.js';
import type { NodeCertificate__Output } from '../../shared/grpc/gen/baton/v1/NodeCertificate.js';
import { loadProto, MAX_MESSAGE_BYTES } from '../../shared/grpc/load.js';
import { COORDINATOR_TLS_NAME } from '../../shared/security/names.js';
import { readOptionalFile, writePrivateFile } from '../../shared/security/private-file.js';
import { caHashOf, type JoinToken } from '../../shared/security/token.js';
import { makeCsr } from './csr-child.js';

export interface NodeTls {
  readonly keyPem: string;
  readonly certPem: string;
  readonly caPem: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; code?: grpc.status };

const files = (dataDir: string) => ({ key: join(dataDir, 'node.key'), cert: join(dataDir, 'node.crt'), ca: join(dataDir, 'ca.crt') });

function validity(certPem: string): { notBeforeMs: number; notAfterMs: number } {
  const c = new X509Certificate(certPem);
  return { notBeforeMs: Date.parse(c.validFrom), notAfterMs: Date.parse(c.validTo) };
}

export async function loadNodeTls(dataDir: string): Promise<NodeTls | undefined> {
  const f = files(dataDir);
  const [keyPem, certPem, caPem] = await Promise.all([readOptionalFile(f.key), readOptionalFile(f.cert), readOptionalFile(f.ca)]);
  if (!keyPem || !certPem || !caPem) return undefined;
  return { keyPem, certPem, caPem, ...validity(certPem) };
}

async function saveNodeTls(dataDir: string, t: { keyPem: string; certPem: string; caPem: string }): Promise<NodeTls> {
  const f = files(dataDir);
  await writePrivateFile(f.ca, t.caPem);
  await writePrivateFile(f.key, t.keyPem);
  await writePrivateFile(f.cert, t.certPem);
  return { ...t, ...validity(t.certPem) };
}

export const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.ssl_target_name_override': COORDINATOR_TLS_NAME,
  'grpc.default_authority': COORDINATOR_TLS_NAME,
} as const;

/** Mutual TLS as this node: its certificate, the cluster CA as the only root. */
export function nodeCredentials(t: NodeTls): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(t.caPem), Buffer.from(t.keyPem), Buffer.from(t.certPem));
}

function newKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function unary<Res>(fn: (cb: (err: grpc.ServiceError | null, res?: Res) => void) => void): Promise<Outcome<Res>> {
  return new Promise((resolve) => {
    fn((err, res) => {
      if (err || !res) resolve({ ok: false, error: err?.details || err?.message || 'empty answer', ...(err ? { code: err.code } : {}) });
      else resolve({ ok: true, value: res });
    });
  });
}

const deadline = (ms: number) => ({ deadline: Date.now() + ms });

/**
 * Joins the cluster at `target`: fetches the CA over TLS without trusting it, compares its hash
 * with the token's (nothing else is sent before that matches), then, trusting only that CA, proves
 * the secret and exchanges a request for a key made here for a certificate naming `nodeId`.
 */
export async function joinCluster(o: {
  target: string;
  token: JoinToken;
  nodeId: string;
  dataDir: string;
  timeoutMs?: number;
  /** The key to ask a certificate for; a new one when absent. A node rejoining after its certificate expired keeps its key: the coordinator admits its id again only for the key it last certified. */
  keyPem?: string;
}): Promise<Outcome<NodeTls>> {
  const proto = loadProto();
  const timeoutMs = o.timeoutMs ?? 10_000;
  // Nothing is verified on this connection, so it is given an empty list of roots: with none
  // (null), grpc-js reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH into a buffer it keeps for the life of
  // the process (219 KB for a system bundle), and Node parses that or its own bundled roots.
  const untrusted = new proto.baton.v1.JoinService(o.target, grpc.credentials.createSsl(Buffer.alloc(0), null, null, { rejectUnauthorized: false }), CHANNEL_OPTIONS) as JoinServiceClient;
  const ca = await unary<{ ca_pem: string }>((cb) => untrusted.GetClusterCA({}, deadline(timeoutMs), cb));
  untrusted.close();
  if (!ca.ok) return { ok: false, error: `cannot fetch the cluster CA from ${o.target}: ${ca.error}`, ...(ca.code !== undefined ? { code: ca.code } : {}) };
  let hash: string;
  try {
    hash = caHashOf(ca.value.ca_pem);
  } catch {
    return { ok: false, error: `${o.target} sent something that is not a CA certificate` };
  }
  if (hash !== o.token.caHash) {
    return {
      ok: false,
      error: `the join token does not match this coordinator's CA (it presents CA sha256 ${hash.slice(0, 16)}..., the token names ${o.token.caHash.slice(0, 16)}...): use the token \`baton token\` prints on the coordinator at ${o.target}`,
    };
  }
  const keyPem = o.keyPem ?? newKeyPem();
  let csrPem: string;
  try {
    csrPem = await makeCsr(keyPem, o.nodeId);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const pinned = new proto.baton.v1.JoinService(o.target, grpc.credentials.createSsl(Buffer.from(ca.value.ca_pem)), CHANNEL_OPTIONS) as JoinServiceClient;
  const r = await unary<NodeCertificate__Output>((cb) => pinned.Join({ secret: o.token.secret, node_id: o.nodeId, csr_pem: csrPem }, deadline(timeoutMs), cb));
  pinned.close();
  if (!r.ok) return { ok: false, error: `the coordinator refused to join this node: ${r.error}`, ...(r.code !== undefined ? { code: r.code } : {}) };
  return { ok: true, value: await saveNodeTls(o.dataDir, { keyPem, certPem: r.value.certificate_pem, caPem: ca.value.ca_pem }) };
}

/**
 * A new certificate for a new key, asked for as the newest certificate (`current`) on a connection of
 * its own: the session's connection keeps the certificate it was opened with, which may be older
 * than the newest and expire first, and the session itself is never interrupted.
 */
export async function renewCertificate(o: { target: string; current: NodeTls; nodeId: string; dataDir: string; timeoutMs?: number }): Promise<Outcome<NodeTls>> {
  const proto = loadProto();
  const client = new proto.baton.v1.JoinService(o.target, nodeCredentials(o.current), CHANNEL_OPTIONS) as JoinServiceClient;
  const keyPem = newKeyPem();
  let csrPem: string;
  try {
    csrPem = await makeCsr(keyPem, o.nodeId);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const r = await unary<NodeCertificate__Output>((cb) => client.Renew({ csr_pem: csrPem }, deadline(o.timeoutMs ?? 10_000), cb));
  client.close();
  if (!r.ok) return { ok: false, error: `certificate renewal refused: ${r.error}`, ...(r.code !== undefined ? { code: r.code } : {}) };
  return { ok: true, value: await saveNodeTls(o.dataDir, { keyPem, certPem: r.value.certificate_pem, caPem: o.current.caPem }) };
}

/** When to renew: a random point between 50% and 70% of the certificate's life (jitter spreads a fleet's renewals). */
export function renewAtMs(t: Pick<NodeTls, 'notBeforeMs' | 'notAfterMs'>, random = Math.random()): number {
  const life = t.notAfterMs - t.notBeforeMs;
  return t.notBeforeMs + life * (0.5 + 0.2 * random);
}
