// Placement constraints as Docker Swarm evaluates them: `node.<attribute> ==|!= value`,
// compared case-insensitively; an attribute the node does not have fails `==` and passes `!=`.
import type { Constraint } from '../../shared/compose/types.js';
import type { SchedNode } from './types.js';

const LABEL_PREFIX = 'node.labels.';

/** What a constraint reads of a node (a scheduler node, or a pool view for x-baton.ingress.constraints). */
export type ConstraintNode = Pick<SchedNode, 'id' | 'name' | 'labels' | 'os' | 'arch' | 'role'>;

/** The node's value for a constraint attribute, or undefined when the node has none. */
export function nodeAttribute(node: ConstraintNode, attribute: string): string | undefined {
  if (attribute.startsWith(LABEL_PREFIX)) {
    const key = attribute.slice(LABEL_PREFIX.length);
    return Object.hasOwn(node.labels, key) ? node.labels[key] : undefined;
  }
  switch (attribute) {
    case 'node.hostname':
      return node.name;
    case 'node.id':
      return node.id;
    case 'node.platform.os':
      return node.os;
    case 'node.platform.arch':
      return node.arch;
    case 'node.role':
      // What the agent announced (baton agent --role; manager by default on the coordinator's host).
      return node.role ?? 'worker';
    default:
      return undefined;
  }
}

export function constraintHolds(node: ConstraintNode, c: Constraint): boolean {
  const actual = nodeAttribute(node, c.attribute);
  const equal = actual !== undefined && actual.toLowerCase() === c.value.toLowerCase();
  return c.op === '==' ? equal : !equal;
}

/** The first constraint the node fails, or undefined when it satisfies all of them. */
export function firstFailedConstraint(node: ConstraintNode, constraints: readonly Constraint[]): Constraint | undefined {
  for (const c of constraints) if (!constraintHolds(node, c)) return c;
  return undefined;
}

/** A key that is equal for requests whose constraints select the same nodes. */
export function constraintSignature(constraints: readonly Constraint[], nodeId?: string, pinned?: string): string {
  const text = constraints
    .map((c) => `${c.attribute}${c.op}${c.value.toLowerCase()}`)
    .sort()
    .join('\n');
  // A request pinned to a node (a global replica) is eligible on that node only.
  // A sticky one (a pin reason) is eligible on fewer cordoned nodes than a global one.
  return nodeId === undefined ? text : `${text}\n@${nodeId}${pinned ? '\n!sticky' : ''}`;
}
