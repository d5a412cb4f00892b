// Published ports across services: conflicts named by both services, and ports Baton assigns
// to ingress ports written without one, kept across deploys (coordinator/ingress/published-ports.ts).
import t from 'tap';
import { ASSIGNED_PORT_MAX, ASSIGNED_PORT_MIN, publishedPorts, type PortHolder } from '../../coordinator/ingress/published-ports.js';

type P = PortHolder['ports'][number];
const ingress = (target: number, published?: number): P => ({ target, protocol: 'tcp', mode: 'ingress', ...(published !== undefined ? { published } : {}) });
const host = (target: number, published?: number, protocol: 'tcp' | 'udp' = 'tcp'): P => ({ target, protocol, mode: 'host', ...(published !== undefined ? { published } : {}) });
const holder = (key: string, ports: P[], assigned?: Record<string, number>): PortHolder => ({ key, ports, ...(assigned ? { assigned } : {}) });

t.test('conflicts: ingress vs ingress and ingress vs host, across stacks; host vs host is the scheduler’s', async (t) => {
  const cases: { name: string; holders: PortHolder[]; want: string[] }[] = [
    { name: 'ingress vs ingress', holders: [holder('shop/web', [ingress(80, 8080)]), holder('blog/web', [ingress(3000, 8080)])], want: ['8080/tcp shop/web blog/web'] },
    { name: 'ingress vs host', holders: [holder('shop/web', [ingress(80, 8080)]), holder('shop/admin', [host(80, 8080)])], want: ['8080/tcp shop/web shop/admin'] },
    { name: 'host vs ingress', holders: [holder('a/x', [host(80, 8080)]), holder('b/y', [ingress(80, 8080)])], want: ['8080/tcp a/x b/y'] },
    { name: 'host vs host: no conflict (one replica per node, as before)', holders: [holder('a/x', [host(80, 8080)]), holder('b/y', [host(80, 8080)])], want: [] },
    { name: 'same port, other protocol', holders: [holder('a/x', [ingress(80, 53)]), holder('b/y', [host(53, 53, 'udp')])], want: [] },
    { name: 'one service publishing one port twice is the parser’s business', holders: [holder('a/x', [ingress(80, 8080), ingress(80, 8080)])], want: [] },
    {
      name: 'three services on one port: two conflicts, each with the first',
      holders: [holder('a/x', [ingress(80, 9000)]), holder('b/y', [ingress(80, 9000)]), holder('c/z', [host(80, 9000)])],
      want: ['9000/tcp a/x b/y', '9000/tcp a/x c/z'],
    },
    { name: 'explicit port vs a port Baton assigned earlier', holders: [holder('a/x', [ingress(80)], { '80/tcp': 30000 }), holder('b/y', [ingress(80, 30000)])], want: ['30000/tcp b/y a/x'] },
  ];
  for (const c of cases) t.same(publishedPorts(c.holders).conflicts.map((x) => `${x.port} ${x.services.join(' ')}`), c.want, c.name);
  const [one] = publishedPorts([holder('shop/web', [ingress(80, 8080)]), holder('blog/web', [host(3000, 8080)])]).conflicts;
  t.equal(one?.message, 'published port 8080/tcp is published by both shop/web (ingress) and blog/web (host): an ingress port is served on every node, so only one service may publish it (change one of them)');
  const [assigned] = publishedPorts([holder('a/x', [ingress(80)], { '80/tcp': 30000 }), holder('b/y', [ingress(80, 30000)])]).conflicts;
  t.match(assigned?.message, /by both b\/y \(ingress\) and a\/x \(ingress, assigned by Baton\)/);
});

t.test('assignment: lowest free from 30000, skipping published ports, kept across deploys', async (t) => {
  const first = publishedPorts([holder('s/a', [ingress(80), ingress(443), host(9000)]), holder('s/b', [ingress(80, 30001), ingress(8080)])]);
  t.same(Object.fromEntries(first.assigned), {
    // s/a 80 -> 30000; 30001 is s/b's explicit port, so s/a 443 -> 30002 and s/b 8080 -> 30003. A host
    // port without a published one (9000) gets an ephemeral one from Docker, not one of these.
    's/a': { '80/tcp': 30000, '443/tcp': 30002 },
    's/b': { '8080/tcp': 30003 },
  });
  t.same(first.conflicts, []);

  // Next deploy: s/a drops 443 and s/c is new; kept ports stay, the freed 30002 is the lowest free again.
  const next = publishedPorts([holder('s/a', [ingress(80)], { '80/tcp': 30000, '443/tcp': 30002 }), holder('s/b', [ingress(80, 30001), ingress(8080)], { '8080/tcp': 30003 }), holder('s/c', [ingress(5000)])]);
  t.same(Object.fromEntries(next.assigned), { 's/a': { '80/tcp': 30000 }, 's/b': { '8080/tcp': 30003 }, 's/c': { '5000/tcp': 30002 } });

  const written = publishedPorts([holder('s/a', [ingress(80, 8080)], { '80/tcp': 30000 })]);
  t.same(Object.fromEntries(written.assigned), { 's/a': {} }, 'a port that is written now drops the assigned one');
  const toHost = publishedPorts([holder('s/a', [host(80)], { '80/tcp': 30000 })]);
  t.same(Object.fromEntries(toHost.assigned), { 's/a': {} }, 'so does a port that became mode: host');
});

t.test('assignment: the range is finite', async (t) => {
  const size = ASSIGNED_PORT_MAX - ASSIGNED_PORT_MIN + 1; // 32767 - 30000 + 1 = 2768
  t.equal(size, 2768);
  const many = Array.from({ length: size + 1 }, (_, i) => ingress(i + 1));
  const r = publishedPorts([holder('s/a', many)]);
  t.equal(Object.keys(r.assigned.get('s/a')!).length, size, 'every port of the range is used');
  t.equal(r.assigned.get('s/a')!['2768/tcp'], ASSIGNED_PORT_MAX);
  t.same(r.exhausted, ['s/a 2769/tcp'], 'the one more is reported');
});
