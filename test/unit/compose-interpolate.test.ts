// Table tests for Compose variable interpolation, on single strings and on whole documents.

import t from 'tap';
import { interpolateString, interpolateTree, parseCompose } from '../../shared/compose/index.js';

const env = { TAG: '1.27', EMPTY: '', NAME: 'web' };

t.test('expansions', async (t) => {
  const cases: [string, string, string[]][] = [
    // input, expected output, variables reported unset
    ['nginx:$TAG', 'nginx:1.27', []],
    ['nginx:${TAG}', 'nginx:1.27', []],
    ['${TAG}-alpine', '1.27-alpine', []],
    ['$TAG-alpine', '1.27-alpine', []],
    ['$NAME_x', '', ['NAME_x']], // names run as far as name characters go, as in sh
    ['${MISSING}', '', ['MISSING']],
    ['$MISSING', '', ['MISSING']],
    ['${MISSING:-latest}', 'latest', []],
    ['${EMPTY:-latest}', 'latest', []],
    ['${EMPTY-latest}', '', []],
    ['${MISSING-latest}', 'latest', []],
    ['${TAG:-latest}', '1.27', []],
    ['${TAG:+set}', 'set', []],
    ['${EMPTY:+set}', '', []],
    ['${EMPTY+set}', 'set', []],
    ['${MISSING+set}', '', []],
    // A default is taken literally, `$` and all, as docker stack deploy does (issue 11; it was expanded before).
    ['${MISSING:-${TAG}}', '${TAG}', []],
    ['${MISSING:-${ALSO_MISSING:-x}}', '${ALSO_MISSING:-x}', []],
    ['${MISSING:-$OTHER}', '$OTHER', []],
    ['${TAG:-$UNUSED}', '1.27', []], // an unused default is not expanded, so nothing is unset
    ['${TAG:?must be set}', '1.27', []],
    ['${EMPTY?must be set}', '', []],
    ['$$', '$', []],
    ['$$TAG', '$TAG', []],
    ['cost: $$5', 'cost: $5', []],
    ['$${TAG}', '${TAG}', []],
    ['no variables', 'no variables', []],
    ['', '', []],
    ['${MISSING:-a b c}', 'a b c', []],
  ];
  for (const [input, value, unset] of cases) {
    t.same(interpolateString(input, env), { ok: true, value, unset }, input);
  }
});

t.test('errors', async (t) => {
  const cases: [string, string][] = [
    ['${MISSING:?set MISSING to the tag}', 'required variable "MISSING" is not set: set MISSING to the tag'],
    ['${EMPTY:?needed}', 'required variable "EMPTY" is empty: needed'],
    ['${MISSING?}', 'required variable "MISSING" is not set'],
    ['echo $ 5', 'invalid interpolation in "echo $ 5": a "$" must start $NAME or ${NAME}; write "$$" for a literal "$"'],
    ['trailing $', 'invalid interpolation in "trailing $": a "$" must start $NAME or ${NAME}; write "$$" for a literal "$"'],
    ['${TAG', 'invalid interpolation in "${TAG": "${" is never closed'],
    ['${}', 'invalid interpolation in "${}": "${}" is not ${NAME}, ${NAME:-default}, ${NAME:?error} or ${NAME:+alternative}'],
    ['${1X}', 'invalid interpolation in "${1X}": "${1X}" is not ${NAME}, ${NAME:-default}, ${NAME:?error} or ${NAME:+alternative}'],
    ['${TAG:x}', 'invalid interpolation in "${TAG:x}": "${TAG:x}" is not ${NAME}, ${NAME:-default}, ${NAME:?error} or ${NAME:+alternative}'],
  ];
  for (const [input, error] of cases) t.same(interpolateString(input, env), { ok: false, error }, input);
});

t.test('trees: string scalars only, keys untouched, one warning per unset variable', async (t) => {
  const tree = { $KEY: '$TAG', n: 5, b: true, z: null, list: ['$A', '${A}', { deep: '$B' }] };
  const r = interpolateTree(tree, env);
  t.same(r.value, { $KEY: '1.27', n: 5, b: true, z: null, list: ['', '', { deep: '' }] });
  t.same(r.findings.errors, []);
  t.same(r.findings.warnings, [
    { path: ['list', 0], message: 'variable "A" is not set, using an empty string' },
    { path: ['list', 2, 'deep'], message: 'variable "B" is not set, using an empty string' },
  ]);
});

t.test('in a Compose file: warnings and errors carry the path', async (t) => {
  const text = [
    'name: demo',
    'x-unused:',
    '  a: ${NEVER:?x-* blocks are not interpolated}',
    'services:',
    '  web:',
    '    image: nginx:${TAG:?set TAG}',
    '    environment:',
    '      MODE: $MODE',
    '      PRICE: $$5',
  ].join('\n');
  const ok = parseCompose(text, { file: 'compose.yaml', env: { TAG: '1' } });
  t.ok(ok.ok);
  if (ok.ok) {
    t.equal(ok.stack.services[0]?.image, 'nginx:1');
    t.same(ok.stack.services[0]?.environment, { MODE: '', PRICE: '$5' });
    t.same(ok.warnings, [
      { file: 'compose.yaml', path: 'services.web.environment.MODE', message: 'variable "MODE" is not set, using an empty string' },
    ]);
  }
  const bad = parseCompose(text, { file: 'compose.yaml', env: {} });
  t.same(bad.ok ? [] : bad.errors, [
    { file: 'compose.yaml', path: 'services.web.image', message: 'required variable "TAG" is not set: set TAG' },
  ]);
});
