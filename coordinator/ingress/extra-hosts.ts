// Service discovery by name: the /etc/hosts entries a replica's container starts with, so a
// service's name resolves to its VIP (the node's ingress forwards from there), scoped by the
// networks the services share (shared/compose/networks.ts). Pure.
import { networksOf } from '../../shared/compose/networks.js';
import type { NetworkAttachment } from '../../shared/compose/types.js';

/** What the agent's wire check takes as a name (shared/wire/replica.ts); other names are left out. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
/** The most names one start may carry (the same check's bound); the replica's own stack comes first. */
export const MAX_EXTRA_HOSTS = 4096;

/** A stack's services, their VIPs and the networks they are on (a service without a VIP yet is left out of every map). */
export interface StackAddresses {
  readonly name: string;
  readonly services: Readonly<Record<string, { readonly vip?: string | undefined; readonly spec?: { readonly networks?: readonly NetworkAttachment[] | undefined } }>>;
}

/**
 * For a replica of service `service` in stack `stack`: the names of the services that share a
 * network with it (shared/compose/networks.ts), itself included. Its own stack's services resolve
 * as `<service>` and `<service>.<stack>`, other stacks' as `<service>.<stack>`, and on each shared
 * network the aliases given there. Where two entries spell the same name, the first written wins, in
 * this order: own stack's names, own stack's qualified names, aliases (own stack first), other
 * stacks' qualified names; within each, `stacks` order, which the caller keeps stable (a service
 * named `api.shop` in one stack beats service `api` of stack `shop` in that stack's replicas). Names
 * the agent would refuse (not a host name) and names beyond MAX_EXTRA_HOSTS are left out, so a start
 * is never refused for them.
 */
export function extraHostsFor(stack: string, service: string, stacks: readonly StackAddresses[]): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  const add = (name: string, vip: string): void => {
    if (count >= MAX_EXTRA_HOSTS || !HOST_NAME.test(name) || Object.hasOwn(out, name)) return;
    Object.defineProperty(out, name, { value: vip, enumerable: true, writable: true, configurable: true });
    count++;
  };
  const own = stacks.find((s) => s.name === stack);
  const mine = new Set(networksOf(own?.services[service]?.spec ?? {}).map((n) => n.network));
  // Per stack, the services that share a network with the replica, with the aliases they have on the shared ones.
  const reachable = (s: StackAddresses): [string, string, string[]][] => {
    const out: [string, string, string[]][] = [];
    for (const [name, svc] of Object.entries(s.services)) {
      if (!svc.vip) continue;
      const shared = networksOf(svc.spec ?? {}).filter((n) => mine.has(n.network));
      if (shared.length) out.push([name, svc.vip, shared.flatMap((n) => n.aliases ?? [])]);
    }
    return out;
  };
  const ownReachable = own ? reachable(own) : [];
  const others = stacks.filter((s) => s.name !== stack).map((s) => [s.name, reachable(s)] as const);
  for (const [name, vip] of ownReachable) add(name, vip);
  for (const [name, vip] of ownReachable) add(`${name}.${stack}`, vip);
  for (const [, vip, aliases] of ownReachable) for (const a of aliases) add(a, vip);
  for (const [, services] of others) for (const [, vip, aliases] of services) for (const a of aliases) add(a, vip);
  for (const [stackName, services] of others) for (const [name, vip] of services) add(`${name}.${stackName}`, vip);
  return out;
}
