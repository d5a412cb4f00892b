// Service addresses (VIPs): each service gets one IPv4 address from the coordinator's service CIDR,
// kept for as long as the service exists. Pure: the caller passes every service and stores the result.
import { fail, ok, type Result } from '../../shared/result.js';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/16';

/** An IPv4 block, as unsigned 32-bit numbers: the addresses services may get are `first..last`. */
export interface ServiceCidr {
  readonly text: string;
  /** The network address plus one (the network address itself is never given out). */
  readonly first: number;
  /** The broadcast address minus one. */
  readonly last: number;
}

/** Dotted quad -> unsigned 32-bit number; undefined for anything else. Runs per service per deploy, so no regex. */
function parseIpv4(text: string): number | undefined {
  let n = 0;
  let octet = -1;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (octet < 0 || ++dots > 3) return undefined;
      n = n * 256 + octet;
      octet = -1;
    } else if (c >= 48 && c <= 57) {
      octet = (octet < 0 ? 0 : octet * 10) + (c - 48);
      if (octet > 255) return undefined;
    } else return undefined;
  }
  return dots === 3 && octet >= 0 ? n * 256 + octet : undefined;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `10.213.0.0/16` -> its usable range. A prefix longer than /30 leaves no room for services. */
export function parseServiceCidr(text: string): Result<ServiceCidr> {
  const [addr = '', prefixText = '', ...rest] = text.trim().split('/');
  const ip = parseIpv4(addr);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (ip === undefined || rest.length > 0 || !(prefix >= 0 && prefix <= 32)) {
    return fail(`service CIDR ${JSON.stringify(text)} is not an IPv4 block such as ${DEFAULT_SERVICE_CIDR}`);
  }
  if (prefix > 30) return fail(`service CIDR ${JSON.stringify(text)} is too small: use /30 or shorter (e.g. /16 gives 65534 addresses)`);
  const size = 2 ** (32 - prefix);
  const network = ip - (ip % size);
  if (network !== ip) return fail(`service CIDR ${JSON.stringify(text)} has host bits set; did you mean ${formatIpv4(network)}/${prefix}?`);
  return ok({ text: `${formatIpv4(network)}/${prefix}`, first: network + 1, last: network + size - 2 });
}

export function inCidr(cidr: ServiceCidr, vip: string): boolean {
  const n = parseIpv4(vip);
  return n !== undefined && n >= cidr.first && n <= cidr.last;
}

/** A service (`stack/service`) and the VIP it has now, if any. */
export interface VipHolder {
  readonly key: string;
  readonly vip: string | undefined;
}

/**
 * Every holder's VIP: an address it already has is kept (unless it lies outside `cidr`, after the
 * CIDR was changed, or another holder earlier in the list has it too); the others get the lowest free
 * address, in list order, so the same input gives the same answer. A service that is gone is simply
 * not passed: its address is free again. Fails when the CIDR has no free address left.
 */
export function assignVips(cidr: ServiceCidr, holders: readonly VipHolder[]): Result<Map<string, string>> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  const waiting: string[] = [];
  for (const h of holders) {
    const n = h.vip !== undefined ? parseIpv4(h.vip) : undefined;
    if (n !== undefined && n >= cidr.first && n <= cidr.last && !taken.has(n)) {
      taken.add(n);
      out.set(h.key, formatIpv4(n));
    } else waiting.push(h.key);
  }
  let next = cidr.first;
  for (const key of waiting) {
    while (next <= cidr.last && taken.has(next)) next++;
    if (next > cidr.last) return fail(`no free service address left in ${cidr.text} for ${key} (${taken.size} in use): start the coordinator with a larger --service-cidr`);
    taken.add(next);
    out.set(key, formatIpv4(next));
  }
  // Keep the holders' order in the map, whatever order the addresses were found in.
  return ok(new Map(holders.map((h) => [h.key, out.get(h.key)!])));
}
