// What a replica's container publishes on its host: `mode: host` ports as written (the container
// binds the host port), and every `mode: ingress` target and `expose` port on an ephemeral host
// port (Docker chooses it), which other nodes' ingress forwards to. The published port itself is
// the ingress's, on every node, never the container's.
import type { ServiceSpec } from '../../shared/compose/types.js';
import type { ReplicaPort } from '../../shared/model/replica-spec.js';
import type { DeepReadonly } from '../store/schema.js';

export function replicaPorts(spec: Pick<DeepReadonly<ServiceSpec>, 'ports' | 'expose'>): ReplicaPort[] {
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
    else add({ target: p.target, protocol: p.protocol });
  }
  for (const port of spec.expose ?? []) if (!spec.ports.some((p) => p.target === port && p.protocol === 'tcp' && p.mode !== 'host')) add({ target: port, protocol: 'tcp' });
  return out;
}
