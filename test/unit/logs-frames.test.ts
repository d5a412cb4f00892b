// Docker's multiplexed log stream (8-byte frame headers) split into stdout/stderr frames however
// the bytes are chunked, and raw TTY output passed through: the agent's FrameDemuxer, pure.
import t from 'tap';
import { FrameDemuxer } from '../../agent/log-stream.js';

const frame = (type: number, text: string) => {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([h, Buffer.from(text)]);
};

t.test("Docker's multiplexed stream is split into frames however it is chunked", async (t) => {
  const stream = Buffer.concat([frame(1, 'out-1\n'), frame(2, 'err-1\n'), frame(1, ''), frame(1, 'out-2\n')]);
  const cases: { name: string; cuts: number[]; want: string[] }[] = [
    { name: 'whole', cuts: [], want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
    // 3: inside the first header; 10: inside the first payload; 14: on a frame boundary.
    { name: 'cut inside headers and payloads', cuts: [3, 10, 14, 20, 30], want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
    { name: 'byte by byte', cuts: [...Array(stream.length).keys()].slice(1), want: ['stdout:out-1\n', 'stderr:err-1\n', 'stdout:out-2\n'] },
  ];
  for (const c of cases) {
    const d = new FrameDemuxer();
    const got: string[] = [];
    let at = 0;
    for (const cut of [...c.cuts, stream.length]) {
      for (const f of d.push(stream.subarray(at, cut))) got.push(`${f.stream}:${f.data.toString()}`);
      at = cut;
    }
    // Frames cut in pieces come out in pieces; joined per stream run they are the same.
    const joined = got.reduce<string[]>((acc, x) => {
      const [k] = x.split(':');
      if (acc.length && acc.at(-1)!.startsWith(k + ':') && !acc.at(-1)!.endsWith('\n')) acc[acc.length - 1] += x.slice(k!.length + 1);
      else acc.push(x);
      return acc;
    }, []);
    t.same(joined, c.want, c.name);
    t.equal(d.leftover, 0, `${c.name}: nothing left over`);
  }
  const raw = new FrameDemuxer();
  t.same(raw.push(Buffer.from('plain tty output\n')).map((f) => [f.stream, f.data.toString()]), [['stdout', 'plain tty output\n']], 'a raw (TTY) stream passes through as stdout');
  t.same(raw.push(Buffer.from('more\n')).map((f) => f.data.toString()), ['more\n']);
});

