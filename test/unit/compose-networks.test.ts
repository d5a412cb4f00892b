// Issue 11: top-level and service `networks` as the parser reads them (shared/compose/networks.ts):
// identities as stack deploy names networks, aliases, and what a name scope cannot do refused with
// the reason. That names resolve only between services sharing a network is checked in
// test/unit/ingress-extra-hosts.test.ts and, in containers on real engines, testbed-ingress.
import t from 'tap';
import { parseCompose } from '../../shared/compose/index.js';

const parse = (text: string) => parseCompose(text, { file: 'c.yaml', env: {} });
const paths = (issues: readonly { path: string; message: string }[]) => issues.map((i) => `${i.path}: ${i.message}`);

t.test('identities: <stack>_<key>, name:, external by its name, default is Baton\'s default', async (t) => {
  const r = parse(`name: vote
services:
  vote:
    image: busybox
    networks: [front, back]
  redis:
    image: busybox
    networks:
      back:
        aliases: [cache, queue]
  db:
    image: busybox
    networks:
      back: { aliases: [postgres] }
      shared:
      default:
  worker:
    image: busybox
    networks: [default]
  admin:
    image: busybox
networks:
  front:
  back: { driver: overlay }
  shared: { external: true }
  custom: { name: my-net }
`);
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.strictSame(r.warnings, []);
  const nets = Object.fromEntries(r.stack.services.map((s) => [s.name, s.networks]));
  t.strictSame(nets['vote'], [{ network: 'vote_front' }, { network: 'vote_back' }], 'stack-scoped names, in the order written');
  t.strictSame(nets['redis'], [{ network: 'vote_back', aliases: ['cache', 'queue'] }]);
  t.strictSame(nets['db'], [{ network: 'vote_back', aliases: ['postgres'] }, { network: 'shared' }, { network: '' }], 'external keeps its name; default is the default network');
  t.equal(nets['worker'], undefined, 'only [default] is the same spec as no networks (same hash)');
  t.equal(nets['admin'], undefined);
  t.notOk('networks' in r.stack.services.find((s) => s.name === 'admin')!, 'no key at all: a file without networks keeps its spec');
});

t.test('a named network is shared by every stack that names it', async (t) => {
  const a = parse(`name: a\nservices:\n  x:\n    image: busybox\n    networks: [n]\nnetworks:\n  n: { name: common }\n`);
  const b = parse(`name: b\nservices:\n  y:\n    image: busybox\n    networks: [m]\nnetworks:\n  m: { external: true, name: common }\n`);
  if (!a.ok || !b.ok) return t.fail('both parse');
  t.strictSame(a.stack.services[0]!.networks, [{ network: 'common' }]);
  t.strictSame(b.stack.services[0]!.networks, [{ network: 'common' }]);
});

t.test('warned: what only tunes an overlay, links, attachable', async (t) => {
  const r = parse(`name: s
services:
  web:
    image: busybox
    links: [db]
    external_links: [other_db]
    networks:
      front: { priority: 100 }
networks:
  front:
    driver: overlay
    attachable: true
    driver_opts: { com.docker.network.driver.mtu: "1400" }
    labels: { team: a }
`);
  if (!r.ok) return t.fail(JSON.stringify(r.errors));
  t.strictSame(paths(r.warnings).sort(), [
    'networks.front.attachable: ignored: in Swarm it lets standalone containers join the network; Baton has no standalone containers to attach',
    'networks.front.driver_opts["com.docker.network.driver.mtu"]: ignored: Baton connects services through each host\'s ingress and service addresses, not an overlay network, so overlay options have nothing to tune',
    'networks.front.labels: ignored: Baton has no network objects to label',
    'services.web.external_links: ignored: docker stack deploy ignores it too: services on a shared network reach each other by name and alias',
    'services.web.links: ignored: docker stack deploy ignores it too: services on a shared network reach each other by name and alias',
    "services.web.networks.front.priority: ignored: a replica has one network interface, its host's bridge, whatever networks it is on",
  ].sort());
});

