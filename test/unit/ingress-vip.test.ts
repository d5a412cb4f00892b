// Service VIPs: the CIDR flag's parsing, first-free assignment, stability and freeing (coordinator/ingress/vip.ts).
import t from 'tap';
import { assignVips, parseServiceCidr, type ServiceCidr } from '../../coordinator/ingress/vip.js';

const cidr = (text: string): ServiceCidr => {
  const c = parseServiceCidr(text);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};
const vips = (c: ServiceCidr, holders: [string, string?][]) => {
  const r = assignVips(c, holders.map(([key, vip]) => ({ key, vip })));
  return r.ok ? Object.fromEntries(r.value) : r.error;
};

t.test('parseServiceCidr: usable range skips the network and broadcast addresses', async (t) => {
  // [text, first, last] as dotted quads; or [text, error]
  const good: [string, string, string][] = [
    ['10.213.0.0/16', '10.213.0.1', '10.213.255.254'], // 2^16 = 65536 addresses, 65534 usable
    ['192.168.7.0/24', '192.168.7.1', '192.168.7.254'],
    ['10.0.0.8/30', '10.0.0.9', '10.0.0.10'], // 4 addresses: .8 network, .11 broadcast
    [' 172.16.0.0/12 ', '172.16.0.1', '172.31.255.254'], // /12: 172.16.0.0 + 2^20 - 2
  ];
  const fmt = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  for (const [text, first, last] of good) {
    const c = cidr(text);
    t.same([fmt(c.first), fmt(c.last)], [first, last], text);
  }
  const bad: [string, RegExp][] = [
    ['10.213.0.0', /is not an IPv4 block/],
    ['10.213.0.0/33', /is not an IPv4 block/],
    ['10.256.0.0/16', /is not an IPv4 block/],
    ['fd00::/64', /is not an IPv4 block/],
    ['10.213.0/16', /is not an IPv4 block/],
    ['10.213.0.0.0/16', /is not an IPv4 block/],
    ['10..0.0/16', /is not an IPv4 block/],
    ['10.213.0.0./16', /is not an IPv4 block/],
    ['10.213.0.0/', /is not an IPv4 block/],
    ['10.0.0.0/31', /too small/],
    ['10.213.1.0/16', /host bits set; did you mean 10\.213\.0\.0\/16\?/],
  ];
  for (const [text, want] of bad) {
    const r = parseServiceCidr(text);
    t.ok(!r.ok && want.test(r.error), `${text}: ${r.ok ? 'accepted' : r.error}`);
  }
});

t.test('assignVips: first free in list order, existing addresses kept', async (t) => {
  const c = cidr('10.213.0.0/16');
  t.same(vips(c, [['s/a'], ['s/b'], ['t/c']]), { 's/a': '10.213.0.1', 's/b': '10.213.0.2', 't/c': '10.213.0.3' }, 'network address .0.0 is skipped');
  t.same(
    vips(c, [['s/a', '10.213.0.2'], ['s/new'], ['s/b', '10.213.0.1']]),
    { 's/a': '10.213.0.2', 's/new': '10.213.0.3', 's/b': '10.213.0.1' },
    'kept addresses stay wherever they are in the list; the new one takes the lowest free (.3)',
  );
  t.same(vips(c, [['s/a', '10.213.0.1'], ['s/c', '10.213.0.3'], ['s/new']]), { 's/a': '10.213.0.1', 's/c': '10.213.0.3', 's/new': '10.213.0.2' }, "a removed service's address (.2, s/b not passed) is given out again");
  t.same(vips(c, [['s/a', '10.99.0.7'], ['s/b', 'garbage']]), { 's/a': '10.213.0.1', 's/b': '10.213.0.2' }, 'addresses outside the CIDR (after --service-cidr changed) are replaced');
  t.same(vips(c, [['s/a', '10.213.0.5'], ['s/b', '10.213.0.5']]), { 's/a': '10.213.0.5', 's/b': '10.213.0.1' }, 'a duplicate: the first keeps it');
});

t.test('assignVips: a full CIDR is an error naming the service', async (t) => {
  const c = cidr('10.0.0.8/30'); // two usable addresses
  t.same(vips(c, [['s/a'], ['s/b']]), { 's/a': '10.0.0.9', 's/b': '10.0.0.10' });
  t.match(vips(c, [['s/a'], ['s/b'], ['s/c']]), /^no free service address left in 10\.0\.0\.8\/30 for s\/c \(2 in use\)/);
});

t.test('assignVips: same input, same answer', async (t) => {
  const c = cidr('10.213.0.0/16');
  const input: [string, string?][] = [['x/1', '10.213.0.9'], ['x/2'], ['y/1'], ['y/2', '10.213.0.2']];
  t.same(vips(c, input), vips(c, input));
  t.same(vips(c, input), { 'x/1': '10.213.0.9', 'x/2': '10.213.0.1', 'y/1': '10.213.0.3', 'y/2': '10.213.0.2' });
});

t.test('the coordinator takes --service-cidr, default 10.96.0.0/16, and refuses a bad one at start', async (t) => {
  const { compileCoordinatorOptions } = await import('../../coordinator/coordinator.js');
  t.equal(compileCoordinatorOptions().serviceCidr.text, '10.96.0.0/16');
  t.equal(compileCoordinatorOptions({ serviceCidr: '172.20.0.0/24' }).serviceCidr.text, '172.20.0.0/24');
  t.throws(() => compileCoordinatorOptions({ serviceCidr: '172.20.0.1/24' }), /host bits set/);
});
