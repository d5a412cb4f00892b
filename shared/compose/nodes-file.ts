// The offline capacity file for `baton plan --nodes nodes.yaml`: the nodes a plan is computed against
// when there is no live cluster to ask.

import { z } from 'zod';
import type { Finding } from './findings.js';
import { sortByDocumentOrder, toSpecIssue } from './issues.js';
import { bytesSchema, cpusSchema, labelsSchema } from './service-schema.js';
import type { SpecIssue } from './types.js';
import { loadYaml } from './yaml-load.js';
import { PARSE_PARAMS, strictObject, zodFindings } from './zod-support.js';

export interface NodeCapacity {
  readonly name: string;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly labels: Readonly<Record<string, string>>;
  /** What node.role constraints match. @default 'worker' */
  readonly role: 'manager' | 'worker';
}

export interface NodesFileOptions {
  /** Name used for the file in every issue, e.g. `nodes.yaml`. */
  readonly file: string;
}

export type NodesFileResult =
  | { readonly ok: true; readonly nodes: NodeCapacity[]; readonly warnings: SpecIssue[] }
  | { readonly ok: false; readonly errors: SpecIssue[]; readonly warnings: SpecIssue[] };

const NODE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const nodesFileSchema = strictObject({
  nodes: z
    .array(
      strictObject({
        name: z.string().regex(NODE_NAME_RE, { error: 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"' }),
        cpus: cpusSchema.refine((m) => m > 0, { error: 'must be more than 0' }),
        memory: bytesSchema.refine((b) => b > 0, { error: 'must be more than 0' }),
        labels: labelsSchema.nullish(),
        role: z.enum(['manager', 'worker']).nullish(),
      }),
    )
    .min(1, { error: 'must list at least one node' }),
});

export function parseNodesFile(text: string, opts: NodesFileOptions): NodesFileResult {
  const issues = (list: readonly Finding[], tree: unknown): SpecIssue[] =>
    sortByDocumentOrder(list, tree).map((f) => toSpecIssue(opts.file, f));
  const loaded = loadYaml(text);
  if (!loaded.ok) return { ok: false, errors: issues(loaded.errors, null), warnings: issues(loaded.warnings, null) };

  if (loaded.value == null) return { ok: false, errors: issues([{ path: [], message: 'the file is empty; it needs a nodes list' }], null), warnings: [] };

  const parsed = nodesFileSchema.safeParse(loaded.value, PARSE_PARAMS);
  const errors: Finding[] = parsed.success ? [] : zodFindings(parsed.error.issues, []);
  const nodes: NodeCapacity[] = [];
  if (parsed.success) {
    const firstIndex = new Map<string, number>();
    parsed.data.nodes.forEach((n, i) => {
      const first = firstIndex.get(n.name);
      if (first !== undefined) {
        errors.push({ path: ['nodes', i, 'name'], message: `duplicate node name "${n.name}" (also nodes.${first}.name)` });
        return;
      }
      firstIndex.set(n.name, i);
      nodes.push({ name: n.name, cpuMillis: n.cpus, memoryBytes: n.memory, labels: n.labels ?? {}, role: n.role ?? 'worker' });
    });
  }
  const warnings = issues(loaded.warnings, loaded.value);
  if (errors.length > 0) return { ok: false, errors: issues(errors, loaded.value), warnings };
  return { ok: true, nodes, warnings };
}
