// Table tests for the small Compose syntaxes: shell words, short port mappings, constraints, suggestions.

import t from 'tap';
import { parseConstraint, parsePortShort, splitShellWords } from '../../shared/compose/index.js';
import { closest, editDistance } from '../../shared/compose/suggest.js';

t.test('splitShellWords', async (t) => {
  const cases: [string, string[]][] = [
    ['nginx -g "daemon off;"', ['nginx', '-g', 'daemon off;']],
    ["sh -c 'echo $HOME'", ['sh', '-c', 'echo $HOME']],
    ['a\\ b c', ['a b', 'c']],
    ['"a \\"quoted\\" word"', ['a "quoted" word']],
    ['"keep \\n as is"', ['keep \\n as is']],
    ["''", ['']],
    ['a""b', ['ab']],
    ['  spaced \t out\n', ['spaced', 'out']],
    ['line \\\ncontinued', ['line', 'continued']],
    ['', []],
    ['trailing\\', ['trailing\\']],
  ];
  for (const [input, want] of cases) t.same(splitShellWords(input), { ok: true, value: want }, input);
  t.same(splitShellWords("echo 'oops"), { ok: false, error: `"echo 'oops" has an unterminated single quote` });
  t.same(splitShellWords('echo "oops'), { ok: false, error: '"echo \\"oops" has an unterminated double quote' });
});

t.test('parsePortShort', async (t) => {
  const ok: [string, string[]][] = [
    // rendered as [hostIp/]published:target/protocol
    ['80', ['-:80/tcp']],
    ['8080:80', ['8080:80/tcp']],
    ['8080:80/UDP', ['8080:80/udp']],
    ['127.0.0.1:8080:80', ['127.0.0.1/8080:80/tcp']],
    ['127.0.0.1::80', ['127.0.0.1/-:80/tcp']],
    ['[::1]:8080:80/udp', ['::1/8080:80/udp']],
    ['8000-8002:9000-9002', ['8000:9000/tcp', '8001:9001/tcp', '8002:9002/tcp']],
    ['65535:1', ['65535:1/tcp']],
  ];
  for (const [input, want] of ok) {
    const r = parsePortShort(input);
    t.same(r.ok ? r.value.map((p) => `${p.hostIp ? `${p.hostIp}/` : ''}${p.published ?? '-'}:${p.target}/${p.protocol}`) : r.error, want, input);
  }
  const bad: [string, string][] = [
    ['0', '"0": container port 0 is not a port number (1-65535)'],
    ['80:65536', '"80:65536": container port 65536 is not a port number (1-65535)'],
    ['a:80', '"a:80": published port "a" is not a port or port range (use "80", "8080:80", "127.0.0.1:8080:80/udp" or a range such as "8000-8001:80-81")'],
    ['1.2.3.4:5:6:7', '"1.2.3.4:5:6:7" is not a port mapping (write an IPv6 host IP in brackets, e.g. "[::1]:8080:80")'],
    ['[::1:80', '"[::1:80" is not a port mapping (use "80", "8080:80", "127.0.0.1:8080:80/udp" or a range such as "8000-8001:80-81")'],
    ['[nope]:80:80', '"[nope]:80:80": host IP "nope" is not an IPv4 or IPv6 address'],
    ['80/', '"80/": protocol "" is not supported (use tcp or udp)'],
  ];
  for (const [input, error] of bad) t.same(parsePortShort(input), { ok: false, error }, input);
});

t.test('parseConstraint', async (t) => {
  t.same(parseConstraint('  node.labels.zone   ==   edge north '), {
    ok: true,
    value: { attribute: 'node.labels.zone', op: '==', value: 'edge north', text: '  node.labels.zone   ==   edge north ' },
  });
  t.same(parseConstraint('node.labels.com.example.tier!=db'), {
    ok: true,
    value: { attribute: 'node.labels.com.example.tier', op: '!=', value: 'db', text: 'node.labels.com.example.tier!=db' },
  });
  t.same(parseConstraint('node.platform.os=linux'), {
    ok: false,
    error: '"node.platform.os=linux" is not a constraint (use attribute==value or attribute!=value)',
  });
});

t.test('suggestions', async (t) => {
  t.equal(editDistance('imgae', 'image'), 1);
  t.equal(editDistance('', 'abc'), 3);
  t.equal(closest('imgae', ['image', 'command']), 'image');
  t.equal(closest('replica', ['replicas', 'resources']), 'replicas');
  t.equal(closest('zzzzzz', ['image', 'command']), undefined);
  t.equal(closest('x'.repeat(100), ['x']), undefined);
});
