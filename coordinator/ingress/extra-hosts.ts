// Service discovery by name: the /etc/hosts entries a replica's container starts with, so a
// service's name resolves to its VIP (the node's ingress forwards from there). Pure.

/** What the agent's wire check takes as a name (shared/wire/replica.ts); other names are left out. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
/** The most names one start may carry (the same check's bound); the replica's own stack comes first. */
export const MAX_EXTRA_HOSTS = 4096;

/** A stack's services and their VIPs (a service without one yet is left out of every map). */
export interface StackAddresses {
  readonly name: string;
  readonly services: Readonly<Record<string, { readonly vip?: string | undefined }>>;
}

/**
 * For a replica of stack `stack`: its own stack's services as `<service>` and `<service>.<stack>`,
 * every other stack's as `<service>.<stack>`. Where two entries spell the same name (a service
 * named `api.shop` in one stack, service `api` of stack `shop`), the replica's own stack wins, and
 * otherwise the first stack in `stacks` order: the caller passes them in a stable order. Names the
 * agent would refuse (not a host name) and names beyond MAX_EXTRA_HOSTS are left out, so a start is
 * never refused for them.
 */
export function extraHostsFor(stack: string, stacks: readonly StackAddresses[]): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  const add = (name: string, vip: string): void => {
    if (count >= MAX_EXTRA_HOSTS || !HOST_NAME.test(name) || Object.hasOwn(out, name)) return;
    Object.defineProperty(out, name, { value: vip, enumerable: true, writable: true, configurable: true });
    count++;
  };
  const own = stacks.find((s) => s.name === stack);
  if (own) {
    for (const [service, svc] of Object.entries(own.services)) if (svc.vip) add(service, svc.vip);
    for (const [service, svc] of Object.entries(own.services)) if (svc.vip) add(`${service}.${stack}`, svc.vip);
  }
  for (const s of stacks) {
    if (s.name === stack) continue;
    for (const [service, svc] of Object.entries(s.services)) if (svc.vip) add(`${service}.${s.name}`, svc.vip);
  }
  return out;
}
