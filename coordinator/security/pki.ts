// The cluster's certificates: a CA, the coordinator's server certificate, node certificates from
// the agents' requests and operator credentials. @peculiar/x509 builds and parses the X.509 and
// PKCS#10 structures (no hand-written ASN.1); Node's WebCrypto does the keys and signatures.
// ECDSA P-256 throughout: small keys, fast signatures, understood by every TLS stack. Pure
// functions of their inputs and the time passed in (`nowMs`), apart from the random keys and serials.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { CERT_ORGANISATION, type CertRole } from '../../shared/security/names.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** Issued certificates start up to this far in the past (a tenth of a short life), for clocks a little behind the coordinator's. */
const BACKDATE_MS = 60_000;
const backdate = (ttlMs: number) => Math.min(BACKDATE_MS, Math.floor(ttlMs / 10));

export interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export interface CertificateAuthority {
  readonly certPem: string;
  readonly cert: x509.X509Certificate;
  readonly keys: KeyPair;
}

export interface Issued {
  readonly certPem: string;
  /** Lower-case hex, no leading zeros (as Node's TLS reports it, lower-cased). */
  readonly serial: string;
  readonly notAfterMs: number;
  /** sha256 of the subject public key (SPKI DER), hex. */
  readonly keyHash: string;
}

export interface IssuedWithKey extends Issued {
  readonly keyPem: string;
}

export async function generateKeyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as unknown as KeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** A key pair from a PKCS#8 PEM private key and the certificate that carries its public half. */
export async function importKeyPair(keyPem: string, cert: x509.X509Certificate): Promise<KeyPair> {
  const der = x509.PemConverter.decodeFirst(keyPem);
  const privateKey = (await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign'])) as unknown as CryptoKey;
  const publicKey = await cert.publicKey.export(ALG, ['verify'], webcrypto as unknown as Crypto);
  return { privateKey, publicKey };
}

/** 128 random bits, positive. */
function newSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

function subjectOf(cn: string, role: CertRole): string {
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(cn)) throw new Error(`certificate name ${JSON.stringify(cn)}: expected 1-64 of A-Z a-z 0-9 . _ @ -`);
  return `CN=${cn}, OU=${role}, O=${CERT_ORGANISATION}`;
}

async function spkiHash(key: CryptoKey | x509.PublicKey): Promise<string> {
  const der = key instanceof x509.PublicKey ? key.rawData : await webcrypto.subtle.exportKey('spki', key as unknown as webcrypto.CryptoKey);
  return createHash('sha256').update(Buffer.from(der)).digest('hex');
}

export async function createCertificateAuthority(nowMs: number, ttlMs = 10 * 365 * 86_400_000): Promise<CertificateAuthority & { keyPem: string }> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: `CN=Baton cluster CA ${newSerial().slice(0, 8)}, O=${CERT_ORGANISATION}`,
    notBefore: new Date(nowMs - BACKDATE_MS),
    notAfter: new Date(nowMs + ttlMs),
    keys: keys as unknown as CryptoKeyPair,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString('pem');
  return { certPem, cert, keys, keyPem: await privateKeyPem(keys.privateKey) };
}

export async function loadCertificateAuthority(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPem);
  return { certPem, cert, keys: await importKeyPair(keyPem, cert) };
}

export interface ServerNames {
  readonly dns: readonly string[];
  readonly ips: readonly string[];
}

/** Splits names into DNS names and IP addresses, sorted and without duplicates. */
export function serverNames(names: readonly string[]): ServerNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const n of names) {
    const v = n.trim().replace(/^\[|\]$/g, '');
    if (!v) continue;
    if (isIP(v)) ips.add(v);
    else dns.add(v.toLowerCase());
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}

interface Signed {
  subject: string;
  publicKey: CryptoKey | x509.PublicKey;
  ttlMs: number;
  nowMs: number;
  usage: 'server' | 'client';
  names?: ServerNames;
}

async function sign(ca: CertificateAuthority, s: Signed): Promise<Issued> {
  const serial = newSerial();
  const notAfterMs = Math.min(s.nowMs + s.ttlMs, ca.cert.notAfter.getTime());
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    // Both: node and operator certificates are TLS clients; the coordinator's is a server and the
    // client of nothing, but Node's TLS only looks at what the connection needs.
    new x509.ExtendedKeyUsageExtension([s.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (s.names) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension([
        ...s.names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...s.names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: s.subject,
    issuer: ca.cert.subject,
    notBefore: new Date(s.nowMs - backdate(s.ttlMs)),
    notAfter: new Date(notAfterMs),
    publicKey: s.publicKey as CryptoKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return { certPem: cert.toString('pem'), serial: normaliseSerial(serial), notAfterMs, keyHash: await spkiHash(s.publicKey) };
}

export async function issueServerCertificate(ca: CertificateAuthority, names: ServerNames, nowMs: number, ttlMs: number): Promise<IssuedWithKey> {
  const keys = await generateKeyPair();
  const issued = await sign(ca, { subject: subjectOf('coordinator', 'coordinator'), publicKey: keys.publicKey, ttlMs, nowMs, usage: 'server', names });
  return { ...issued, keyPem: await privateKeyPem(keys.privateKey) };
}

/** An operator's credential: the coordinator makes the key (it goes into the config file the operator is given). */
export async function issueClientCertificate(ca: CertificateAuthority, name: string, role: CertRole, nowMs: number, ttlMs: number): Promise<IssuedWithKey> {
  const keys = await generateKeyPair();
  const issued = await sign(ca, { subject: subjectOf(name, role), publicKey: keys.publicKey, ttlMs, nowMs, usage: 'client' });
  return { ...issued, keyPem: await privateKeyPem(keys.privateKey) };
}

export type RequestCheck = { ok: true; publicKey: x509.PublicKey; keyHash: string } | { ok: false; error: string };

/** A PKCS#10 request's form and self-signature (proof it holds the key); its own subject is ignored. */
export async function checkRequest(csrPem: string): Promise<RequestCheck> {
  let req: x509.Pkcs10CertificateRequest;
  let alg: { name?: string; namedCurve?: string };
  try {
    req = new x509.Pkcs10CertificateRequest(csrPem);
    // The key is parsed on first use: a request whose outer form parses can still hold a broken key.
    alg = req.publicKey.algorithm as { name?: string; namedCurve?: string };
  } catch (err) {
    return { ok: false, error: `csr_pem: expected a PEM PKCS#10 certificate request (${(err as Error).message})` };
  }
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256') return { ok: false, error: `csr_pem: expected an ECDSA P-256 key, got ${alg.name ?? 'unknown'} ${alg.namedCurve ?? ''}`.trim() };
  let verified = false;
  try {
    verified = await req.verify(webcrypto as unknown as Crypto);
  } catch {
    verified = false;
  }
  if (!verified) return { ok: false, error: 'csr_pem: the request is not signed by its own key' };
  return { ok: true, publicKey: req.publicKey, keyHash: await spkiHash(req.publicKey) };
}

/** A certificate naming `cn` with `role` for the key of a checked request. */
export async function issueForRequest(ca: CertificateAuthority, publicKey: x509.PublicKey, cn: string, role: CertRole, nowMs: number, ttlMs: number): Promise<Issued> {
  return sign(ca, { subject: subjectOf(cn, role), publicKey, ttlMs, nowMs, usage: 'client' });
}

/** DNS and IP names a certificate carries. */
export function namesOf(certPem: string): ServerNames {
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san?.names.items ?? [];
  return serverNames(items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value));
}
