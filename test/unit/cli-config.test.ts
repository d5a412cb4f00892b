// The CLI's credential files (shared/cli/config.ts) and its connection (shared/cli/client.ts):
// lookup order, the local coordinator's credential and its ownership and loopback rules, a clear
// error for each bad field, writing files 0600; then real TLS: a credential file that connects,
// one from another cluster that does not, and the coordinator's refusals as one-line errors.
// Real temporary files, real modes and owners, a real gRPC server over TLS on loopback.
import 'reflect-metadata';
import t from 'tap';
import * as grpc from '@grpc/grpc-js';
import * as x509 from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import { KeyObject, webcrypto } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientProgram } from '../../shared/cli/client-program.js';
import { main } from '../../shared/cli/root-command.js';
import { controlClient, describeRpcError, resolveConnection, unary, CliError, type Connection } from '../../shared/cli/client.js';
import {
  CredentialFileExistsError,
  findCredentials,
  isLoopbackHost,
  parseCredentialFile,
  readCredentialFile,
  writeCredentialFile,
  type ClientCredential,
  type FoundCredentials,
} from '../../shared/cli/config.js';
import type { WhoAmIResponse__Output } from '../../shared/grpc/gen/baton/v1/WhoAmIResponse.js';
import { loadProto } from '../../shared/grpc/load.js';
import { COORDINATOR_TLS_NAME } from '../../shared/security/names.js';

// --- a throwaway cluster CA (ECDSA P-256, as the coordinator's) -----------------------------------

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86_400_000;
const NOW = Date.now();

interface Issued {
  cert: string;
  key: string;
}

