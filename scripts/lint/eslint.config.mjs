// ESLint config for Baton (issue 7): shared/ stays the leaf, agent/ and coordinator/ stay apart, every
// promise is handled. Run by scripts/lint/run.sh (`npm run lint`), after which oxlint checks for cycles.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsconfig = path.join(repoRoot, 'tsconfig.json');

/** Layering: files under `target` may not import anything under the `from` folders. */
const forbid = (target, from, why) => [
  'error',
  { basePath: repoRoot, zones: from.map((f) => ({ target: `./${target}`, from: `./${f}`, message: why(f) })) },
];
const apart = () => 'agent/ and coordinator/ only talk over gRPC; put what both need in shared/.';

export default defineConfig(
  { basePath: repoRoot, ignores: ['shared/grpc/gen/**'] },
  {
    basePath: repoRoot,
    files: ['coordinator/**/*.ts', 'agent/**/*.ts', 'shared/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      // The root tsconfig.json covers all four folders; TypeScript 6 (this toolchain's) reads it as 7 does.
      parserOptions: { project: tsconfig, tsconfigRootDir: repoRoot },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      // Maps NodeNext's `./foo.js` specifiers to the `.ts` sources, as tsc does.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: tsconfig })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Import cycles are oxlintrc.jsonc's job: import-x/no-cycle skips every `import type` edge (no
      // option), so it misses type-only design loops, and it took 10 s of the run against oxlint's 0.4 s.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // tap's t.test()/t.only() queue the subtest and report its failure in the TAP stream and the
          // exit code whether or not the promise is awaited: an unawaited one loses nothing.
          allowForKnownSafePromises: [{ from: 'package', name: 'PromiseWithSubtest', package: '@tapjs/core' }],
        },
      ],
      // The rest of typescript-eslint's promise and error rules, picked from recommended-type-checked.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },
  {
    basePath: repoRoot,
    files: ['shared/**/*.ts'],
    // The one seam: the daemon launchers import the two processes, lazily (the agent's RSS budget).
    ignores: ['shared/cli/launch.ts'],
    rules: {
      'import-x/no-restricted-paths': forbid('shared', ['coordinator', 'agent'], (f) => `shared/ is the leaf; only shared/cli/launch.ts may import ${f}/.`),
    },
  },
  // shared/cli/launch.ts imports both processes: reaching it would be an indirect route between them.
  { basePath: repoRoot, files: ['agent/**/*.ts'], rules: { 'import-x/no-restricted-paths': forbid('agent', ['coordinator', 'shared/cli/launch.ts'], apart) } },
  { basePath: repoRoot, files: ['coordinator/**/*.ts'], rules: { 'import-x/no-restricted-paths': forbid('coordinator', ['agent', 'shared/cli/launch.ts'], apart) } },
);
