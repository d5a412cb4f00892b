// Every service's VIP and assigned published ports, worked out over the whole desired state (with
// one stack replaced by what a deploy asks for), so stacks.ts can reject a deploy before it stores
// anything and otherwise write the result in the same transaction. Pure.
import type { ServiceSpec } from '../../shared/compose/types.js';
import { serviceKey } from '../slot-key.js';
import type { DeepReadonly, StackRecord } from '../store/schema.js';
import { publishedPorts, type PortHolder } from './published-ports.js';
import { assignVips, type ServiceCidr, type VipHolder } from './vip.js';

/** A service as far as its addresses go: its spec's ports and what it holds already. */
export interface AddressedService {
  readonly spec: Pick<DeepReadonly<ServiceSpec>, 'ports'>;
  readonly vip?: string | undefined;
  readonly assignedPorts?: Readonly<Record<string, number>> | undefined;
}

export interface ServiceAddresses {
  /** `stack/service` -> VIP, for every service. */
  readonly vips: Map<string, string>;
  /** `stack/service` -> target `port/protocol` -> assigned published port (empty record: none). */
  readonly assignedPorts: Map<string, Record<string, number>>;
  /** Problems that involve `replacing.stack`: the deploy must be rejected. */
  readonly errors: string[];
  /** Problems between other stacks only (state from before these checks): reported, not fatal. */
  readonly warnings: string[];
}

/**
 * `stacks` as stored; `replacing`, when given, stands for one stack's services as the deploy would
 * leave them (new specs, plus the VIPs and ports their records hold now). Stacks keep their stored
 * order (a new stack comes last), services their order within the stack.
 */
export function serviceAddresses(
  cidr: ServiceCidr,
  stacks: readonly DeepReadonly<Pick<StackRecord, 'name' | 'services'>>[],
  replacing?: { readonly stack: string; readonly services: readonly (AddressedService & { readonly name: string })[] },
): ServiceAddresses {
  const all: { key: string; stack: string; svc: AddressedService }[] = [];
  const push = (stack: string, name: string, svc: AddressedService) => all.push({ key: serviceKey(stack, name), stack, svc });
  for (const st of stacks) {
    if (replacing && st.name === replacing.stack) for (const s of replacing.services) push(st.name, s.name, s);
    else for (const [name, svc] of Object.entries(st.services)) push(st.name, name, svc);
  }
  if (replacing && !stacks.some((s) => s.name === replacing.stack)) for (const s of replacing.services) push(replacing.stack, s.name, s);

  const errors: string[] = [];
  const warnings: string[] = [];
  const replaced = new Set(all.filter((a) => a.stack === replacing?.stack).map((a) => a.key));
  const mine = (key: string): boolean => replaced.has(key);

  const ports = publishedPorts(all.map((a): PortHolder => ({ key: a.key, ports: a.svc.spec.ports, ...(a.svc.assignedPorts ? { assigned: a.svc.assignedPorts } : {}) })));
  for (const c of ports.conflicts) (c.services.some(mine) ? errors : warnings).push(c.message);
  for (const e of ports.exhausted) {
    const key = e.slice(0, e.indexOf(' '));
    (mine(key) ? errors : warnings).push(`${e}: no free port left in 30000-32767 to publish it on; write a published port`);
  }

  const vips = assignVips(cidr, all.map((a): VipHolder => ({ key: a.key, vip: a.svc.vip })));
  if (!vips.ok) (replacing ? errors : warnings).push(vips.error);
  return { vips: vips.ok ? vips.value : new Map(), assignedPorts: ports.assigned, errors, warnings };
}
