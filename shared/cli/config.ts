// The client credential file (a client certificate bundle in JSON, like k3s's kubeconfig) and where
// client commands find one. A file is checked whole when read: a bad one is an error naming the file
// and the field, before anything is sent. Light on purpose (Node built-ins only): it is in dist/cli.mjs.
import { createPrivateKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { link, mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { formatHostPort, parseHostPort, type HostPort } from '../address.js';
import { fail, ok, type Result } from '../result.js';
import { isOperatorRole, type OperatorRole } from '../security/names.js';

/** A credential for a TLS coordinator: who the holder is, and the certificates to prove it. */
export interface ClientCredential {
  /** HOST:PORT of the coordinator the credential is for. */
  readonly coordinator: string;
  readonly name: string;
  readonly role: OperatorRole;
  /** The cluster CA certificate (PEM): the only issuer the CLI trusts for the coordinator. */
  readonly ca: string;
  /** The client certificate (PEM), issued by `ca`. */
  readonly cert: string;
  /** The client certificate's private key (PEM). */
  readonly key: string;
}

/** A file for a coordinator started with --insecure: where it is, and no credential. */
export interface InsecureCredential {
  readonly coordinator: string;
  readonly insecure: true;
}

export type CredentialFile = ClientCredential | InsecureCredential;

export function isInsecureCredential(c: CredentialFile): c is InsecureCredential {
  return 'insecure' in c && c.insecure === true;
}

/** Names of operator credentials, as `baton credentials create` takes them and certificates carry them. */
export const CREDENTIAL_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const CREDENTIAL_NAME_HINT = '1-63 characters: a-z, 0-9, ".", "_" or "-", starting with a letter or digit';

/** Where a credential came from, for messages: `--config`, `$BATON_CONFIG`, `~/.baton/config` or the local coordinator's. */
export type CredentialSourceKind = '--config' | 'BATON_CONFIG' | 'home' | 'local';

export interface CredentialSource {
  readonly kind: CredentialSourceKind;
  /** The credential file read (absolute). */
  readonly path: string;
  /** For `local`: the ~/.baton/local/<port> file that named `path`. */
  readonly pointer?: string;
  /** How to print the source in a message: `--config ./ops.json`, `~/.baton/config`, ... */
  readonly label: string;
}

export type FoundCredentials =
  | { readonly status: 'found'; readonly credential: CredentialFile; readonly source: CredentialSource }
  /** Nothing to use; `looked` says what was tried and why each did not apply, in order. */
  | { readonly status: 'missing'; readonly looked: readonly string[] }
  /** A file was there but is not a usable credential: `error` names the file and the field. */
  | { readonly status: 'invalid'; readonly error: string; readonly source: CredentialSource };

export interface FindCredentialsOptions {
  /** `--config FILE`. */
  readonly flag?: string;
  /** Reads BATON_CONFIG (and HOME when `home` is absent). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default $HOME, else os.homedir() */
  readonly home?: string;
  /** The user the CLI runs as; the local coordinator's credential is used only when it owns the files. @default process.getuid() */
  readonly uid?: number;
  /**
   * The coordinator the command will dial when no credential file names one (--coordinator,
   * BATON_COORDINATOR, else 127.0.0.1:7400): its port picks ~/.baton/local/<port>, and only when it
   * is a loopback address. @default 127.0.0.1:7400
   */
  readonly target?: HostPort;
  /** For the certificate's validity period. @default Date.now() */
  readonly nowMs?: number;
}

export const DEFAULT_TARGET: HostPort = { host: '127.0.0.1', port: 7400 };

/** ~/.baton/local/<port>: the file a coordinator writes at start, holding the absolute path of its admin credential. */
export function localPointerPath(home: string, port: number): string {
  return join(home, '.baton', 'local', String(port));
}

/** ~/.baton/config. */
export function homeConfigPath(home: string): string {
  return join(home, '.baton', 'config');
}

/**
 * The credential a client command uses: `--config FILE`, then $BATON_CONFIG, then ~/.baton/config,
 * then the local coordinator's admin credential (through ~/.baton/local/<port>, when the target is
 * a loopback address and both files belong to the current user). A file named by --config or
 * $BATON_CONFIG must exist; a file that exists must be valid (never skipped for the next one).
 */
export function findCredentials(o: FindCredentialsOptions = {}): FoundCredentials {
  const env = o.env ?? process.env;
  const home = o.home ?? (env.HOME || homedir());
  const uid = o.uid ?? process.getuid?.();
  const nowMs = o.nowMs ?? Date.now();
  const show = (p: string) => tildePath(p, home);
  const looked: string[] = [];

  const explicit = (kind: '--config' | 'BATON_CONFIG', given: string): FoundCredentials => {
    const path = resolve(given);
    const r = readChecked(path, given, nowMs);
    const source: CredentialSource = { kind, path, label: kind === '--config' ? `--config ${given}` : `BATON_CONFIG=${given}` };
    return r.ok ? { status: 'found', credential: r.value, source } : { status: 'invalid', error: r.error, source };
  };
  if (o.flag !== undefined) return explicit('--config', o.flag);
  if (env.BATON_CONFIG) return explicit('BATON_CONFIG', env.BATON_CONFIG);
  looked.push('--config (not given)', '$BATON_CONFIG (not set)');

  const homeFile = homeConfigPath(home);
  const fromHome = readChecked(homeFile, show(homeFile), nowMs);
  const homeSource: CredentialSource = { kind: 'home', path: homeFile, label: show(homeFile) };
  if (fromHome.ok) return { status: 'found', credential: fromHome.value, source: homeSource };
  if (!fromHome.missing) return { status: 'invalid', error: fromHome.error, source: homeSource };
  looked.push(`${show(homeFile)} (no such file)`);

  const target = o.target ?? DEFAULT_TARGET;
  const pointer = localPointerPath(home, target.port);
  const local = `the local coordinator's credential (${show(pointer)})`;
  const skip = (why: string): FoundCredentials => {
    looked.push(`${local}: ${why}`);
    return { status: 'missing', looked };
  };
  if (!isLoopbackHost(target.host)) return skip(`not used for ${formatHostPort(target)}, which is not this host's loopback address`);
  if (uid === undefined) return skip('file owners cannot be checked on this platform');
  // Owners are checked on the very file read (fstat of the open file), not on a name that could change in between.
  const p = readWithStat(pointer);
  if (!p.ok) return skip(p.code === 'ENOENT' ? `no such file (no coordinator of yours has started on port ${target.port} of this host)` : p.message);
  if (p.st.uid !== uid) return skip(`owned by uid ${p.st.uid}, not by you (uid ${uid})`);
  const named = p.text.trim();
  if (!isAbsolute(named)) return skip(`expected the absolute path of a credential file, got ${JSON.stringify(named.slice(0, 200))}`);
  const r = readChecked(named, named, nowMs, uid);
  if (!r.ok && r.missing) return skip(`names ${named}, which does not exist (the coordinator moved or its data dir was removed?)`);
  if (!r.ok && r.ownerUid !== undefined) return skip(`names ${named}, owned by uid ${r.ownerUid}, not by you (uid ${uid})`);
  const source: CredentialSource = { kind: 'local', path: named, pointer, label: `the local coordinator's credential ${named}` };
  return r.ok ? { status: 'found', credential: r.value, source } : { status: 'invalid', error: r.error, source };
}

export interface ReadCredentialOptions {
  /** @default Date.now() */
  readonly nowMs?: number;
  /** The file's name in messages. @default the path */
  readonly shownAs?: string;
}

/**
 * Reads and checks a credential file. A file holding a private key must not be readable by other
 * users (as ssh insists for its keys): the error says which mode it has and how to fix it.
 */
export function readCredentialFile(path: string, o: ReadCredentialOptions = {}): Result<CredentialFile> {
  const r = readChecked(path, o.shownAs ?? path, o.nowMs ?? Date.now());
  return r.ok ? r : fail(r.error);
}

type Checked = { ok: true; value: CredentialFile } | { ok: false; error: string; missing?: true; ownerUid?: number };

/** readCredentialFile, telling a missing file apart, and (with `ownerUid`) refusing a file someone else owns. */
function readChecked(path: string, shown: string, nowMs: number, ownerUid?: number): Checked {
  const f = readWithStat(path);
  if (!f.ok) {
    if (f.code === 'ENOENT') return { ok: false, error: `${shown}: no such file`, missing: true };
    if (f.code === 'EACCES') return { ok: false, error: `${shown}: permission denied; run as the user it belongs to` };
    return { ok: false, error: `${shown}: ${f.message}` };
  }
  const { text, st } = f;
  if (!st.isFile()) return { ok: false, error: `${shown}: not a regular file` };
  if (ownerUid !== undefined && st.uid !== ownerUid) return { ok: false, error: `${shown}: owned by uid ${st.uid}`, ownerUid: st.uid };
  const parsed = parseCredentialFile(text, shown, nowMs);
  if (!parsed.ok) return parsed;
  if (!isInsecureCredential(parsed.value) && process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    return fail(`${shown}: other users can read or change it (mode ${mode}) and it holds a private key; run \`chmod 600 ${shown}\``);
  }
  return parsed;
}

/**
 * Checks a credential file's content (pure, but for the clock passed in): JSON with the fields of
 * a ClientCredential, certificates that parse, a key that matches `cert`, `cert` issued by `ca` and
 * valid at `nowMs`; or `{ coordinator, insecure: true }` alone.
 */
export function parseCredentialFile(text: string, file: string, nowMs: number): Result<CredentialFile> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return fail(`${file}: not JSON (${(err as Error).message}); expected a credential file from \`baton credentials create\``);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail(`${file}: expected a JSON object (a credential file from \`baton credentials create\`)`);
  const d = doc as Record<string, unknown>;
  const field = (name: string, expected: string, got?: unknown) =>
    fail<never>(`${file}: "${name}": expected ${expected}${got === undefined ? '' : `, got ${describe(got)}`}`);

  if (d.coordinator === undefined) return field('coordinator', 'HOST:PORT of the coordinator (e.g. 10.0.0.5:7400); the field is missing');
  if (typeof d.coordinator !== 'string') return field('coordinator', 'HOST:PORT (e.g. 10.0.0.5:7400)', d.coordinator);
  let coordinator: string;
  try {
    coordinator = formatHostPort(parseHostPort(d.coordinator));
  } catch {
    return field('coordinator', 'HOST:PORT (e.g. 10.0.0.5:7400)', d.coordinator);
  }

  if (d.insecure !== undefined && typeof d.insecure !== 'boolean') return field('insecure', 'true or false', d.insecure);
  if (d.insecure === true) {
    for (const k of ['ca', 'cert', 'key'] as const) {
      if (d[k] !== undefined) return fail(`${file}: "insecure": true cannot be combined with "${k}": a file is either a credential or for an --insecure coordinator`);
    }
    return ok({ coordinator, insecure: true });
  }

  if (d.name === undefined) return field('name', 'the credential name; the field is missing');
  if (typeof d.name !== 'string' || !CREDENTIAL_NAME_RE.test(d.name)) return field('name', `a credential name (${CREDENTIAL_NAME_HINT})`, d.name);
  if (d.role === undefined) return field('role', '"admin" or "viewer"; the field is missing');
  if (typeof d.role !== 'string' || !isOperatorRole(d.role)) return field('role', '"admin" or "viewer"', d.role);

  const cert = (name: 'ca' | 'cert'): Result<X509Certificate> => {
    const v = d[name];
    if (v === undefined) return field(name, 'a PEM certificate; the field is missing');
    if (typeof v !== 'string' || !v.includes('-----BEGIN CERTIFICATE-----')) return field(name, 'a PEM certificate', v);
    try {
      return ok(new X509Certificate(v));
    } catch (err) {
      return field(name, `a PEM certificate (${(err as Error).message})`);
    }
  };
  const ca = cert('ca');
  if (!ca.ok) return ca;
  if (!ca.value.ca) return fail(`${file}: "ca": expected the cluster CA certificate; this certificate (${ca.value.subject.replace(/\n/g, ', ')}) is not a CA`);
  const own = cert('cert');
  if (!own.ok) return own;
  if (d.key === undefined) return field('key', 'a PEM private key; the field is missing');
  // Never echo (part of) a private key into a terminal or a log.
  if (typeof d.key !== 'string' || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(d.key)) return field('key', 'a PEM private key', typeof d.key === 'string' ? SECRET : d.key);
  let key: KeyObject;
  try {
    key = createPrivateKey(d.key);
  } catch (err) {
    return field('key', `a PEM private key (${(err as Error).message})`);
  }
  if (!own.value.checkPrivateKey(key)) return fail(`${file}: "key": does not belong to "cert" (the certificate was issued for another key)`);
  if (!own.value.checkIssued(ca.value) || !own.value.verify(ca.value.publicKey)) {
    return fail(`${file}: "cert": not issued by the CA in "ca"; the file mixes two clusters' certificates`);
  }
  const from = Date.parse(own.value.validFrom);
  const to = Date.parse(own.value.validTo);
  // Clocks differ a little between hosts: the coordinator, whose clock counts, judges the margin.
  if (nowMs > to + CLOCK_SKEW_MS) return fail(`${file}: "cert": expired on ${new Date(to).toISOString()}; ask an admin for a new credential (\`baton credentials create\`)`);
  if (nowMs < from - CLOCK_SKEW_MS) return fail(`${file}: "cert": not valid before ${new Date(from).toISOString()} (is this host's clock right?)`);
  return ok({ coordinator, name: d.name, role: d.role, ca: d.ca as string, cert: d.cert as string, key: d.key });
}

/** How far this host's clock may be off the coordinator's before a certificate's dates are held against it here. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Thrown by writeCredentialFile when the file exists and overwriting was not asked for. */
export class CredentialFileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'CredentialFileExistsError';
  }
}

