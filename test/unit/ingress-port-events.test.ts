// Which published-port state changes on a node become events (coordinator/ingress/port-events.ts).
import t from 'tap';
import { ingressPortEvents } from '../../coordinator/ingress/port-events.js';
import type { IngressPortStateName, IngressReport } from '../../shared/model/ingress.js';

const report = (...ports: [number, IngressPortStateName, string?][]): IngressReport => ({
  appliedVersion: 1,
  ports: ports.map(([published, state, error]) => ({ stack: 'shop', service: 'web', published, protocol: 'tcp', state, error: error ?? '' })),
  counters: [],
  connections: {},
  error: '',
});

t.test('trouble and recovery are events; health-driven states are not', async (t) => {
  const cases: [string, IngressReport | undefined, IngressReport, string[]][] = [
    ['first report, serving', undefined, report([8080, 'serving']), []],
    ['first report, port in use', undefined, report([8080, 'port-in-use', 'port 8080 is held by another process']), [' -> port-in-use: port 8080 is held by another process (shop/web 8080/tcp)']],
    ['serving -> no-endpoints (health)', report([8080, 'serving']), report([8080, 'no-endpoints']), []],
    ['unchanged trouble', report([8080, 'port-in-use']), report([8080, 'port-in-use']), []],
    ['recovered', report([8080, 'port-in-use']), report([8080, 'serving']), ['port-in-use -> serving:  (shop/web 8080/tcp)']],
    ['apply error on one of two ports', report([8080, 'serving'], [8443, 'serving']), report([8080, 'serving'], [8443, 'error', 'nft: bad']), ['serving -> error: nft: bad (shop/web 8443/tcp)']],
  ];
  for (const [name, before, after, want] of cases) {
    t.same(ingressPortEvents(before, after).map((e) => `${e.from} -> ${e.to}: ${e.reason} (${e.message})`), want, name);
  }
});
