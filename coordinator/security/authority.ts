// The cluster's certificate authority as the coordinator runs it: creates the CA and its own server
// certificate on first start (files in <dataDir>/pki, keys owner-only), keeps the server certificate
// current (reissued when its names change or within 30 days of expiry, served without a restart),
// holds the join secret, and issues node and operator certificates. The serials it accepts are
// listed in the store (state.identities): the one place a certificate's revocation is decided.
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { COORDINATOR_TLS_NAME, type OperatorRole } from '../../shared/security/names.js';
import { readOptionalFile as readOptional, writePrivateFile as writePrivate } from '../../shared/security/private-file.js';
import { caHashOf, formatJoinToken, newJoinSecret, secretsEqual } from '../../shared/security/token.js';
import type { Store } from '../store/store.js';
import type { DeepReadonly, IdentityRecord } from '../store/schema.js';
import {
  checkRequest,
  createCertificateAuthority,
  issueClientCertificate,
  issueForRequest,
  issueServerCertificate,
  loadCertificateAuthority,
  namesOf,
  normaliseSerial,
  serverNames,
  type CertificateAuthority,
  type IssuedWithKey,
  type ServerNames,
} from './pki.js';

const DAY_MS = 86_400_000;
export const SECURITY_DEFAULTS = {
  nodeCertTtlMs: 7 * DAY_MS,
  operatorCertTtlMs: 365 * DAY_MS,
  serverCertTtlMs: 365 * DAY_MS,
  /** The server certificate is reissued when it has less than this left. */
  serverRenewBeforeMs: 30 * DAY_MS,
} as const;

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: grpc.status; error: string };
const refuse = (code: grpc.status, error: string): { ok: false; code: grpc.status; error: string } => ({ ok: false, code, error });

export interface AuthorityOptions {
  dataDir: string;
  /** Names (addresses or DNS names) the server certificate must carry besides the defaults. */
  names: readonly string[];
  nodeCertTtlMs?: number;
  clock: Clock;
  log: Logger;
}

export interface NodeCertificateOut {
  certificatePem: string;
  caPem: string;
  notAfterMs: number;
}

export interface CredentialOut {
  name: string;
  role: OperatorRole;
  caPem: string;
  certificatePem: string;
  keyPem: string;
  notAfterMs: number;
}

/** The names a coordinator's certificate carries: Baton's fixed name, loopback, the host, its addresses and the given ones. */
export function defaultServerNames(listenHost: string, extra: readonly string[]): ServerNames {
  const names = [COORDINATOR_TLS_NAME, 'localhost', '127.0.0.1', '::1', hostname(), ...extra];
  if (listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '') {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  } else names.push(listenHost);
  return serverNames(names);
}

const sameNames = (a: ServerNames, b: ServerNames) => JSON.stringify(a) === JSON.stringify(b);

/** Whether a certificate has less than the renewal margin left at `nowMs`. */
const nearsExpiry = (certPem: string, nowMs: number) => Date.parse(new X509Certificate(certPem).validTo) - nowMs < SECURITY_DEFAULTS.serverRenewBeforeMs;

/** A new server certificate for `names`, written to <dir>/server.{key,crt}. */
async function reissueServerCertificate(dir: string, ca: CertificateAuthority, names: ServerNames, nowMs: number): Promise<IssuedWithKey> {
  const issued = await issueServerCertificate(ca, names, nowMs, SECURITY_DEFAULTS.serverCertTtlMs);
  await writePrivate(join(dir, 'server.key'), issued.keyPem);
  await writeFile(join(dir, 'server.crt'), issued.certPem, { mode: 0o644 });
  return issued;
}

/** An in-memory identity and CA for grpc-js's certificate-provider credentials, updatable in place. */
class StaticProvider {
  private identity: { certificate: Buffer; privateKey: Buffer };
  private readonly ca: { caCertificate: Buffer };
  private readonly identityListeners = new Set<(u: { certificate: Buffer; privateKey: Buffer } | null) => void>();
  constructor(caPem: string, certPem: string, keyPem: string) {
    this.ca = { caCertificate: Buffer.from(caPem) };
    this.identity = { certificate: Buffer.from(certPem), privateKey: Buffer.from(keyPem) };
  }
  setIdentity(certPem: string, keyPem: string): void {
    this.identity = { certificate: Buffer.from(certPem), privateKey: Buffer.from(keyPem) };
    for (const l of this.identityListeners) l(this.identity);
  }
  // Listeners hear the current value on the next microtask: grpc-js registers them before the
  // watcher that applies an update, so a synchronous call would be lost.
  addCaCertificateListener(l: (u: { caCertificate: Buffer } | null) => void): void {
    queueMicrotask(() => l(this.ca));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(l: (u: { certificate: Buffer; privateKey: Buffer } | null) => void): void {
    this.identityListeners.add(l);
    queueMicrotask(() => l(this.identity));
  }
  removeIdentityCertificateListener(l: (u: { certificate: Buffer; privateKey: Buffer } | null) => void): void {
    this.identityListeners.delete(l);
  }
}

export class ClusterAuthority {
  private secret: string;
  private provider: StaticProvider | undefined;
  private serverCertPem: string;
  private serverKeyPem: string;
  readonly caHash: string;
  readonly nodeCertTtlMs: number;

