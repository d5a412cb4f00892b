// Sticky replicas: a replicated service that mounts a volume marked `x-baton: { sticky: true }`
// keeps each replica slot on the node it was first placed on, its home, where that volume's data
// is (as a Kubernetes StatefulSet on local volumes, or Nomad's sticky host volumes). Homes are
// durable (ServiceRecord.homes, written inside store transactions: by the control loop when it
// places a slot, by the node pool when `baton node rm` forgets the node). Pure helpers only.
import type { ServiceSpec } from '../shared/compose/types.js';
import type { DeepReadonly, ServiceRecord, State } from './store/schema.js';

type Spec = DeepReadonly<Pick<ServiceSpec, 'mode' | 'mounts'>>;

/** The keys (under top-level `volumes`) of the sticky volumes `spec` mounts, in mount order. */
export function stickyVolumes(spec: Spec): string[] {
  const out: string[] = [];
  for (const m of spec.mounts ?? []) if (m.volume?.sticky && !out.includes(m.volume.name)) out.push(m.volume.name);
  return out;
}

/** A replicated service with a sticky volume. A global replica already belongs to its node: sticky adds nothing there. */
export function isSticky(spec: Spec): boolean {
  return spec.mode !== 'global' && stickyVolumes(spec).length > 0;
}

/** Why a sticky slot is pinned, after the node's name: `which holds its volume data (x-baton sticky volume "data")`. */
export function pinReason(spec: Spec): string {
  const names = stickyVolumes(spec).map((n) => JSON.stringify(n));
  return `which holds its volume data (x-baton sticky volume${names.length === 1 ? '' : 's'} ${names.join(', ')})`;
}

/**
 * The home of `replica` while its node is still known (a node removed with `baton node rm` is
 * not: its slots are placed anew). Undefined for a service that is not sticky.
 */
export function homeOf(svc: DeepReadonly<Pick<ServiceRecord, 'spec' | 'homes'>>, replica: number, known: (nodeId: string) => boolean): string | undefined {
  if (!isSticky(svc.spec)) return undefined;
  const home = svc.homes?.[String(replica)];
  return home !== undefined && known(home) ? home : undefined;
}

/** Inside a transaction: `replica` of a sticky service was placed on `nodeId`; it becomes the home unless it has one on a known node. */
export function recordHome(s: State, stack: string, service: string, replica: number, nodeId: string): void {
  const svc = s.stacks[stack]?.services[service];
  if (!svc || !isSticky(svc.spec)) return;
  const had = svc.homes?.[String(replica)];
  if (had === nodeId || (had !== undefined && s.nodes[had])) return;
  (svc.homes ??= {})[String(replica)] = nodeId;
}

/** Inside a transaction: `nodeId` is gone for good (`baton node rm`), so no slot calls it home any more. Returns the slots released. */
export function releaseHomes(s: State, nodeId: string): string[] {
  const released: string[] = [];
  for (const stack of Object.values(s.stacks)) {
    for (const [name, svc] of Object.entries(stack.services)) {
      if (!svc.homes) continue;
      for (const [replica, home] of Object.entries(svc.homes)) {
        if (home !== nodeId) continue;
        delete svc.homes[replica];
        released.push(`${stack.name}/${name}.${replica}`);
      }
      if (Object.keys(svc.homes).length === 0) delete svc.homes;
    }
  }
  return released;
}

/** What a new record of a service (an update, a rollback) keeps of the old one's homes: all of them while the new spec is sticky. */
export function carriedHomes(prev: DeepReadonly<Pick<ServiceRecord, 'homes'>> | undefined, spec: Spec): Pick<ServiceRecord, 'homes'> {
  return prev?.homes && Object.keys(prev.homes).length > 0 && isSticky(spec) ? { homes: { ...prev.homes } } : {};
}
