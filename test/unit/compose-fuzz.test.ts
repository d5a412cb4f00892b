// Fuzzing the Compose and nodes-file parsers with seeded random input: they must never throw, every
// issue must be complete, and valid random stacks must parse.

import t from 'tap';
import { stringify } from 'yaml';
import { parseCompose, parseNodesFile, type SpecIssue } from '../../shared/compose/index.js';
import { Gen, garbledText, mulberry32, mutate, randomValue, validDoc } from '../fixtures/compose/fuzz.js';

const SEED = 0xba70;
// zod's and JS's default wording would mean a path through the code with no house-style message.
const LEAKED = /Invalid input|\[object Object\]|undefined|NaN/;

function problems(issues: readonly SpecIssue[], file: string): string[] {
  return issues.flatMap((i) => {
    const out: string[] = [];
    if (i.file !== file) out.push(`wrong file ${JSON.stringify(i.file)}`);
    if (typeof i.path !== 'string' || i.path === '') out.push(`empty path: ${i.message}`);
    if (typeof i.message !== 'string' || i.message === '') out.push(`empty message at ${i.path}`);
    if (LEAKED.test(i.message)) out.push(`leaky message at ${i.path}: ${i.message}`);
    return out;
  });
}

/** Parses one text; `problems` is what is wrong with the outcome (not with the document). */
function check(text: string, label: string): { rejected: boolean; problems: string[] } {
  let r;
  try {
    r = parseCompose(text, { file: 'fuzz.yaml', env: { TAG: '1' } });
  } catch (e) {
    return { rejected: true, problems: [`${label}: threw ${e instanceof Error ? e.stack : String(e)}`] };
  }
  const out = problems(r.warnings, 'fuzz.yaml');
  if (!r.ok) {
    if (r.errors.length === 0) out.push('failed without errors');
    out.push(...problems(r.errors, 'fuzz.yaml'));
  }
  return { rejected: !r.ok, problems: out.map((p) => `${label}: ${p}`) };
}

t.test('malformed documents never throw and every issue is complete', async (t) => {
  const g = new Gen(mulberry32(SEED));
  const failures: string[] = [];
  let rejected = 0;
  const total = 2400;
  for (let i = 0; i < total; i++) {
    const base = validDoc(g);
    let text: string;
    const kind = i % 4;
    if (kind === 0 || kind === 1) text = stringify(mutate(g, base));
    else if (kind === 2) text = garbledText(g, base);
    else text = stringify(randomValue(g) ?? null);
    const r = check(text, `case ${i}`);
    failures.push(...r.problems);
    if (r.rejected) rejected++;
  }
  t.same(failures.slice(0, 20), [], `${failures.length} problems in ${total} documents`);
  // Most mutations must be caught; if almost none were, the generator has stopped producing bad input.
  t.ok(rejected > total / 2, `${rejected}/${total} rejected`);
});

t.test('deep nesting is reported, not a stack overflow', async (t) => {
  const deepFlow = `name: a\nservices: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
  const deepBlock = `name: a\nservices:\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(2 * (i + 1))}k${i}:`).join('\n')} x\n`;
  for (const [name, text] of [['flow', deepFlow], ['block', deepBlock]] as const) {
    t.same(check(text, name), { rejected: true, problems: [] }, name);
  }
});

t.test('valid random stacks parse', async (t) => {
  const g = new Gen(mulberry32(SEED + 1));
  const failures: string[] = [];
  const total = 400;
  for (let i = 0; i < total; i++) {
    const text = stringify(validDoc(g));
    const r = parseCompose(text, { file: 'fuzz.yaml', env: {} });
    if (!r.ok) failures.push(`case ${i}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}\n${text}`);
    else if (r.warnings.length > 0) failures.push(`case ${i}: unexpected warnings ${r.warnings.map((w) => w.message).join('; ')}`);
  }
  t.same(failures.slice(0, 5), [], `${failures.length} of ${total} valid stacks failed`);
});

t.test('nodes files never throw', async (t) => {
  const g = new Gen(mulberry32(SEED + 2));
  const failures: string[] = [];
  for (let i = 0; i < 500; i++) {
    const valid = { nodes: [{ name: `n${i}`, cpus: g.int(1, 64), memory: `${g.int(1, 512)}G`, labels: { zone: 'a' } }] };
    const text = i % 2 === 0 ? stringify(mutate(g, valid)) : garbledText(g, valid);
    try {
      const r = parseNodesFile(text, { file: 'nodes.yaml' });
      failures.push(...problems(r.warnings, 'nodes.yaml'));
      if (!r.ok) failures.push(...(r.errors.length === 0 ? ['failed without errors'] : problems(r.errors, 'nodes.yaml')));
    } catch (e) {
      failures.push(`case ${i} threw ${String(e)}`);
    }
  }
  t.same(failures.slice(0, 20), [], `${failures.length} problems`);
});
