// The stack's tenant (issue 12): top-level `x-baton.tenant`, or the caller's (`baton deploy --tenant`).
import t from 'tap';
import { formatIssue, parseCompose } from '../../shared/compose/index.js';

const file = (top: string) => `name: shop\n${top}services:\n  web:\n    image: nginx:1.27\n`;
const parse = (text: string, opts: { tenant?: string; env?: Record<string, string> } = {}) => parseCompose(text, { file: 'compose.yaml', ...opts });

const rows: { name: string; text: string; tenant?: string; env?: Record<string, string>; want?: string | undefined; error?: RegExp; warning?: RegExp }[] = [
  { name: 'none: undefined (default)', text: file(''), want: undefined },
  { name: 'from the file', text: file('x-baton:\n  tenant: acme\n'), want: 'acme' },
  { name: 'from the caller', text: file(''), tenant: 'globex', want: 'globex' },
  { name: 'the file wins, with a warning', text: file('x-baton: { tenant: acme }\n'), tenant: 'globex', want: 'acme', warning: /^compose\.yaml: x-baton\.tenant: the file names the tenant "acme", which is used instead of "globex"$/ },
  { name: 'interpolated', text: file('x-baton: { tenant: "${TENANT}" }\n'), env: { TENANT: 'initech' }, want: 'initech' },
  { name: 'empty x-baton', text: file('x-baton:\n'), want: undefined },
  { name: 'a bad name names the key', text: file('x-baton: { tenant: "Acme Corp" }\n'), error: /^compose\.yaml: x-baton\.tenant: must be a tenant name: 1-63 lowercase letters, digits, "_", "\." or "-", starting with a letter or digit, got "Acme Corp"$/ },
  { name: 'not a string', text: file('x-baton: { tenant: [a] }\n'), error: /^compose\.yaml: x-baton\.tenant: must be a tenant name/ },
  { name: 'a bad --tenant names it', text: file(''), tenant: 'ACME', error: /x-baton\.tenant: "ACME" \(given as --tenant\) must be a tenant name/ },
  { name: 'an unknown key under the top-level x-baton', text: file('x-baton: { tenat: acme }\n'), error: /x-baton\.tenat/ },
  { name: 'other x-* blocks stay ignored', text: file('x-other: { tenant: "Not Checked ${NOPE:?}" }\n'), want: undefined },
];

t.test('tenant', async (t) => {
  for (const r of rows) {
    const p = parse(r.text, { ...(r.tenant ? { tenant: r.tenant } : {}), ...(r.env ? { env: r.env } : {}) });
    if (r.error) {
      t.equal(p.ok, false, r.name);
      if (!p.ok) t.match(p.errors.map(formatIssue).join('\n'), r.error, r.name);
      continue;
    }
    t.equal(p.ok, true, `${r.name}: ${p.ok ? '' : p.errors.map(formatIssue).join('; ')}`);
    if (!p.ok) continue;
    t.equal(p.stack.tenant, r.want, r.name);
    if (r.warning) t.match(p.warnings.map(formatIssue).join('\n'), r.warning, r.name);
  }
});
