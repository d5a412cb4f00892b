// Stack-wide depends_on checks: every dependency exists, none is circular, and service_healthy only
// points at services that can become healthy.

import { type Findings, type PathSegment, emptyFindings } from './findings.js';
import type { DependsOnEntry } from './service-schema.js';
import { didYouMean } from './suggest.js';
import type { DependsOnSpec } from './types.js';

export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly DependsOnEntry[];
  readonly healthcheckDisabled: boolean;
}

/**
 * `nodes` are the services that passed validation; `allNames` also counts the ones that did not, so a
 * typo in one service does not turn into a second "no such service" error elsewhere.
 */
export function checkDependencies(
  nodes: readonly DependencyNode[],
  allNames: readonly string[],
): { readonly dependsOn: ReadonlyMap<string, DependsOnSpec[]>; readonly findings: Findings } {
  const findings = emptyFindings();
  const names = new Set(allNames);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const kept = new Map<string, DependsOnSpec[]>();
  const path = (node: DependencyNode, entry?: DependsOnEntry): PathSegment[] =>
    entry === undefined ? ['services', node.name, 'depends_on'] : ['services', node.name, 'depends_on', entry.at];

  for (const node of nodes) {
    const deps: DependsOnSpec[] = [];
    for (const entry of node.dependsOn) {
      if (!names.has(entry.service)) {
        const others = allNames.filter((n) => n !== node.name);
        if (entry.required) {
          findings.errors.push({
            path: path(node, entry),
            message: `depends on "${entry.service}", which is not a service in this file${didYouMean(entry.service, others)}`,
          });
        } else {
          // Compose skips an optional dependency that is not there; say so, since it may be a typo.
          findings.warnings.push({
            path: path(node, entry),
            message: `optional dependency "${entry.service}" is not a service in this file, so it is ignored${didYouMean(entry.service, others)}`,
          });
        }
        continue;
      }
      if (entry.condition === 'service_healthy' && byName.get(entry.service)?.healthcheckDisabled) {
        findings.errors.push({
          path: path(node, entry),
          message: `waits for "${entry.service}" to be healthy, but its healthcheck is disabled`,
        });
      }
      deps.push({ service: entry.service, condition: entry.condition, required: entry.required, ...(entry.restart ? { restart: true as const } : {}) });
    }
    kept.set(node.name, deps);
  }

  for (const cycle of findCycles(nodes.map((n) => n.name), (name) => (kept.get(name) ?? []).map((d) => d.service))) {
    const first = byName.get(cycle[0] as string) as DependencyNode;
    findings.errors.push({ path: path(first), message: `dependency cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  return { dependsOn: kept, findings };
}

/**
 * Each cycle once, starting at the member that comes first in `order` (file order), found by depth-first
 * search with an explicit stack so a long chain cannot overflow the call stack.
 */
export function findCycles(order: readonly string[], edges: (name: string) => readonly string[]): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const cycles: string[][] = [];
  for (const root of order) {
    if (state.has(root)) continue;
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    state.set(root, 'active');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const targets = edges(top.name);
      if (top.next >= targets.length) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      const target = targets[top.next++] as string;
      const s = state.get(target);
      if (s === 'active') {
        const members = stack.slice(stack.findIndex((f) => f.name === target)).map((f) => f.name);
        cycles.push(rotateToFirst(members, order));
      } else if (s === undefined) {
        state.set(target, 'active');
        stack.push({ name: target, next: 0 });
      }
    }
  }
  return cycles;
}

function rotateToFirst(members: string[], order: readonly string[]): string[] {
  let start = 0;
  members.forEach((m, i) => {
    if (order.indexOf(m) < order.indexOf(members[start] as string)) start = i;
  });
  return [...members.slice(start), ...members.slice(0, start)];
}
