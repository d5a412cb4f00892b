// specHash decides whether a deploy means new containers (a new generation): a table of spec pairs
// that must hash equal (scale only, key order, absent vs undefined) or differ (anything a container runs with).
import t from 'tap';
import { specHash } from '../../shared/compose/spec-hash.js';
import type { ServiceSpec } from '../../shared/compose/types.js';
import { spec } from '../fixtures/reconcile/builders.js';

const base = spec();
/** The same object with its keys in reverse order, recursively (arrays keep their order). */
function reversedKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversedKeys) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) as T;
  return v;
}

interface Case {
  name: string;
  a: ServiceSpec;
  b: ServiceSpec;
  equal: boolean;
}

const port = { target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' } as const;

const cases: Case[] = [
  // ---------------------------------------------------------------- same containers
  { name: 'identical specs', a: spec(), b: spec(), equal: true },
  { name: 'replicas 1 vs 5 (a scale, not a new generation)', a: spec({ replicas: 1 }), b: spec({ replicas: 5 }), equal: true },
  { name: 'every key in reverse order, at every depth', a: base, b: reversedKeys(base), equal: true },
  { name: 'environment keys in another order', a: spec({ environment: { A: '1', B: '2' } }), b: spec({ environment: { B: '2', A: '1' } }), equal: true },
  { name: 'limits keys in another order', a: spec({ limits: { cpuMillis: 500, memoryBytes: 1 << 30 } }), b: spec({ limits: { memoryBytes: 1 << 30, cpuMillis: 500 } }), equal: true },
  { name: 'optional field absent vs present as undefined', a: spec(), b: spec({ command: undefined, entrypoint: undefined }), equal: true },
  { name: 'replicas and key order together', a: spec({ replicas: 2, environment: { A: '1', B: '2' } }), b: reversedKeys(spec({ replicas: 7, environment: { B: '2', A: '1' } })), equal: true },

  // ---------------------------------------------------------------- new containers
  { name: 'image tag', a: spec(), b: spec({ image: 'nginx:1.28' }), equal: false },
  { name: 'env value', a: spec({ environment: { A: '1' } }), b: spec({ environment: { A: '2' } }), equal: false },
  { name: 'env variable added', a: spec({ environment: { A: '1' } }), b: spec({ environment: { A: '1', B: '' } }), equal: false },
  { name: 'env variable renamed, same value', a: spec({ environment: { A: '1' } }), b: spec({ environment: { B: '1' } }), equal: false },
  { name: 'command set vs none', a: spec(), b: spec({ command: ['nginx', '-g', 'daemon off;'] }), equal: false },
  // ['a', 'b'] and ['a b'] are different argv vectors even though they join to the same text.
  { name: 'command split differently', a: spec({ command: ['echo', 'hi'] }), b: spec({ command: ['echo hi'] }), equal: false },
  { name: 'command argument order', a: spec({ command: ['a', 'b'] }), b: spec({ command: ['b', 'a'] }), equal: false },
  { name: 'entrypoint set', a: spec(), b: spec({ entrypoint: ['/bin/sh', '-c'] }), equal: false },
  { name: 'port added', a: spec(), b: spec({ ports: [port] }), equal: false },
  { name: 'published port changed', a: spec({ ports: [port] }), b: spec({ ports: [{ ...port, published: 8081 }] }), equal: false },
  { name: 'port protocol changed', a: spec({ ports: [port] }), b: spec({ ports: [{ ...port, protocol: 'udp' }] }), equal: false },
  { name: 'cpu limit set', a: spec(), b: spec({ limits: { cpuMillis: 500 } }), equal: false },
  { name: 'memory limit changed', a: spec({ limits: { memoryBytes: 256 << 20 } }), b: spec({ limits: { memoryBytes: 512 << 20 } }), equal: false },
  { name: 'label changed', a: spec({ labels: { tier: 'front' } }), b: spec({ labels: { tier: 'back' } }), equal: false },
];

t.test('specHash: equal exactly when the containers would be the same', async (t) => {
  for (const c of cases) {
    const [ha, hb] = [specHash(c.a), specHash(c.b)];
    if (c.equal) t.equal(ha, hb, c.name);
    else t.not(ha, hb, c.name);
  }
});

t.test('specHash: a short stable hex digest', async (t) => {
  t.match(specHash(base), /^[0-9a-f]{16}$/);
  t.equal(specHash(base), specHash(structuredClone(base)), 'same value, same hash');
});
