// The node's traffic rules as one nftables script (pure): EndpointSet + own node id -> the text that
// replaces `table ip <name>` in one atomic `nft -f` transaction (INGRESS-DESIGN.md "Rules").
//
// ct mark layout (Docker uses none): bit 31 Baton-forwarded, bit 30 answered (reply SYN-ACK seen),
// bit 29 last resort (no other endpoint left to try: let its refusal reach the client), bits 16-28
// the endpoint slot (which endpoint of which port; the key of @refused), bits 0-15 the service index.
import type { Endpoint, EndpointSet, IngressService } from '../../shared/model/ingress.js';

export const MARK_BATON = 0x8000_0000;
export const MARK_ANSWERED = 0x4000_0000;
export const MARK_LAST_RESORT = 0x2000_0000;
const SLOT_SHIFT = 16;
/** 13 bits of slot: endpoints beyond this many (over all ports) are balanced but never skipped. */
export const MAX_SLOTS = 0x1fff;
export const MAX_SERVICE_INDEX = 0xffff;
/** How many endpoints one new connection tries before the last resort (each a rule in its chain). */
export const MAX_TRIES = 4;
/** How long an endpoint that refused is skipped. */
export const REFUSED_TIMEOUT_S = 5;
export const DEFAULT_TABLE = 'baton';

export interface RulesetOptions {
  /** @default 'baton' */
  readonly table?: string;
  /** `stack/service` -> its index (1-65535), stable across renders so ct marks of open connections keep counting. */
  readonly serviceIndex: ReadonlyMap<string, number>;
  /** Published TCP ports another process holds on this node: left out of this node's rules (the other nodes serve them). */
  readonly portsInUse?: ReadonlySet<number>;
}

/** Local overrides: own replicas the agent dropped before the coordinator said so. */
export interface LocalOverrides {
  readonly dropAllocationIds: ReadonlySet<string>;
}

/** Names of a service's counter objects in the table (read back by nft.ts). */
export interface ServiceCounterNames {
  readonly key: string;
  readonly stack: string;
  readonly service: string;
  readonly index: number;
  readonly connections: string;
  readonly bytes: string;
  readonly refused: string;
}

export interface Ruleset {
  readonly script: string;
  readonly counters: readonly ServiceCounterNames[];
  /** Every `address:port` the rules forward to. */
  readonly routed: ReadonlySet<string>;
}

/** Where this node sends one connection to one endpoint for one target port. */
export interface Destination {
  readonly allocationId: string;
  readonly address: string;
  readonly port: number;
}

export function serviceKey(s: { readonly stack: string; readonly service: string }): string {
  return `${s.stack}/${s.service}`;
}

/**
 * Keeps the indexes services already have and gives new ones the lowest free index, so a service's
 * marks mean the same service across renders. Services no longer in the set lose theirs.
 */
export function assignServiceIndexes(previous: ReadonlyMap<string, number>, set: EndpointSet): Map<string, number> {
  const keys = set.services.map(serviceKey);
  const next = new Map<string, number>();
  for (const k of keys) {
    const i = previous.get(k);
    if (i !== undefined) next.set(k, i);
  }
  const used = new Set(next.values());
  let free = 1;
  for (const k of keys) {
    if (next.has(k)) continue;
    while (used.has(free)) free++;
    if (free > MAX_SERVICE_INDEX) break;
    next.set(k, free);
    used.add(free++);
  }
  return next;
}

/**
 * The endpoints this node forwards `target` to, in the set's order: own replicas at their container
 * address, others at their node's address and host port; with prefer_local and own replicas present,
 * only those. An endpoint without the address or mapping needed is left out.
 */
export function destinations(s: IngressService, target: number, nodeId: string, overrides: LocalOverrides): Destination[] {
  const all: (Destination & { local: boolean })[] = [];
  for (const e of s.endpoints) {
    if (overrides.dropAllocationIds.has(e.allocationId)) continue;
    const d = destinationOf(e, target, nodeId);
    if (d) all.push(d);
  }
  const local = all.filter((d) => d.local);
  return (s.preferLocal && local.length > 0 ? local : all).map(({ allocationId, address, port }) => ({ allocationId, address, port }));
}

