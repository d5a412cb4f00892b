// The agent's memory budget (agent/lean-modules.ts) has no room for the Compose parser: nothing the
// agent loads may reach yaml or zod, e.g. through shared/compose/index.ts instead of its defaults
// and types. Walks the run-time imports of the sources (type-only imports are erased) from the
// agent's entry module and lists the packages reached.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../shared/grpc/load.js';

const root = packageRoot();

// `import ... from 'x'`, `export ... from 'x'`, `import 'x'` and `import('x')`; `import type` and
// `export type` are skipped. An import of types only without the keyword is kept: over-counting is
// the safe side.
const STATIC = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(STATIC)) if (!m[1]) out.push(m[2]!);
  for (const m of text.matchAll(DYNAMIC)) out.push(m[1]!);
  return out;
}

/** Every source file and package reached from `entry`, with one path that reaches each package. */
function walk(entry: string): { files: Set<string>; packages: Map<string, string[]> } {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const visit = (file: string, trail: string[]) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), [...trail, relative(root, file)]);
      } else if (!spec.startsWith('node:')) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, [...trail, relative(root, file)]);
      }
    }
  };
  visit(entry, []);
  return { files, packages };
}

t.test('the agent reaches neither yaml nor zod', async (t) => {
  const { files, packages } = walk(join(root, 'agent', 'agent.ts'));
  // The walk must actually see the agent's graph, or an empty result would prove nothing.
  t.ok(files.has(join(root, 'shared', 'wire', 'replica.ts')), 'the walk reaches shared/wire/replica.ts');
  t.ok(packages.has('dockerode'), 'the walk sees packages (dockerode)');
  for (const banned of ['yaml', 'zod']) t.notOk(packages.has(banned), `no ${banned}`, { via: packages.get(banned) });
  t.notOk(files.has(join(root, 'shared', 'compose', 'index.ts')), 'not the Compose package index');
});