  private constructor(
    readonly ca: CertificateAuthority,
    private readonly dir: string,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
    secret: string,
    server: { certPem: string; keyPem: string },
    nodeCertTtlMs: number,
  ) {
    this.secret = secret;
    this.serverCertPem = server.certPem;
    this.serverKeyPem = server.keyPem;
    this.caHash = caHashOf(ca.certPem);
    this.nodeCertTtlMs = nodeCertTtlMs;
  }

  /** Loads <dataDir>/pki, creating the CA, the server certificate and the join secret on first start. */
  static async open(options: AuthorityOptions, store: Store, listenHost: string): Promise<ClusterAuthority> {
    const dir = join(options.dataDir, 'pki');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const now = options.clock.now();
    const caCert = await readOptional(join(dir, 'ca.crt'));
    const caKey = await readOptional(join(dir, 'ca.key'));
    let ca: CertificateAuthority;
    if (caCert && caKey) ca = await loadCertificateAuthority(caCert, caKey);
    else if (caCert || caKey) throw new Error(`${dir}: holds ${caCert ? 'ca.crt without ca.key' : 'ca.key without ca.crt'}; restore the missing file (a new CA would strand every joined node)`);
    else {
      const made = await createCertificateAuthority(now);
      await writePrivate(join(dir, 'ca.key'), made.keyPem);
      await writeFile(join(dir, 'ca.crt'), made.certPem, { mode: 0o644 });
      ca = made;
      options.log.info({ dir }, 'created the cluster CA');
    }
    let secret = (await readOptional(join(dir, 'join-secret')))?.trim();
    if (!secret) {
      secret = newJoinSecret();
      await writePrivate(join(dir, 'join-secret'), secret + '\n');
    }
    const wanted = defaultServerNames(listenHost, options.names);
    let cert = await readOptional(join(dir, 'server.crt'));
    let key = await readOptional(join(dir, 'server.key'));
    const stale = !cert || !key || !sameNames(namesOf(cert), wanted) || nearsExpiry(cert, now) || !new X509Certificate(cert).checkIssued(new X509Certificate(ca.certPem));
    if (stale) {
      const issued = await reissueServerCertificate(dir, ca, wanted, now);
      cert = issued.certPem;
      key = issued.keyPem;
      options.log.info({ dns: wanted.dns, ips: wanted.ips }, 'issued the coordinator certificate');
    }
    return new ClusterAuthority(ca, dir, store, options.clock, options.log, secret, { certPem: cert!, keyPem: key! }, options.nodeCertTtlMs ?? SECURITY_DEFAULTS.nodeCertTtlMs);
  }

  /**
   * Reissues the server certificate when it has less than 30 days left (checked at start and then
   * twice a day by the coordinator) and serves the new one at once: new connections get it, open
   * ones keep theirs. True when it reissued.
   */
  async refreshServerCertificate(): Promise<boolean> {
    const now = this.clock.now();
    if (!nearsExpiry(this.serverCertPem, now)) return false;
    const issued = await reissueServerCertificate(this.dir, this.ca, namesOf(this.serverCertPem), now);
    this.serverCertPem = issued.certPem;
    this.serverKeyPem = issued.keyPem;
    this.provider?.setIdentity(issued.certPem, issued.keyPem);
    this.log.info({ notAfter: new Date(issued.notAfterMs).toISOString() }, 'reissued the coordinator certificate');
    return true;
  }

  /** TLS for the gRPC port: the coordinator's certificate; client certificates requested and verified against the CA but not required (joining needs none). */
  serverCredentials(): grpc.ServerCredentials {
    this.provider ??= new StaticProvider(this.ca.certPem, this.serverCertPem, this.serverKeyPem);
    return grpc.experimental.createCertificateProviderServerCredentials(this.provider as never, this.provider as never, false);
  }

  joinToken(): string {
    return formatJoinToken({ caHash: this.caHash, secret: this.secret });
  }

  /** A new join secret: the old token admits no new node; joined nodes keep their certificates. */
  async rotateToken(): Promise<string> {
    const secret = newJoinSecret();
    await writePrivate(join(this.dir, 'join-secret'), secret + '\n');
    this.secret = secret;
    this.log.info('join token rotated');
    return this.joinToken();
  }

  /** Whether a certificate (its identity key and serial) is one the coordinator still accepts. */
  accepts(identityKey: string, serial: string, role: string): boolean {
    const r = this.store.state.identities[identityKey];
    if (!r || r.role !== role) return false;
    const s = normaliseSerial(serial);
    return r.serials.some((x) => x.serial === s);
  }