async function testCa(name: string) {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}, O=baton`,
    keys,
    signingAlgorithm: ALG,
    notBefore: new Date(NOW - DAY),
    notAfter: new Date(NOW + 3650 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const issue = async (subject: string, o: { dns?: string[]; server?: boolean; notAfter?: number; ca?: boolean } = {}): Promise<Issued> => {
    const k = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const c = await x509.X509CertificateGenerator.create({
      subject,
      issuer: ca.subject,
      publicKey: k.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: ALG,
      notBefore: new Date(NOW - DAY),
      notAfter: new Date(o.notAfter ?? NOW + 365 * DAY),
      extensions: [
        new x509.BasicConstraintsExtension(!!o.ca, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([o.server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
        ...(o.dns ? [new x509.SubjectAlternativeNameExtension(o.dns.map((value) => ({ type: 'dns' as const, value })))] : []),
        await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return { cert: c.toString('pem'), key: KeyObject.from(k.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string };
  };
  return { cert: ca.toString('pem'), issue };
}

const cluster = await testCa('Baton test CA');
const otherCluster = await testCa('Another cluster');
const ann = await cluster.issue('CN=ann, OU=admin, O=baton');
const bob = await cluster.issue('CN=bob, OU=viewer, O=baton');
const eve = await otherCluster.issue('CN=eve, OU=admin, O=baton');
const expired = await cluster.issue('CN=old, OU=admin, O=baton', { notAfter: NOW - 3_600_000 });

const credential = (over: Partial<ClientCredential> = {}): ClientCredential => ({
  coordinator: '127.0.0.1:7400', name: 'ann', role: 'admin', ca: cluster.cert, cert: ann.cert, key: ann.key, ...over,
});

// --- files ------------------------------------------------------------------------------------

const root = await mkdtemp(join(tmpdir(), 'baton-cli-config-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
let n = 0;
/** A fresh home directory (nothing under ~/.baton yet). */
async function newHome(): Promise<string> {
  const home = join(root, `home-${++n}`);
  await mkdir(home, { recursive: true });
  return home;
}
async function put(path: string, content: unknown, mode = 0o600): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  await chmod(path, mode);
  return path;
}
const uid = process.getuid!();
const nameOf = (r: FoundCredentials) => (r.status === 'found' && 'name' in r.credential ? r.credential.name : r.status);

t.test('lookup order: --config, $BATON_CONFIG, ~/.baton/config, the local coordinator', async (t) => {
  const home = await newHome();
  const flag = await put(join(root, 'flag.json'), credential({ name: 'from-flag' }));
  const envFile = await put(join(root, 'env.json'), credential({ name: 'from-env' }));
  await put(join(home, '.baton', 'config'), credential({ name: 'from-home' }));
  const admin = await put(join(root, 'data', 'admin.json'), credential({ name: 'from-local' }));
  await put(join(home, '.baton', 'local', '7400'), `${admin}\n`);
  const env = { BATON_CONFIG: envFile };

  const all = findCredentials({ flag, env, home, uid });
  t.equal(nameOf(all), 'from-flag');
  t.match(all, { source: { kind: '--config', path: flag } });
  t.equal(nameOf(findCredentials({ env, home, uid })), 'from-env');
  t.equal(nameOf(findCredentials({ env: {}, home, uid })), 'from-home');
  await rename(join(home, '.baton', 'config'), join(home, '.baton', 'config.moved'));
  const local = findCredentials({ env: {}, home, uid });
  t.equal(nameOf(local), 'from-local');
  t.match(local, { source: { kind: 'local', path: admin, pointer: join(home, '.baton', 'local', '7400') } });

  // A file named explicitly must be there: no falling through to the next place.
  const missingFlag = findCredentials({ flag: join(root, 'nope.json'), env, home, uid });
  t.match(missingFlag, { status: 'invalid', error: /nope\.json: no such file/ });
  const missingEnv = findCredentials({ env: { BATON_CONFIG: join(root, 'nope.json') }, home, uid });
  t.match(missingEnv, { status: 'invalid', error: /nope\.json: no such file/ });
  // A broken ~/.baton/config is an error, not skipped for the local credential.
  await put(join(home, '.baton', 'config'), '{');
  t.match(findCredentials({ env: {}, home, uid }), { status: 'invalid', error: /^~\/\.baton\/config: not JSON/ });
});

t.test('nothing found: what was looked at, and why each did not apply', async (t) => {
  const home = await newHome();
  const r = findCredentials({ env: {}, home, uid });
  t.equal(r.status, 'missing');
  if (r.status !== 'missing') return;
  t.match(r.looked.join('\n'), /--config \(not given\)[^]*\$BATON_CONFIG \(not set\)[^]*~\/\.baton\/config \(no such file\)[^]*~\/\.baton\/local\/7400\): no such file/);

  t.throws(() => resolveConnection({}, { env: { HOME: home }, home, uid }), {
    message: /no credential for the coordinator at 127\.0\.0\.1:7400; looked at: .*Run on the coordinator's host.*--config FILE from `baton credentials create`/,
    exitCode: 1,
  });
});

t.test("the local coordinator's credential: only on loopback, the target's port, and files you own", async (t) => {
  const home = await newHome();
  const admin = await put(join(root, 'local-data', 'admin.json'), credential({ name: 'local-admin' }));
  await put(join(home, '.baton', 'local', '7400'), admin);
  const find = (host: string, port = 7400, as = uid) => findCredentials({ env: {}, home, uid: as, target: { host, port } });

  for (const host of ['127.0.0.1', '127.3.2.1', 'localhost', 'LOCALHOST', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    t.equal(nameOf(find(host)), 'local-admin', `${host} is this host`);
  }
  for (const host of ['10.0.0.5', 'coordinator.example', '::2', '128.0.0.1', '::ffff:10.0.0.1']) {
    const r = find(host);
    t.equal(r.status, 'missing', `${host} is not loopback`);
    t.match(r.status === 'missing' ? r.looked.at(-1) : '', /not this host's loopback address/);
  }
  t.match(find('127.0.0.1', 7401), { status: 'missing', looked: [/./, /./, /./, /local\/7401\): no such file/] }, 'another port: another file');

  // The pointer must be yours: another user's coordinator is not your cluster.
  const pointerNotYours = new RegExp(`local/7400\\): owned by uid ${uid}, not by you \\(uid ${uid + 4242}\\)$`);
  t.match(find('127.0.0.1', 7400, uid + 4242), { status: 'missing', looked: [/./, /./, /./, pointerNotYours] });
  if (uid === 0) {
    // Really owned by someone else, naming a file that is yours.
    await chown(join(home, '.baton', 'local', '7400'), 4242, 4242);
    t.match(find('127.0.0.1'), { status: 'missing', looked: [/./, /./, /./, /local\/7400\): owned by uid 4242, not by you \(uid 0\)$/] });
    await chown(join(home, '.baton', 'local', '7400'), 0, 0);
  }
  // ... and so must the file it names (here really owned by someone else).
  const theirs = await put(join(root, 'their-data', 'admin.json'), credential({ name: 'theirs' }));
  if (uid === 0) await chown(theirs, 4242, 4242);
  await put(join(home, '.baton', 'local', '7400'), uid === 0 ? theirs : '/etc/passwd');
  t.match(find('127.0.0.1'), { status: 'missing', looked: [/./, /./, /./, /names .*, owned by uid \d+, not by you/] });
  // A stale pointer (the coordinator's data dir is gone) and a relative path are skipped with a reason.
  await put(join(home, '.baton', 'local', '7400'), join(root, 'gone', 'admin.json'));
  t.match(find('127.0.0.1'), { status: 'missing', looked: [/./, /./, /./, /which does not exist/] });
  await put(join(home, '.baton', 'local', '7400'), 'data/admin.json');
  t.match(find('127.0.0.1'), { status: 'missing', looked: [/./, /./, /./, /expected the absolute path/] });
  // A pointer to a broken file is an error about that file.
  await put(theirs, '[]');
  if (uid === 0) await chown(theirs, 0, 0);
  await put(join(home, '.baton', 'local', '7400'), theirs);
  t.match(find('127.0.0.1'), { status: 'invalid', error: `${theirs}: expected a JSON object` });
});

t.test('a bad file: an error naming the file and the field', async (t) => {
  const other = await cluster.issue('CN=x, OU=admin, O=baton');
  const notCa = await cluster.issue('CN=not-a-ca, OU=admin, O=baton');
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', 'coordinator: x', /: not JSON \(/],
    ['not an object', '[1]', /: expected a JSON object/],
    ['no coordinator', { ...credential(), coordinator: undefined }, /"coordinator": expected HOST:PORT .*the field is missing/],
    ['bad coordinator', credential({ coordinator: 'nohost:' }), /"coordinator": expected HOST:PORT \(e\.g\. 10\.0\.0\.5:7400\), got "nohost:"/],
    ['coordinator a number', { ...credential(), coordinator: 7400 }, /"coordinator": expected HOST:PORT .*, got number 7400/],
    ['no name', { ...credential(), name: undefined }, /"name": expected the credential name; the field is missing/],
    ['bad name', credential({ name: 'Ann Smith' }), /"name": expected a credential name \(1-63 characters/],
    ['bad role', { ...credential(), role: 'root' }, /"role": expected "admin" or "viewer", got "root"/],
    ['no role', { ...credential(), role: undefined }, /"role": expected "admin" or "viewer"; the field is missing/],
    ['no ca', { ...credential(), ca: undefined }, /"ca": expected a PEM certificate; the field is missing/],
    ['ca not PEM', credential({ ca: 'MIIB...' }), /"ca": expected a PEM certificate, got "MIIB\.\.\."/],
    ['ca garbage PEM', credential({ ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }), /"ca": expected a PEM certificate \(/],
    ['ca not a CA', credential({ ca: notCa.cert }), /"ca": expected the cluster CA certificate; this certificate .*not-a-ca.* is not a CA/],
    ['cert not PEM', credential({ cert: 'hello' }), /"cert": expected a PEM certificate, got "hello"/],
    ['cert an object', { ...credential(), cert: {} }, /"cert": expected a PEM certificate, got an object/],
    ['key not PEM', credential({ key: 'c2VjcmV0' }), /"key": expected a PEM private key, got a string that is not one$/],
    ['key of another cert', credential({ key: other.key }), /"key": does not belong to "cert"/],
    ['cert from another CA', credential({ cert: eve.cert, key: eve.key }), /"cert": not issued by the CA in "ca"/],
    ['expired', credential({ cert: expired.cert, key: expired.key }), /"cert": expired on \d{4}-.*; ask an admin for a new credential/],
    ['insecure not boolean', { coordinator: 'h:1', insecure: 'yes' }, /"insecure": expected true or false, got "yes"/],
    ['insecure with a cert', { ...credential(), insecure: true }, /"insecure": true cannot be combined with "ca"/],
  ];
  const home = await newHome();
  const file = join(home, '.baton', 'config');
  for (const [what, content, error] of cases) {
    await put(file, content);
    const r = findCredentials({ env: {}, home, uid });
    t.equal(r.status, 'invalid', what);
    t.match(r.status === 'invalid' ? r.error : '', new RegExp(`^~/\\.baton/config: ${error.source.replace(/^: /, '')}`), what);
    t.notMatch(r.status === 'invalid' ? r.error : '', /PRIVATE KEY|c2VjcmV0/, `${what}: never echoes the key`);
  }
  // The same check through the parser alone, with the clock passed in.
  t.ok(parseCredentialFile(JSON.stringify(credential()), 'f', NOW).ok, 'valid now');
  t.match(parseCredentialFile(JSON.stringify(credential()), 'f', NOW + 400 * DAY), { ok: false, error: /^f: "cert": expired on/ }, 'expired later');
  t.match(parseCredentialFile(JSON.stringify(credential()), 'f', NOW - 2 * DAY), { ok: false, error: /^f: "cert": not valid before .*clock/ }, 'not yet valid');
  t.ok(parseCredentialFile(JSON.stringify(credential()), 'f', NOW - DAY - 60_000).ok, 'a minute of clock skew is allowed');
  t.same(parseCredentialFile(JSON.stringify({ coordinator: '10.0.0.5:7400', insecure: true }), 'f', NOW), { ok: true, value: { coordinator: '10.0.0.5:7400', insecure: true } });

  // Not a file: a directory, or a FIFO (which must not hang the CLI).
  t.match(findCredentials({ flag: root, env: {}, home, uid }), { status: 'invalid', error: `${root}: not a regular file` });
  const fifo = join(root, 'fifo');
  if (spawnSync('mkfifo', [fifo]).status === 0) t.match(findCredentials({ flag: fifo, env: {}, home, uid }), { status: 'invalid', error: `${fifo}: not a regular file` });

  // A key readable by others is refused, with the fix.
  await put(file, credential(), 0o644);
  t.match(findCredentials({ env: {}, home, uid }), { status: 'invalid', error: '~/.baton/config: other users can read or change it (mode 0644) and it holds a private key; run `chmod 600 ~/.baton/config`' });
  await chmod(file, 0o600);
  t.equal(findCredentials({ env: {}, home, uid }).status, 'found');
});

t.test('writeCredentialFile: 0600 in a 0700 directory, no overwrite unless asked, never half-written', async (t) => {
  const dir = join(root, 'written', 'deeper');
  const file = join(dir, 'ops.json');
  await writeCredentialFile(file, credential({ name: 'ops' }));
  t.equal((await stat(file)).mode & 0o777, 0o600);
  t.equal((await stat(dir)).mode & 0o777, 0o700);
  t.match(readCredentialFile(file, { nowMs: NOW }), { ok: true, value: { name: 'ops', role: 'admin', coordinator: '127.0.0.1:7400' } });
  t.same(Object.keys(JSON.parse(await readFile(file, 'utf8'))), ['coordinator', 'name', 'role', 'ca', 'cert', 'key']);

  await t.rejects(writeCredentialFile(file, credential({ name: 'other' })), CredentialFileExistsError);
  t.match(readCredentialFile(file), { ok: true, value: { name: 'ops' } }, 'left alone');
  await chmod(file, 0o644);
  await writeCredentialFile(file, credential({ name: 'other' }), { overwrite: true });
  t.match(readCredentialFile(file), { ok: true, value: { name: 'other' } }, 'replaced when asked');
  t.equal((await stat(file)).mode & 0o777, 0o600, 'and 0600 again');
  t.same(await readdir(dir), ['ops.json'], 'no temporary file left');

  await writeCredentialFile(join(dir, 'plain.json'), { coordinator: '10.0.0.5:7400', insecure: true });
  t.same(readCredentialFile(join(dir, 'plain.json')), { ok: true, value: { coordinator: '10.0.0.5:7400', insecure: true } });
});

t.test('isLoopbackHost', async (t) => {
  for (const h of ['127.0.0.1', '127.255.255.254', 'localhost', '::1', '[::1]', '0000::1', '::ffff:127.0.0.9']) t.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '126.0.0.1', 'localhost.example', 'my-localhost', '::ffff:10.0.0.1', '::11']) t.notOk(isLoopbackHost(h), h);
});

t.test('resolveConnection: the target, and insecure only when asked', async (t) => {
  const home = await newHome();
  await put(join(home, '.baton', 'config'), credential({ coordinator: '10.0.0.5:7400' }));
  const ctx = (env: NodeJS.ProcessEnv = {}) => ({ env, home, uid });
  t.equal(resolveConnection({}, ctx()).target, '10.0.0.5:7400', "the credential file's coordinator");
  t.equal(resolveConnection({}, ctx({ BATON_COORDINATOR: '10.0.0.6:7400' })).target, '10.0.0.6:7400', 'BATON_COORDINATOR before the file');
  t.equal(resolveConnection({ coordinator: '10.0.0.7:7400' }, ctx({ BATON_COORDINATOR: '10.0.0.6:7400' })).target, '10.0.0.7:7400', '--coordinator first');
  t.match(resolveConnection({}, ctx()).security, { insecure: false, credential: { name: 'ann' }, source: { kind: 'home', label: '~/.baton/config' } });

  t.same(resolveConnection({ insecure: true }, ctx()), { target: '127.0.0.1:7400', security: { insecure: true, why: '--insecure' } }, '--insecure: no file read, default target');
  t.same(resolveConnection({}, ctx({ BATON_INSECURE: '1', BATON_COORDINATOR: 'h:9' })), { target: 'h:9', security: { insecure: true, why: 'BATON_INSECURE=1' } });
  t.equal(resolveConnection({}, ctx({ BATON_INSECURE: '0' })).security.insecure, false, 'BATON_INSECURE=0 is off');
  t.throws(() => resolveConnection({}, ctx({ BATON_INSECURE: 'yes' })), { message: 'BATON_INSECURE: expected 1 or 0, got "yes"', exitCode: 2 });
  t.throws(() => resolveConnection({ insecure: true, config: 'x.json' }, ctx()), { message: /--config and --insecure/, exitCode: 2 });
  t.throws(() => resolveConnection({ coordinator: 'not a host:port' }, ctx()), { message: /^--coordinator: "not a host:port" is not HOST:PORT/, exitCode: 2 });

  const plain = await put(join(root, 'plain.json'), { coordinator: '10.0.0.8:7400', insecure: true }, 0o644);
  t.match(resolveConnection({ config: plain }, ctx()), { target: '10.0.0.8:7400', security: { insecure: true, why: /^--config .*plain\.json \("insecure": true\)$/ } });

  const bad = await put(join(root, 'bad-role.json'), { ...credential(), role: 'root' });
  t.throws(() => resolveConnection({ config: bad }, ctx()), { message: /bad-role\.json: "role": expected "admin" or "viewer", got "root"/, exitCode: 2 });
});

// --- real TLS ---------------------------------------------------------------------------------

/** `baton ARGS` in this process (no BATON_* variables); its exit status and output. */
async function baton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith('BATON_'));
  for (const [k] of saved) delete process.env[k];
  const out = { stdout: '', stderr: '' };
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((s: string | Uint8Array) => ((out.stdout += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((out.stderr += String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(clientProgram(), ['node', 'baton', ...args]), ...out };
  } finally {
    process.stdout.write = write.stdout;
    process.stderr.write = write.stderr;
    Object.assign(process.env, Object.fromEntries(saved));
    process.exitCode = undefined;
  }
}

t.test('TLS: a credential file connects; another cluster\'s is refused with a clear error', async (t) => {
  const server = await cluster.issue('CN=coordinator, OU=coordinator, O=baton', { dns: [COORDINATOR_TLS_NAME, 'localhost'], server: true });
  const elsewhere = await cluster.issue('CN=web, O=example', { dns: ['www.example.com'], server: true });
  const proto = loadProto();
  /** A ControlService whose WhoAmI answers with the client certificate's CN; GetJoinToken refuses viewers. */
  const serve = async (creds: grpc.ServerCredentials) => {
    const s = new grpc.Server();
    const cn = (call: grpc.ServerUnaryCall<unknown, unknown>) => {
      const peer = call.getAuthContext?.()?.sslPeerCertificate;
      return peer ? { name: String(peer.subject.CN), role: String(peer.subject.OU) } : undefined;
    };
    s.addService(proto.baton.v1.ControlService.service, {
      WhoAmI: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const who = cn(call);
        cb(null, who ? { ...who, insecure: false } : { role: 'anonymous', name: '', insecure: true });
      },
      CreateCredential: (call: grpc.ServerUnaryCall<{ name: string; role: string; ttl_ms: number }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const { name, role, ttl_ms } = call.request;
        if (cn(call)?.role !== 'admin') return cb({ code: grpc.status.PERMISSION_DENIED, details: 'admin only' });
        const notAfter = NOW + (Number(ttl_ms) || 365 * DAY);
        void cluster.issue(`CN=${name}, OU=${role}, O=baton`, { notAfter }).then((c) =>
          cb(null, { name, role, ca_pem: cluster.cert, certificate_pem: c.cert, key_pem: c.key, not_after_ms: notAfter }),
        );
      },
      GetJoinToken: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        const who = cn(call);
        if (who?.role !== 'admin') cb({ code: grpc.status.PERMISSION_DENIED, details: `${who?.role ?? 'anonymous'} ${who?.name ?? ''} may not call GetJoinToken` });
        else cb(null, { token: 'BATON1-x-y', ca_hash: 'x' });
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) => s.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
    t.teardown(() => s.forceShutdown());
    return port;
  };
  // Client certificates verified against the cluster CA, as the coordinator does.
  const tls = await serve(grpc.ServerCredentials.createSsl(Buffer.from(cluster.cert), [{ private_key: Buffer.from(server.key), cert_chain: Buffer.from(server.cert) }], true));
  const wrongName = await serve(grpc.ServerCredentials.createSsl(Buffer.from(cluster.cert), [{ private_key: Buffer.from(elsewhere.key), cert_chain: Buffer.from(elsewhere.cert) }], false));
  const plaintext = await serve(grpc.ServerCredentials.createInsecure());

  const home = await newHome();
  const connect = async (file: string, cred: ClientCredential | { coordinator: string; insecure: true }, port: number): Promise<Connection> => {
    await writeCredentialFile(join(root, file), cred);
    return resolveConnection({ config: join(root, file), coordinator: `127.0.0.1:${port}` }, { env: {}, home, uid });
  };
  const whoami = (conn: Connection) => unary<object, WhoAmIResponse__Output>(conn, (c, q, o, cb) => c.WhoAmI(q, o, cb), {}, 5000);

  // Dialled as 127.0.0.1: the certificate is checked for coordinator.baton, not for the address.
  const annConn = await connect('ann.json', credential({ coordinator: 'elsewhere:1' }), tls);
  t.same(await whoami(annConn), { role: 'admin', name: 'ann', insecure: false }, 'mutual TLS: the server saw our certificate');
  const direct = controlClient(annConn);
  const raw = await new Promise<WhoAmIResponse__Output>((resolve, reject) => direct.WhoAmI({}, (err: grpc.ServiceError | null, r?: WhoAmIResponse__Output) => (err ? reject(err) : resolve(r!))));
  direct.close();
  t.equal(raw.name, 'ann', 'controlClient itself');

  const bobConn = await connect('bob.json', credential({ name: 'bob', role: 'viewer', cert: bob.cert, key: bob.key }), tls);
  await t.rejects(unary(bobConn, (c, q, o, cb) => c.GetJoinToken(q, o, cb), { rotate: false }), {
    constructor: CliError,
    exitCode: 1,
    message: `coordinator at 127.0.0.1:${tls} refused: viewer bob may not call GetJoinToken (credential --config ${join(root, 'bob.json')})`,
  });

  // A credential of another cluster: its CA does not vouch for this coordinator.
  const eveConn = await connect('eve.json', credential({ name: 'eve', ca: otherCluster.cert, cert: eve.cert, key: eve.key }), tls);
  await t.rejects(whoami(eveConn), {
    exitCode: 1,
    message: new RegExp(`^cannot trust the coordinator at 127\\.0\\.0\\.1:${tls} \\(self[- ]signed certificate in certificate chain\\): its certificate is not from the cluster CA in --config .*eve\\.json; is that credential for this cluster\\?$`),
  });
  await t.rejects(whoami(await connect('ann-wrong-name.json', credential(), wrongName)), { message: /does not carry the name coordinator\.baton/ });
  await t.rejects(whoami(await connect('ann-plain.json', credential(), plaintext)), { message: /does not speak TLS: it was started with --insecure, and only --insecure reaches it/ });

  // Plaintext only when asked; against a TLS coordinator that fails, and says so.
  const insecureTls = resolveConnection({ insecure: true, coordinator: `127.0.0.1:${tls}` }, { env: {}, home, uid });
  await t.rejects(whoami(insecureTls), { message: /closed the plaintext connection \(--insecure\); a coordinator uses TLS unless it was started with --insecure/ });
  const insecurePlain = await connect('insecure-file.json', { coordinator: `127.0.0.1:${plaintext}`, insecure: true }, plaintext);
  t.same(await whoami(insecurePlain), { role: 'anonymous', name: '', insecure: true }, 'an insecure file reaches an insecure server');

  // `baton credentials create -o FILE` with ann's credential: a file that works, for what the CLI dialled.
  const carolFile = join(root, 'issued', 'carol.json');
  const created = await baton(['credentials', 'create', 'carol', '--role', 'viewer', '--ttl', '30d', '-o', carolFile, '--config', join(root, 'ann.json'), '--coordinator', `127.0.0.1:${tls}`]);
  t.equal(created.code, 0, created.stderr);
  t.match(created.stdout, new RegExp(`^wrote .*carol\\.json: viewer credential carol for the coordinator at 127\\.0\\.0\\.1:${tls}, valid until `));
  t.match(created.stderr, /a loopback address; elsewhere give --coordinator HOST:PORT/);
  t.equal((await stat(carolFile)).mode & 0o777, 0o600);
  t.match(readCredentialFile(carolFile), { ok: true, value: { coordinator: `127.0.0.1:${tls}`, name: 'carol', role: 'viewer' } });
  const carol = resolveConnection({ config: carolFile }, { env: {}, home, uid });
  t.same(await whoami(carol), { role: 'viewer', name: 'carol', insecure: false }, 'the issued file connects as carol');
  const again = await baton(['credentials', 'create', 'carol', '--role', 'viewer', '-o', carolFile, '--config', join(root, 'ann.json'), '--coordinator', `127.0.0.1:${tls}`]);
  t.equal(again.code, 2, 'an existing -o file is kept');
  const stdout = await baton(['credentials', 'create', 'dave', '--role', 'admin', '--config', join(root, 'ann.json'), '--coordinator', `127.0.0.1:${tls}`]);
  t.equal(stdout.code, 0, stdout.stderr);
  t.match(parseCredentialFile(stdout.stdout, 'stdout', NOW), { ok: true, value: { name: 'dave', role: 'admin' } }, 'without -o: the file on stdout');
  const viewer = await baton(['credentials', 'create', 'erin', '--role', 'admin', '--config', carolFile]);
  t.equal(viewer.code, 1, 'a viewer may not');
  t.match(viewer.stderr, new RegExp(`^baton: coordinator at 127\\.0\\.0\\.1:${tls} refused: admin only \\(credential --config .*carol\\.json\\)\n$`));

  // An unreachable coordinator reads as before.
  const closed = describeRpcError({ code: grpc.status.UNAVAILABLE, details: 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1' }, annConn);
  t.match(closed.message, /^cannot reach the coordinator at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});
