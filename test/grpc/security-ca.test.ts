// The cluster CA and the coordinator's own certificate on real files and real TLS: created once with
// owner-only keys, kept across restarts (same CA, same token), the server certificate reissued when
// its names change at start, and while running when it nears expiry (new connections get the new one).
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Coordinator } from '../../coordinator/coordinator.js';
import { createLogger } from '../../shared/logger.js';
import { COORDINATOR_TLS_NAME } from '../../shared/security/names.js';
import { caHashOf } from '../../shared/security/token.js';

const quiet = { logger: createLogger('c', 'silent') };

/** The certificate a TLS client is shown at the coordinator's port, verified against the CA. */
function presented(port: number, caPem: string, verify = true): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    // verify false: a certificate dated by a clock set ahead is "not yet valid" to the real one.
    const s = connect({ host: '127.0.0.1', port, ca: caPem, servername: COORDINATOR_TLS_NAME, ALPNProtocols: ['h2'], rejectUnauthorized: verify }, () => {
      const raw = s.getPeerCertificate().raw;
      s.destroy();
      resolve(new X509Certificate(raw));
    });
    s.on('error', reject);
  });
}

t.test('CA and server certificate: created once, kept, reissued on new names and near expiry', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-ca-'));
  let c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, ...quiet });
  const pki = join(dataDir, 'pki');
  for (const f of ['ca.key', 'server.key', 'join-secret']) t.equal((await stat(join(pki, f))).mode & 0o777, 0o600, `${f} is owner-only`);
  t.equal((await stat(pki)).mode & 0o777, 0o700, 'pki/ is owner-only');
  t.equal((await stat(join(dataDir, 'admin.json'))).mode & 0o777, 0o600, 'admin.json is owner-only');
  const caPem = await readFile(join(pki, 'ca.crt'), 'utf8');
  const ca = new X509Certificate(caPem);
  t.ok(ca.ca, 'ca.crt is a CA certificate');
  t.equal(ca.publicKey.asymmetricKeyType, 'ec', 'an EC key (P-256)');
  const token = c.authority!.joinToken();
  t.match(token, new RegExp(`^BATON1-${caHashOf(caPem)}-[a-z2-7]{32}$`), 'the token carries the CA hash');
  const first = await presented(c.address.port, caPem);
  t.ok(first.checkIssued(ca) && first.verify(ca.publicKey), 'the server certificate is issued by the CA');
  t.match(first.subjectAltName ?? '', /DNS:coordinator\.baton/, 'it names coordinator.baton');
  t.match(first.subjectAltName ?? '', /IP Address:127\.0\.0\.1/, 'and the listen address');
  await c.stop();

  // Same names: the same certificate; another --san: a new one with it, the CA and token unchanged.
  c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, ...quiet });
  t.equal((await presented(c.address.port, caPem)).serialNumber, first.serialNumber, 'a restart with the same names keeps the certificate');
  t.equal(c.authority!.joinToken(), token, 'and the token');
  await c.stop();
  c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, sans: ['baton.example.net', '192.0.2.7'], ...quiet });
  const renamed = await presented(c.address.port, caPem);
  t.not(renamed.serialNumber, first.serialNumber, 'new names: a new certificate');
  t.match(renamed.subjectAltName ?? '', /DNS:baton\.example\.net/);
  t.match(renamed.subjectAltName ?? '', /IP Address:192\.0\.2\.7/);
  t.equal(await readFile(join(pki, 'ca.crt'), 'utf8'), caPem, 'the CA is the same');
  t.equal(c.authority!.joinToken(), token, 'and so is the token');

  t.equal(await c.authority!.refreshServerCertificate(), false, 'a year left: nothing to reissue');
  await c.stop();

  // A server certificate with 10 days left (written as an operator might have restored one): reissued at start.
  const { loadCertificateAuthority, issueServerCertificate, namesOf } = await import('../../coordinator/security/pki.js');
  const authority = await loadCertificateAuthority(caPem, await readFile(join(pki, 'ca.key'), 'utf8'));
  const short = await issueServerCertificate(authority, namesOf(renamed.toString()), Date.now(), 10 * 86_400_000);
  await writeFile(join(pki, 'server.crt'), short.certPem);
  await writeFile(join(pki, 'server.key'), short.keyPem, { mode: 0o600 });
  c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, sans: ['baton.example.net', '192.0.2.7'], ...quiet });
  const atStart = await presented(c.address.port, caPem);
  t.not(atStart.serialNumber.toLowerCase(), short.serial, 'near expiry at start: reissued');
  t.ok(Date.parse(atStart.validTo) > Date.now() + 300 * 86_400_000, 'for a year');
  await c.stop();

  // While running, 340 days on (the clock says so): reissued in place and served to the next connection.
  let aheadMs = 0;
  const clock = { now: () => Date.now() + aheadMs, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  c = await Coordinator.start({ listen: '127.0.0.1:0', dataDir, sans: ['baton.example.net', '192.0.2.7'], clock, ...quiet });
  const before = await presented(c.address.port, caPem, false);
  t.equal(before.serialNumber, atStart.serialNumber, 'the one from the start is served');
  t.equal(await c.authority!.refreshServerCertificate(), false, 'a year left: nothing to do');
  aheadMs = 340 * 86_400_000;
  t.equal(await c.authority!.refreshServerCertificate(), true, '25 days left by this clock: reissued');
  const after = await presented(c.address.port, caPem, false);
  t.not(after.serialNumber, before.serialNumber, 'the next connection gets the new certificate, without a restart');
  t.equal(after.serialNumber, new X509Certificate(await readFile(join(pki, 'server.crt'))).serialNumber, 'the one written to server.crt');
  await c.stop();
});