function destinationOf(e: Endpoint, target: number, nodeId: string): (Destination & { local: boolean }) | undefined {
  if (e.nodeId === nodeId) return e.containerIp ? { allocationId: e.allocationId, address: e.containerIp, port: target, local: true } : undefined;
  const m = e.ports.find((p) => p.target === target && p.protocol === 'tcp');
  return m ? { allocationId: e.allocationId, address: e.nodeAddress, port: m.hostPort, local: false } : undefined;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

export function renderRuleset(set: EndpointSet, nodeId: string, overrides: LocalOverrides, options: RulesetOptions): Ruleset {
  const table = options.table ?? DEFAULT_TABLE;
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(table)) throw new Error(`nft table name ${JSON.stringify(table)}: expected [a-z][a-z0-9_]*`);
  const inUse = options.portsInUse ?? new Set<number>();
  const services: string[] = [];
  const portChains: string[] = [];
  const counters: ServiceCounterNames[] = [];
  const routed = new Set<string>();
  let slot = 0;

  for (const s of set.services) {
    const index = options.serviceIndex.get(serviceKey(s));
    if (index === undefined || index < 1 || index > MAX_SERVICE_INDEX) continue;
    const names: ServiceCounterNames = {
      key: serviceKey(s),
      stack: s.stack,
      service: s.service,
      index,
      connections: `conns_${index}`,
      bytes: `bytes_${index}`,
      refused: `refused_${index}`,
    };
    counters.push(names);
    const base = MARK_BATON | index;
    // Every TCP port reachable on the VIP or published here, once (a published port maps to a target).
    const targets = new Set<number>(s.targetPorts.filter((p) => p.protocol === 'tcp').map((p) => p.port));
    const published = s.excluded ? [] : s.published.filter((p) => p.protocol === 'tcp' && !inUse.has(p.published));
    for (const p of published) targets.add(p.target);
    const jumpTo = new Map<number, string>();
    for (const target of [...targets].sort((a, b) => a - b)) {
      const dests = destinations(s, target, nodeId, overrides);
      if (dests.length === 0) {
        jumpTo.set(target, 'meta l4proto tcp reject with tcp reset');
        continue;
      }
      for (const d of dests) routed.add(`${d.address}:${d.port}`);
      const chain = `svc_${index}_${target}`;
      jumpTo.set(target, `jump ${chain}`);
      const slots = dests.map(() => (slot < MAX_SLOTS ? ++slot : 0));
      const lines = [`ct mark set ${hex(base)} counter name ${names.connections}`];
      if (dests.length === 1) lines.push(`goto ${chain}_0`);
      else lines.push(`numgen inc mod ${dests.length} vmap { ${dests.map((_, i) => `${i} : goto ${chain}_${i}`).join(', ')} }`);
      portChains.push(block(`chain ${chain}`, lines));
      for (let i = 0; i < dests.length; i++) {
        portChains.push(block(`chain ${chain}_${i}`, endpointChain(dests, slots, i, base)));
      }
    }
    for (const target of [...jumpTo.keys()].filter((t) => s.targetPorts.some((p) => p.port === t && p.protocol === 'tcp'))) {
      services.push(`ip daddr ${s.vip} tcp dport ${target} ${jumpTo.get(target)}`);
    }
    for (const p of published) {
      services.push(`fib daddr type local ip daddr != 127.0.0.0/8 tcp dport ${p.published} ${jumpTo.get(p.target)}`);
    }
    // Any other port of the service address: refused here, never routed out.
    services.push(`ip daddr ${s.vip} meta l4proto tcp reject with tcp reset`);
    services.push(`ip daddr ${s.vip} reject`);
  }

  const counterMap = (pick: (c: ServiceCounterNames) => string) =>
    counters.length ? `counter name ct mark & 0x0000ffff map { ${counters.map((c) => `${c.index} : "${pick(c)}"`).join(', ')} }` : '';
  const bytesRule = counterMap((c) => c.bytes);
  const refusedRule = counterMap((c) => c.refused);

  const body = [
    block('set refused', ['type mark', 'flags dynamic, timeout', `timeout ${REFUSED_TIMEOUT_S}s`]),
    ...counters.flatMap((c) => [`counter ${c.connections} {}`, `counter ${c.bytes} {}`, `counter ${c.refused} {}`]),
    block('chain nat_prerouting', ['type nat hook prerouting priority dstnat - 5; policy accept;', 'jump nat_services']),
    block('chain nat_output', ['type nat hook output priority -105; policy accept;', 'jump nat_services']),
    block('chain nat_services', services),
    ...portChains,
    block('chain nat_postrouting', ['type nat hook postrouting priority srcnat - 5; policy accept;', `ct mark & ${hex(MARK_BATON)} != 0 masquerade`]),
    block('chain filter_forward', ['type filter hook forward priority filter - 5; policy accept;', 'jump track']),
    block('chain filter_input', ['type filter hook input priority filter - 5; policy accept;', 'jump track']),
    block('chain filter_output', ['type filter hook output priority filter - 5; policy accept;', 'jump track']),
    block('chain track', [
      `ct mark & ${hex(MARK_BATON)} == 0 return`,
      ...(bytesRule ? [bytesRule] : []),
      `ct direction reply tcp flags & (syn | ack) == syn | ack ct mark set ct mark | ${hex(MARK_ANSWERED)}`,
      // A refusal before any answer, from an endpoint another one can stand in for: remember the
      // endpoint and drop the RST, so the client's SYN retransmit is NATed afresh, skipping it.
      `ct direction reply tcp flags & rst == rst ct mark & ${hex(MARK_BATON | MARK_ANSWERED | MARK_LAST_RESORT)} == ${hex(MARK_BATON)} jump refused`,
      `ct direction reply tcp flags & rst == rst ct mark & ${hex(MARK_BATON | MARK_ANSWERED | MARK_LAST_RESORT)} == ${hex(MARK_BATON | MARK_LAST_RESORT)} jump refused_last`,
    ]),
    block('chain refused', [...(refusedRule ? [refusedRule] : []), `ct mark & ${hex(MAX_SLOTS << SLOT_SHIFT)} != 0 add @refused { ct mark & ${hex(keyMask)} }`, 'drop']),
    block('chain refused_last', [...(refusedRule ? [refusedRule] : [])]),
  ];
  const script = [`table ip ${table} {}`, `delete table ip ${table}`, block(`table ip ${table}`, body.map((b) => b)), ''].join('\n');
  return { script, counters, routed };
}