  /** A new node: the token's secret and a request for the node's own key, for a certificate naming `nodeId`. */
  async join(req: { secret: string; nodeId: string; csrPem: string }): Promise<Outcome<NodeCertificateOut>> {
    if (!secretsEqual(req.secret, this.secret)) return refuse(grpc.status.PERMISSION_DENIED, 'the join token is not (or no longer) valid for this coordinator: get the current one with `baton token`');
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(req.nodeId)) return refuse(grpc.status.INVALID_ARGUMENT, 'node_id: expected 1-64 of A-Z a-z 0-9 . _ -');
    const checked = await checkRequest(req.csrPem);
    if (!checked.ok) return refuse(grpc.status.INVALID_ARGUMENT, checked.error);
    const key = `node/${req.nodeId}`;
    const existing = this.store.state.identities[key];
    if (existing?.keyHash && existing.keyHash !== checked.keyHash) {
      return refuse(grpc.status.ALREADY_EXISTS, `node ${req.nodeId} has joined with another key; \`baton node rm ${req.nodeId}\` first if this host replaces it`);
    }
    return this.issueNode(req.nodeId, checked.publicKey, checked.keyHash, existing);
  }

  /** A joined node's new certificate (for a new key), over its authenticated connection. */
  async renew(nodeId: string, csrPem: string): Promise<Outcome<NodeCertificateOut>> {
    const checked = await checkRequest(csrPem);
    if (!checked.ok) return refuse(grpc.status.INVALID_ARGUMENT, checked.error);
    const existing = this.store.state.identities[`node/${nodeId}`];
    if (!existing) return refuse(grpc.status.PERMISSION_DENIED, `node ${nodeId} is not joined (removed?)`);
    return this.issueNode(nodeId, checked.publicKey, checked.keyHash, existing);
  }

  private async issueNode(nodeId: string, publicKey: Parameters<typeof issueForRequest>[1], keyHash: string, existing: DeepReadonly<IdentityRecord> | undefined): Promise<Outcome<NodeCertificateOut>> {
    const now = this.clock.now();
    const issued = await issueForRequest(this.ca, publicKey, nodeId, 'node', now, this.nodeCertTtlMs);
    this.store.transact((s) => {
      // Earlier certificates stay valid until they expire (a session may still run on one); at most
      // a few are listed (renewal at 50-70% of the life leaves two or three unexpired).
      const kept = (s.identities[`node/${nodeId}`]?.serials ?? []).filter((x) => x.notAfterMs > now).slice(-3);
      s.identities[`node/${nodeId}`] = {
        kind: 'node',
        name: nodeId,
        role: 'node',
        keyHash,
        serials: [...kept, { serial: issued.serial, notAfterMs: issued.notAfterMs }],
        createdAtMs: existing?.createdAtMs ?? now,
      };
    });
    await this.store.flush();
    return { ok: true, value: { certificatePem: issued.certPem, caPem: this.ca.certPem, notAfterMs: issued.notAfterMs } };
  }

  async createCredential(name: string, role: string, ttlMs: number): Promise<Outcome<CredentialOut>> {
    if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) return refuse(grpc.status.INVALID_ARGUMENT, 'name: expected 1-63 of a-z 0-9 . _ -, starting with a letter or digit');
    if (role !== 'admin' && role !== 'viewer') return refuse(grpc.status.INVALID_ARGUMENT, `role: expected admin or viewer, got ${JSON.stringify(role)}`);
    if (!(ttlMs >= 0) || !Number.isSafeInteger(ttlMs)) return refuse(grpc.status.INVALID_ARGUMENT, 'ttl_ms: expected a non-negative integer');
    const now = this.clock.now();
    const issued = await issueClientCertificate(this.ca, name, role, now, ttlMs || SECURITY_DEFAULTS.operatorCertTtlMs);
    this.store.transact((s) => {
      const key = `operator/${name}`;
      const prev = s.identities[key];
      // Same name and role: one more valid credential; another role replaces the old ones.
      const kept = prev && prev.role === role ? prev.serials.filter((x) => x.notAfterMs > now) : [];
      s.identities[key] = { kind: 'operator', name, role, serials: [...kept, { serial: issued.serial, notAfterMs: issued.notAfterMs }], createdAtMs: prev?.createdAtMs ?? now };
    });
    await this.store.flush();
    this.log.info({ name, role, notAfterMs: issued.notAfterMs }, 'operator credential issued');
    return { ok: true, value: { name, role, caPem: this.ca.certPem, certificatePem: issued.certPem, keyPem: issued.keyPem, notAfterMs: issued.notAfterMs } };
  }

  /** Refuses every certificate of an operator (or, with kind node, a node) from now on. */
  async revoke(kind: 'node' | 'operator', name: string): Promise<boolean> {
    const key = `${kind}/${name}`;
    if (!this.store.state.identities[key]) return false;
    this.store.transact((s) => {
      delete s.identities[key];
    });
    await this.store.flush();
    this.log.warn({ kind, name }, 'certificates revoked');
    return true;
  }

  /** The first start's admin credential (role admin, name admin), for <dataDir>/admin.json. */
  async adminCredential(): Promise<CredentialOut> {
    const r = await this.createCredential('admin', 'admin', 0);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }
}
