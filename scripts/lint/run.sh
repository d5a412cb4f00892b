#!/usr/bin/env bash
# `npm run lint`: ESLint (layering, promises) then oxlint (import cycles, type-only ones included),
# both over coordinator/ agent/ shared/ test/; exits non-zero if either reports anything.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
lint=scripts/lint

# Own toolchain, kept apart from the root: typescript-eslint needs TypeScript's JS API (TS <= 6), which
# the root's TypeScript 7 no longer has. Reinstall when the lockfile is newer than the last install.
if [ ! -e "$lint/node_modules/.package-lock.json" ] || [ "$lint/package-lock.json" -nt "$lint/node_modules/.package-lock.json" ]; then
  npm ci --prefix "$lint" --no-audit --no-fund || exit 1
fi

status=0
"$lint/node_modules/.bin/eslint" --config "$lint/eslint.config.mjs" coordinator agent shared test || status=1
"$lint/node_modules/.bin/oxlint" --config "$lint/oxlintrc.jsonc" --ignore-pattern 'shared/grpc/gen/**' \
  --deny-warnings coordinator agent shared test || status=1
exit "$status"
