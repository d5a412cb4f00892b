#!/usr/bin/env node
// Regenerates shared/grpc/gen/ from proto/ with proto-loader-gen-types, using exactly the
// options the runtime loader uses (shared/grpc/loader-options.json). `--check` regenerates
// into a temporary directory and fails when the committed types differ.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const opts = JSON.parse(readFileSync(join(root, 'shared/grpc/loader-options.json'), 'utf8'));
const committed = join(root, 'shared/grpc/gen');
const check = process.argv.includes('--check');
const out = mkdtempSync(join(tmpdir(), 'baton-proto-'));

const args = [
  '--grpcLib', '@grpc/grpc-js',
  '--outDir', out,
  '--importFileExtension', '.js',
  '-I', join(root, 'proto'),
];
if (opts.keepCase) args.push('--keepCase');
if (opts.defaults) args.push('--defaults');
if (opts.oneofs) args.push('--oneofs');
args.push('--longs', opts.longs, '--enums', opts.enums, 'baton.proto');

const bin = join(root, 'node_modules/.bin/proto-loader-gen-types');
execFileSync(bin, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(root, 'proto') });

// The generator writes the absolute path of the .proto into every file; make it relative so the
// output does not depend on where the repository is checked out.
function normalise(dir) {
  for (const f of walk(dir)) {
    const text = readFileSync(f, 'utf8');
    const fixed = text.split(root + '/').join('');
    if (fixed !== text) writeFileSync(f, fixed);
  }
}

function walk(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files.push(...walk(p));
    else files.push(p);
  }
  return files;
}

normalise(out);

if (check) {
  const fresh = new Map(walk(out).map((f) => [relative(out, f), readFileSync(f, 'utf8')]));
  let old = new Map();
  try {
    old = new Map(walk(committed).map((f) => [relative(committed, f), readFileSync(f, 'utf8')]));
  } catch {}
  const diffs = [];
  for (const [k, v] of fresh) if (old.get(k) !== v) diffs.push(old.has(k) ? `changed: ${k}` : `missing: ${k}`);
  for (const k of old.keys()) if (!fresh.has(k)) diffs.push(`extra: ${k}`);
  rmSync(out, { recursive: true, force: true });
  if (diffs.length) {
    console.error('shared/grpc/gen is out of date with proto/ (run npm run proto:gen):\n  ' + diffs.join('\n  '));
    process.exit(1);
  }
  console.log('proto types up to date');
} else {
  rmSync(committed, { recursive: true, force: true });
  cpSync(out, committed, { recursive: true });
  rmSync(out, { recursive: true, force: true });
  console.log('generated', committed);
}
