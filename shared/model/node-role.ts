// A node's role, as `node.role` constraints read it (Swarm's manager/worker split). Baton has one
// coordinator and no manager quorum: the role is the operator's word about a host (`baton agent
// --role`), carried in Hello.role, and by default `manager` for the agent on the coordinator's host.

export const NODE_ROLES = ['manager', 'worker'] as const;

export type NodeRole = (typeof NODE_ROLES)[number];

export function isNodeRole(v: string): v is NodeRole {
  return (NODE_ROLES as readonly string[]).includes(v);
}

/**
 * The role an agent takes when the operator gives none: `manager` when it dials its coordinator on
 * a loopback address (it runs on the coordinator's host, as with `baton dev` and the quick start),
 * `worker` otherwise. A host name other than `localhost` is not resolved: it counts as remote.
 */
export function defaultNodeRole(coordinatorHost: string): NodeRole {
  const h = coordinatorHost.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0:0:0:0:0:0:0:1') return 'manager';
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return 'manager';
  return 'worker';
}
