// /etc/hosts for a replica: its own stack's services bare and qualified, other stacks' qualified (coordinator/ingress/extra-hosts.ts).
import t from 'tap';
import { MAX_EXTRA_HOSTS, extraHostsFor, type StackAddresses } from '../../coordinator/ingress/extra-hosts.js';

const stacks: StackAddresses[] = [
  { name: 'shop', services: { web: { vip: '10.213.0.1' }, api: { vip: '10.213.0.2' }, pending: {} } },
  { name: 'blog', services: { web: { vip: '10.213.0.3' }, db: { vip: '10.213.0.4' } } },
];

t.test('own stack bare and qualified, other stacks qualified, no VIP no name', async (t) => {
  t.same(extraHostsFor('shop', stacks), {
    web: '10.213.0.1',
    api: '10.213.0.2',
    'web.shop': '10.213.0.1',
    'api.shop': '10.213.0.2',
    'web.blog': '10.213.0.3',
    'db.blog': '10.213.0.4',
  });
  t.same(extraHostsFor('blog', stacks), {
    web: '10.213.0.3',
    db: '10.213.0.4',
    'web.blog': '10.213.0.3',
    'db.blog': '10.213.0.4',
    'web.shop': '10.213.0.1',
    'api.shop': '10.213.0.2',
  });
  t.same(extraHostsFor('gone', stacks), { 'web.shop': '10.213.0.1', 'api.shop': '10.213.0.2', 'web.blog': '10.213.0.3', 'db.blog': '10.213.0.4' }, 'a stack not in the list sees the others qualified');
});

t.test('clashing spellings: the own stack wins, then the first stack; names the agent refuses are left out', async (t) => {
  const tricky: StackAddresses[] = [
    { name: 'a', services: { 'api.b': { vip: '10.213.0.9' }, _hidden: { vip: '10.213.0.8' } } },
    { name: 'b', services: { api: { vip: '10.213.0.1' } } },
  ];
  t.same(extraHostsFor('a', tricky), { 'api.b': '10.213.0.9', 'api.b.a': '10.213.0.9' }, "own service api.b wins over b's api; _hidden and _hidden.a are not host names (no leading _)");
  t.same(extraHostsFor('b', tricky), { api: '10.213.0.1', 'api.b': '10.213.0.1', 'api.b.a': '10.213.0.9' }, "in b, b's own api.b wins");
});

t.test('at most MAX_EXTRA_HOSTS names, own stack first', async (t) => {
  const big: StackAddresses[] = [
    { name: 'other', services: Object.fromEntries(Array.from({ length: MAX_EXTRA_HOSTS }, (_, i) => [`s${i}`, { vip: '10.213.1.1' }])) },
    { name: 'me', services: { mine: { vip: '10.213.0.1' } } },
  ];
  const hosts = extraHostsFor('me', big);
  t.equal(Object.keys(hosts).length, MAX_EXTRA_HOSTS);
  t.equal(hosts['mine'], '10.213.0.1');
  t.equal(hosts['mine.me'], '10.213.0.1');
  t.equal(hosts[`s${MAX_EXTRA_HOSTS - 3}.other`], '10.213.1.1', '4096 - 2 own names = 4094 of the others: s0..s4093');
  t.equal(hosts[`s${MAX_EXTRA_HOSTS - 2}.other`], undefined);
});
