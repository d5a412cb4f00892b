// The offline nodes file for `baton plan --nodes`: parsing, defaults and every error path.

import { readFileSync } from 'node:fs';
import t from 'tap';
import { parseNodesFile, type NodesFileResult } from '../../shared/compose/index.js';

const GiB = 1024 ** 3;
const lines = (r: NodesFileResult): string[] => (r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`));

t.test('the fixture', async (t) => {
  const text = readFileSync(new URL('../fixtures/compose/nodes.yaml', import.meta.url), 'utf8');
  t.same(parseNodesFile(text, { file: 'nodes.yaml' }), {
    ok: true,
    warnings: [],
    nodes: [
      { name: 'edge-1', cpuMillis: 4000, memoryBytes: 8 * GiB, labels: { zone: 'north', role: 'gateway' }, role: 'worker' },
      { name: 'edge-2', cpuMillis: 2500, memoryBytes: 4 * GiB, labels: { zone: 'north' }, role: 'worker' },
      { name: 'edge-3', cpuMillis: 1000, memoryBytes: GiB, labels: {}, role: 'worker' },
    ],
  });
});

t.test('errors', async (t) => {
  const cases: [string, string, string[]][] = [
    ['empty file', '', ['(document): the file is empty; it needs a nodes list']],
    ['not a mapping', '- a', ['(document): must be a mapping, got a list']],
    ['syntax error', 'nodes: [', ['(document): line 1, column 9: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['nodes missing', 'node: []', ['nodes: is required', 'node: unknown key "node" (did you mean "nodes"?)']],
    ['no nodes', 'nodes: []', ['nodes: must list at least one node']],
    ['nodes not a list', 'nodes: {a: 1}', ['nodes: must be a list, got a mapping']],
    [
      'fields missing',
      'nodes:\n  - name: a',
      ['nodes.0.cpus: is required', 'nodes.0.memory: is required'],
    ],
    [
      'bad values',
      'nodes:\n  - name: "a b"\n    cpus: -1\n    memory: 8GiB\n    labels: [zone]\n    zone: x',
      [
        'nodes.0.name: must start with a letter or digit and contain only letters, digits, "_", "." and "-"',
        'nodes.0.cpus: -1 is not a CPU count (must not be negative)',
        'nodes.0.memory: "8GiB" is not a byte value (use bytes or a number with unit b, k, kb, m, mb, g, gb, t or tb, e.g. 512k, 64M, 1.5G)',
        'nodes.0.zone: unknown key "zone" (did you mean "role"?)',
      ],
    ],
    ['role not manager or worker', 'nodes:\n  - {name: a, cpus: 1, memory: 1G, role: leader}', ['nodes.0.role: must be "manager" or "worker", got "leader"']],
    ['zero capacity', 'nodes:\n  - {name: a, cpus: 0, memory: 0}', ['nodes.0.cpus: must be more than 0', 'nodes.0.memory: must be more than 0']],
    [
      'duplicate names',
      'nodes:\n  - {name: a, cpus: 1, memory: 1G}\n  - {name: b, cpus: 1, memory: 1G}\n  - {name: a, cpus: 2, memory: 1G}',
      ['nodes.2.name: duplicate node name "a" (also nodes.0.name)'],
    ],
  ];
  for (const [name, text, want] of cases) t.same(lines(parseNodesFile(text, { file: 'nodes.yaml' })), want, name);
  const roles = parseNodesFile('nodes:\n  - {name: m, cpus: 1, memory: 1G, role: manager}\n  - {name: w, cpus: 1, memory: 1G}', { file: 'nodes.yaml' });
  t.same(roles.ok && roles.nodes.map((n) => `${n.name}:${n.role}`), ['m:manager', 'w:worker'], 'role: manager as written, worker by default');
  const r = parseNodesFile('nodes: []', { file: 'plan/nodes.yaml' });
  t.same(r.ok ? [] : r.errors, [{ file: 'plan/nodes.yaml', path: 'nodes', message: 'must list at least one node' }]);
});
