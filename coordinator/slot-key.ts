// Replica slots are named `stack/service#replica` (pending replicas, logs, events): built and
// parsed here only. The service part is the scheduler's service key, `stack/service`.
export interface SlotRef {
  readonly stack: string;
  readonly service: string;
  readonly replica: number;
}

/** `shop/web`: the scheduler's and the read models' key for a service. */
export function serviceKey(stack: string, service: string): string {
  return `${stack}/${service}`;
}

/** `shop/web` -> ['shop', 'web']. Stack and service names never contain `/` (the Compose parser refuses it). */
export function splitServiceKey(key: string): [stack: string, service: string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** `shop/web#2`. */
export function slotKey(slot: SlotRef): string {
  return slotKeyOf(serviceKey(slot.stack, slot.service), slot.replica);
}

export function parseSlotKey(key: string): SlotRef {
  const hash = key.lastIndexOf('#');
  const [stack, service] = splitServiceKey(key.slice(0, hash));
  return { stack, service, replica: Number(key.slice(hash + 1)) };
}

/** `shop/web` and 2 -> `shop/web#2` (the scheduler names replicas by service key and slot). */
export function slotKeyOf(serviceKeyValue: string, replica: number): string {
  return `${serviceKeyValue}#${replica}`;
}

/** Items (allocations) by their service key, each list in the order given. */
export function groupByService<T extends { readonly stack: string; readonly service: string }>(items: Iterable<T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const a of items) {
    const key = serviceKey(a.stack, a.service);
    const list = out.get(key);
    if (list) list.push(a);
    else out.set(key, [a]);
  }
  return out;
}
