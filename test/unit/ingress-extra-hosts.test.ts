// /etc/hosts for a replica: the services it shares a network with, its own stack's bare and qualified,
// other stacks' qualified, aliases on shared networks (coordinator/ingress/extra-hosts.ts).
import t from 'tap';
import { MAX_EXTRA_HOSTS, extraHostsFor, type StackAddresses } from '../../coordinator/ingress/extra-hosts.js';

const stacks: StackAddresses[] = [
  { name: 'shop', services: { web: { vip: '10.213.0.1' }, api: { vip: '10.213.0.2' }, pending: {} } },
  { name: 'blog', services: { web: { vip: '10.213.0.3' }, db: { vip: '10.213.0.4' } } },
];

t.test('own stack bare and qualified, other stacks qualified, no VIP no name', async (t) => {
  t.same(extraHostsFor('shop', 'web', stacks), {
    web: '10.213.0.1',
    api: '10.213.0.2',
    'web.shop': '10.213.0.1',
    'api.shop': '10.213.0.2',
    'web.blog': '10.213.0.3',
    'db.blog': '10.213.0.4',
  });
  t.same(extraHostsFor('blog', 'db', stacks), {
    web: '10.213.0.3',
    db: '10.213.0.4',
    'web.blog': '10.213.0.3',
    'db.blog': '10.213.0.4',
    'web.shop': '10.213.0.1',
    'api.shop': '10.213.0.2',
  });
  t.same(extraHostsFor('gone', 'x', stacks), { 'web.shop': '10.213.0.1', 'api.shop': '10.213.0.2', 'web.blog': '10.213.0.3', 'db.blog': '10.213.0.4' }, 'a stack not in the list sees the others qualified');
});

t.test('clashing spellings: the own stack wins, then the first stack; names the agent refuses are left out', async (t) => {
  const tricky: StackAddresses[] = [
    { name: 'a', services: { 'api.b': { vip: '10.213.0.9' }, _hidden: { vip: '10.213.0.8' } } },
    { name: 'b', services: { api: { vip: '10.213.0.1' } } },
  ];
  t.same(extraHostsFor('a', 'api.b', tricky), { 'api.b': '10.213.0.9', 'api.b.a': '10.213.0.9' }, "own service api.b wins over b's api; _hidden and _hidden.a are not host names (no leading _)");
  t.same(extraHostsFor('b', 'api', tricky), { api: '10.213.0.1', 'api.b': '10.213.0.1', 'api.b.a': '10.213.0.9' }, "in b, b's own api.b wins");
});

t.test('at most MAX_EXTRA_HOSTS names, own stack first', async (t) => {
  const big: StackAddresses[] = [
    { name: 'other', services: Object.fromEntries(Array.from({ length: MAX_EXTRA_HOSTS }, (_, i) => [`s${i}`, { vip: '10.213.1.1' }])) },
    { name: 'me', services: { mine: { vip: '10.213.0.1' } } },
  ];
  const hosts = extraHostsFor('me', 'mine', big);
  t.equal(Object.keys(hosts).length, MAX_EXTRA_HOSTS);
  t.equal(hosts['mine'], '10.213.0.1');
  t.equal(hosts['mine.me'], '10.213.0.1');
  t.equal(hosts[`s${MAX_EXTRA_HOSTS - 3}.other`], '10.213.1.1', '4096 - 2 own names = 4094 of the others: s0..s4093');
  t.equal(hosts[`s${MAX_EXTRA_HOSTS - 2}.other`], undefined);
});

t.test('networks scope names: only services sharing a network resolve, with the aliases given there', async (t) => {
  const net = (...networks: { network: string; aliases?: string[] }[]) => ({ networks });
  const scoped: StackAddresses[] = [
    {
      name: 'vote',
      services: {
        // front and back, no default
        vote: { vip: '10.213.0.1', spec: net({ network: 'vote_front' }, { network: 'vote_back' }) },
        redis: { vip: '10.213.0.2', spec: net({ network: 'vote_back', aliases: ['cache', 'queue'] }) },
        db: { vip: '10.213.0.3', spec: net({ network: 'vote_back', aliases: ['postgres'] }, { network: 'shared' }) },
        result: { vip: '10.213.0.4', spec: net({ network: 'vote_front', aliases: ['results'] }) },
        // no networks: the default network
        admin: { vip: '10.213.0.5' },
      },
    },
    {
      name: 'ops',
      services: {
        backup: { vip: '10.213.0.6', spec: net({ network: 'shared', aliases: ['backup-svc'] }) },
        web: { vip: '10.213.0.7' },
      },
    },
  ];
  t.same(
    extraHostsFor('vote', 'vote', scoped),
    { vote: '10.213.0.1', redis: '10.213.0.2', db: '10.213.0.3', result: '10.213.0.4', 'vote.vote': '10.213.0.1', 'redis.vote': '10.213.0.2', 'db.vote': '10.213.0.3', 'result.vote': '10.213.0.4', cache: '10.213.0.2', queue: '10.213.0.2', postgres: '10.213.0.3', results: '10.213.0.4' },
    'vote is on front and back: every service there and its aliases; not admin (default), not ops',
  );
  t.same(
    extraHostsFor('vote', 'result', scoped),
    { vote: '10.213.0.1', result: '10.213.0.4', 'vote.vote': '10.213.0.1', 'result.vote': '10.213.0.4', results: '10.213.0.4' },
    'result is on front only: the back services and their aliases do not resolve',
  );
  t.same(
    extraHostsFor('vote', 'db', scoped),
    { vote: '10.213.0.1', redis: '10.213.0.2', db: '10.213.0.3', 'vote.vote': '10.213.0.1', 'redis.vote': '10.213.0.2', 'db.vote': '10.213.0.3', cache: '10.213.0.2', queue: '10.213.0.2', postgres: '10.213.0.3', 'backup-svc': '10.213.0.6', 'backup.ops': '10.213.0.6' },
    "db shares the external network with ops' backup: its alias and qualified name resolve, ops' web does not",
  );
  t.same(
    extraHostsFor('vote', 'admin', scoped),
    { admin: '10.213.0.5', 'admin.vote': '10.213.0.5', 'web.ops': '10.213.0.7' },
    'admin is on the default network: the default-network services of every stack (others qualified), none of the scoped ones',
  );
  t.same(extraHostsFor('ops', 'backup', scoped), { backup: '10.213.0.6', 'backup.ops': '10.213.0.6', 'backup-svc': '10.213.0.6', 'db.vote': '10.213.0.3' }, "db's alias postgres is on vote_back, which backup is not on: aliases are per network, as on Docker");
});

t.test('an alias never takes a name its own stack spells', async (t) => {
  const clash: StackAddresses[] = [
    { name: 's', services: { api: { vip: '10.213.0.1' }, worker: { vip: '10.213.0.2', spec: { networks: [{ network: '', aliases: ['api'] }] } } } },
  ];
  t.equal(extraHostsFor('s', 'worker', clash)['api'], '10.213.0.1', "service api keeps its name; worker's alias api loses");
});
