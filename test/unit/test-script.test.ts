// `npm test` names its groups of test files (package.json `test`: test/unit two at a time, then the
// rest one at a time), so a test file in a folder the script does not name would never run. Every
// test/**/*.test.ts must be matched by one of the script's globs.
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
  const globs = pkg.scripts['test']!.split(/\s+/).filter((w) => w.endsWith('*.test.ts'));
  t.ok(globs.length >= 2, `globs in the test script: ${globs.join(' ')}`);
  const folders = globs.map((g) => g.slice(0, g.lastIndexOf('/')));
  const files = await testFiles(join(root, 'test'));
  t.ok(files.length > 50, `${files.length} test files found`);
  const unmatched = files.filter((f) => !folders.includes(f.slice(0, f.lastIndexOf('/'))));
  t.same(unmatched, [], 'files no glob of the test script matches');
});
