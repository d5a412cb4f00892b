// `npm test` names its groups of test files (package.json `test` runs scripts/test.sh: test/testbed
// in one lane, test/unit, test/grpc and test/docker in the other), so a test file in a folder the
// script does not name would never run. Every test/**/*.test.ts must be matched by one of the
// script's globs, and `npm run coverage` must name the same folders.
import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function testFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'bench' && e.name !== 'node_modules') out.push(...(await testFiles(p)));
    else if (e.isFile() && e.name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

t.test('every test file is in a group the test script runs', async (t) => {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  t.equal(pkg.scripts['test'], 'bash scripts/test.sh', 'npm test runs scripts/test.sh');
  const globsOf = (text: string) => text.split(/\s+/).filter((w) => w.endsWith('*.test.ts'));
  const globs = globsOf(await readFile(join(root, 'scripts', 'test.sh'), 'utf8'));
  t.ok(globs.length >= 2, `globs in the test script: ${globs.join(' ')}`);
  const folders = globs.map((g) => g.slice(0, g.lastIndexOf('/')));
  t.same([...new Set(globsOf(pkg.scripts['coverage']!))].sort(), [...new Set(globs)].sort(), 'npm run coverage names the same folders');
  const files = await testFiles(join(root, 'test'));
  t.ok(files.length > 50, `${files.length} test files found`);
  const unmatched = files.filter((f) => !folders.includes(f.slice(0, f.lastIndexOf('/'))));
  t.same(unmatched, [], 'files no glob of the test script matches');
});