const keyMask = (MAX_SLOTS << SLOT_SHIFT) | MAX_SERVICE_INDEX;

/**
 * Chain `_i` (numgen chose endpoint i): try i and the next ones (up to MAX_TRIES), each only if it
 * did not refuse lately; then i anyway, as the last resort whose refusal reaches the client.
 */
function endpointChain(dests: readonly Destination[], slots: readonly number[], i: number, base: number): string[] {
  const lines: string[] = [];
  const tries = dests.length > 1 ? Math.min(dests.length, MAX_TRIES) : 0;
  for (let k = 0; k < tries; k++) {
    const j = (i + k) % dests.length;
    if (slots[j] === 0) continue;
    const mark = base | (slots[j]! << SLOT_SHIFT);
    lines.push(`ct mark set ${hex(mark)} ct mark & ${hex(keyMask)} != @refused meta l4proto tcp dnat to ${dests[j]!.address}:${dests[j]!.port}`);
  }
  const last = base | MARK_LAST_RESORT | (slots[i]! << SLOT_SHIFT);
  lines.push(`ct mark set ${hex(last)} meta l4proto tcp dnat to ${dests[i]!.address}:${dests[i]!.port}`);
  return lines;
}

function block(head: string, lines: readonly string[]): string {
  return `${head} {\n${lines.map((l) => l.split('\n').map((x) => `  ${x}`).join('\n')).join('\n')}\n}`;
}

/** The transaction that removes the table (agent `--cleanup-ingress`, tests). */
export function deleteScript(table = DEFAULT_TABLE): string {
  return `table ip ${table} {}\ndelete table ip ${table}\n`;
}
