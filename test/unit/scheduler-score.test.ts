// The bin-pack and spread scores: bounded 0-100, arithmetic shown per row.
import t from 'tap';
import { binpackScore, spreadScore } from '../../coordinator/scheduler/index.js';
import { seededRng } from '../fixtures/scheduler/builders.js';

const G = 1024 ** 3;

t.test('bin-pack: mean CPU and memory utilisation after placing', async (t) => {
  const rows: [string, Parameters<typeof binpackScore>, number][] = [
    // cpu: (4000-2000+1000)*100/4000 = 75; mem: (8-6+2)*100/8 = 50 -> (75+50)/2 = 62.5
    ['half used node', [4000, 8 * G, 2000, 6 * G, 1000, 2 * G], 62.5],
    // cpu: (4000-4000+1000)*100/4000 = 25; mem: (8-8+1)*100/8 = 12.5 -> (25+12.5)/2 = 18.75
    ['empty node', [4000, 8 * G, 4000, 8 * G, 1000, 1 * G], 18.75],
    // cpu: (4000-1000+1000)*100/4000 = 100; mem: (8-1+1)*100/8 = 100 -> 100
    ['exactly filled', [4000, 8 * G, 1000, 1 * G, 1000, 1 * G], 100],
    // cpu: 0*100/4000 = 0; mem: 0 -> 0 (a zero request on an empty node)
    ['nothing at all', [4000, 8 * G, 4000, 8 * G, 0, 0], 0],
    // cpu: (16000-8000+2000)*100/16000 = 62.5; mem: (8-8+1)*100/8 = 12.5 -> (62.5+12.5)/2 = 37.5
    ['CPU-heavy node', [16000, 8 * G, 8000, 8 * G, 2000, 1 * G], 37.5],
    // cpu: (4000-4000+1000)*100/4000 = 25; mem: node has none -> counts as full, 100 -> 62.5
    ['node without memory', [4000, 0, 4000, 0, 1000, 0], 62.5],
  ];
  for (const [name, args, want] of rows) t.equal(binpackScore(...args), want, name);
});

t.test('spread: 100 minus bin-pack, so the emptiest node wins', async (t) => {
  // 100 - 62.5 = 37.5
  t.equal(spreadScore(4000, 8 * G, 2000, 6 * G, 1000, 2 * G), 37.5);
  // 100 - 18.75 = 81.25
  t.equal(spreadScore(4000, 8 * G, 4000, 8 * G, 1000, 1 * G), 81.25);
});

t.test('scores stay within 0-100 for anything that fits', async (t) => {
  const rnd = seededRng(3);
  for (let i = 0; i < 1000; i++) {
    const cap = 1 + Math.floor(rnd() * 64000);
    const free = Math.floor(rnd() * cap);
    const reqCpu = Math.floor(rnd() * free);
    const capMem = 1 + Math.floor(rnd() * 64 * G);
    const freeMem = Math.floor(rnd() * capMem);
    const reqMem = Math.floor(rnd() * freeMem);
    const b = binpackScore(cap, capMem, free, freeMem, reqCpu, reqMem);
    const s = spreadScore(cap, capMem, free, freeMem, reqCpu, reqMem);
    if (b < 0 || b > 100 || s < 0 || s > 100) t.fail(`out of range: ${b} ${s}`);
  }
  t.pass('1000 random fitting cases in range');
});