export interface WriteCredentialOptions {
  /** Replace an existing file. @default false */
  readonly overwrite?: boolean;
}

/**
 * Writes a credential file, mode 0600 (its directory created 0700 if missing). Written to a
 * temporary file first and then moved in place, so the file is never seen half-written; without
 * `overwrite` an existing file is left alone (CredentialFileExistsError).
 */
export async function writeCredentialFile(path: string, cred: CredentialFile, o: WriteCredentialOptions = {}): Promise<void> {
  const dir = dirname(resolve(path));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(JSON.stringify(credentialJson(cred), null, 2) + '\n');
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    if (o.overwrite) await rename(tmp, path);
    // link() fails if the name exists: no window in which another writer's file is replaced.
    else await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new CredentialFileExistsError(path);
    throw err;
  } finally {
    if (!o.overwrite) await unlink(tmp).catch(() => undefined);
  }
}

/** The fields in the file's order. */
function credentialJson(c: CredentialFile): Record<string, unknown> {
  if (isInsecureCredential(c)) return { coordinator: c.coordinator, insecure: true };
  return { coordinator: c.coordinator, name: c.name, role: c.role, ca: c.ca, cert: c.cert, key: c.key };
}

/** 127.0.0.0/8, ::1 (in any spelling, and ::ffff:127.x.y.z) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) !== 6) return false;
  // The URL parser writes an IPv6 address in its one compressed form (::ffff:127.0.0.1 -> ::ffff:7f00:1).
  const canonical = new URL(`http://[${h}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** `/home/ann/.baton/config` -> `~/.baton/config`. */
export function tildePath(path: string, home: string): string {
  const h = home.replace(/\/+$/, '');
  return h && path.startsWith(`${h}/`) ? `~${path.slice(h.length)}` : path;
}

type Read = { readonly ok: true; readonly text: string; readonly st: Stats } | { readonly ok: false; readonly code: string; readonly message: string };

/** A file's content and the stat of the same open file, or the errno code. */
function readWithStat(path: string): Read {
  let fd: number | undefined;
  try {
    // Non-blocking, so that a FIFO in the file's place cannot hang the CLI; only regular files are read.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    return { ok: true, text: st.isFile() ? readFileSync(fd, 'utf8') : '', st };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, code: e.code ?? 'EIO', message: e.message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const SECRET = Symbol('secret');

function describe(v: unknown): string {
  if (v === SECRET) return 'a string that is not one';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}
