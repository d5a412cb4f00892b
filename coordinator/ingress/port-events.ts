// Which changes of a node's published-port states are news (pure): a port going to `port-in-use`
// or `error` on the node, and its recovery from them. Serving and no-endpoints follow health and are
// told by replica events already.
import type { IngressPortState, IngressReport } from '../../shared/model/ingress.js';

export interface IngressPortEvent {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  /** `stack/service 8080/tcp` */
  readonly message: string;
}

const TROUBLE = new Set(['port-in-use', 'error']);
const key = (p: IngressPortState) => `${p.stack}/${p.service} ${p.published}/${p.protocol}`;

export function ingressPortEvents(before: IngressReport | undefined, after: IngressReport): IngressPortEvent[] {
  const was = new Map((before?.ports ?? []).map((p) => [key(p), p]));
  const out: IngressPortEvent[] = [];
  for (const p of after.ports) {
    const old = was.get(key(p));
    const from = old?.state ?? '';
    if (from === p.state) continue;
    if (TROUBLE.has(p.state) || TROUBLE.has(from)) out.push({ from, to: p.state, reason: p.error, message: key(p) });
  }
  return out;
}