const refused: [string, string, string[]][] = [
  ['undefined network', `services:\n  web:\n    image: busybox\n    networks: [back]\n`, ['services.web.networks.0: network "back" is not defined under the top-level networks (add "networks: { back: {} }")']],
  ['internal', `services:\n  web:\n    image: busybox\nnetworks:\n  n: { internal: true }\n`, ["networks.n.internal: is not supported: a replica reaches the outside through its host's network, and cutting it off needs an overlay network Baton does not build (Baton connects services through each host's ingress and service addresses, not an overlay network)"]],
  ['ipam', `services:\n  web:\n    image: busybox\nnetworks:\n  n:\n    ipam: { config: [{ subnet: 10.5.0.0/16 }] }\n`, ["networks.n.ipam: is not supported: each host's Docker gives containers their addresses, and services are reached at their service address (Baton connects services through each host's ingress and service addresses, not an overlay network)"]],
  ['encrypted overlay', `services:\n  web:\n    image: busybox\nnetworks:\n  n:\n    driver: overlay\n    driver_opts: { encrypted: "" }\n`, ["networks.n.driver_opts.encrypted: an encrypted overlay is not supported: Baton forwards traffic between hosts unencrypted (Baton connects services through each host's ingress and service addresses, not an overlay network); leaving it out would silently drop the encryption"]],
  ['bridge driver', `services:\n  web:\n    image: busybox\nnetworks:\n  n: { driver: bridge }\n`, ['networks.n.driver: "bridge" is not supported: use overlay or leave it out (Baton connects services through each host\'s ingress and service addresses, not an overlay network; stack deploy too takes only swarm-scoped drivers)']],
  ['ipv6', `services:\n  web:\n    image: busybox\nnetworks:\n  n: { enable_ipv6: true }\n`, ['networks.n.enable_ipv6: is not supported: service addresses and the ingress are IPv4']],
  ['external with a driver', `services:\n  web:\n    image: busybox\nnetworks:\n  n: { external: true, driver: overlay }\n`, ['networks.n.driver: an external network is defined elsewhere: it cannot be set with external']],
  ['fixed address', `services:\n  web:\n    image: busybox\n    networks:\n      n: { ipv4_address: 10.0.0.9 }\nnetworks:\n  n:\n`, ["services.web.networks.n.ipv4_address: is not supported: each host's Docker gives containers their addresses; reach the service by name at its service address (Baton connects services through each host's ingress and service addresses, not an overlay network)"]],
  ['alias not a host name', `services:\n  web:\n    image: busybox\n    networks:\n      n: { aliases: ["bad name"] }\nnetworks:\n  n:\n`, ['services.web.networks.n.aliases.0: must be a host name (letters, digits, ".", "_", "-", starting with a letter or digit), got "bad name"']],
  ['aliases not a list', `services:\n  web:\n    image: busybox\n    networks:\n      n: { aliases: db }\nnetworks:\n  n:\n`, ['services.web.networks.n.aliases: must be a list of host names, got "db"']],
  ['unknown attachment key', `services:\n  web:\n    image: busybox\n    networks:\n      n: { alias: [db] }\nnetworks:\n  n:\n`, ['services.web.networks.n.alias: unknown key "alias" (a service\'s network takes aliases, and ipv4_address and the like, which Baton refuses)']],
  ['networks not a list or mapping', `services:\n  web:\n    image: busybox\n    networks: front\n`, ['services.web.networks: must be a list of network names or a mapping of network name to settings (aliases), got "front"']],
  ['top-level not a mapping', `services:\n  web:\n    image: busybox\nnetworks: [a]\n`, ['networks: must be a mapping of network name to definition, got a list']],
  ['unknown definition key', `services:\n  web:\n    image: busybox\nnetworks:\n  n: { subnet: 10.0.0.0/8 }\n`, ['networks.n.subnet: unknown key "subnet" (a network takes driver, driver_opts, attachable, internal, ipam, external, name and labels)']],
];

t.test('refused, with the path and the reason', async (t) => {
  for (const [name, body, want] of refused) {
    const r = parse(`name: s\n${body}`);
    if (r.ok) {
      t.fail(`${name}: accepted`);
      continue;
    }
    t.strictSame(paths(r.errors), want, name);
  }
});
