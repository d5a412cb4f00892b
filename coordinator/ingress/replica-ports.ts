// What a replica's container publishes on its host: `mode: host` ports as written (the container
// binds the host port), and every `mode: ingress` target and `expose` port on an ephemeral host
// port (Docker chooses it), which other nodes' ingress forwards to. The published port itself is
// the ingress's, on every node, never the container's.
import type { ServiceSpec } from '../../shared/compose/types.js';
import type { PortRef } from '../../shared/model/ingress.js';
import type { ReplicaPort } from '../../shared/model/replica-spec.js';
import type { DeepReadonly } from '../store/schema.js';

export function replicaPorts(spec: DeepReadonly<ServiceSpec>): ReplicaPort[] {
  const out: ReplicaPort[] = [];
  const seen = new Set<string>();
  const add = (p: ReplicaPort) => {
    const key = `${p.target}/${p.protocol}/${p.published ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const p of spec.ports) {
    if (p.mode === 'host') add({ target: p.target, protocol: p.protocol, ...(p.published !== undefined ? { published: p.published } : {}), ...(p.hostIp !== undefined ? { hostIp: p.hostIp } : {}) });
  }
  // The ports the service is reached on at its VIP, as the endpoint model lists them.
  for (const t of targetPortsOf(spec)) add({ target: t.port, protocol: t.protocol });
  return out;
}

/** The container ports a service answers on at its VIP: `mode: ingress` targets and `expose`, sorted, each once. */
export function targetPortsOf(spec: DeepReadonly<ServiceSpec>): PortRef[] {
  const out = new Map<string, PortRef>();
  for (const p of spec.ports) if (p.mode !== 'host') out.set(`${p.target}/${p.protocol}`, { port: p.target, protocol: p.protocol });
  for (const port of spec.expose ?? []) out.set(`${port}/tcp`, { port, protocol: 'tcp' });
  return [...out.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}
