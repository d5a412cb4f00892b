// usage.json on real files: the roll-ups round trip, and a file that is not usage data is moved aside (not fatal).
import t from 'tap';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageFile } from '../../coordinator/store/usage-file.js';
import type { Bucket } from '../../coordinator/usage/ledger.js';

const acc = (cpu: number) => ({ cpu, cpuRes: 2 * cpu, mem: 1024 * cpu, memRes: 2048 * cpu, n: 60, cpuS: 60 });

t.test('round trip', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-usage-file-'));
  const f = new UsageFile(join(dir, 'usage.json'));
  t.same(await f.read(), { minutes: [], hours: [] }, 'no file: nothing kept');
  const minutes: Bucket[] = [{ startMs: 60_000, groups: new Map([['sacme/shop/web', acc(1.23456)], ['nnode-1', acc(1.23456)]]) }];
  const hours: Bucket[] = [{ startMs: 0, groups: new Map([['sother', acc(7)]]) }];
  await f.write(minutes, hours);
  const back = await f.read();
  t.equal(back.problem, undefined);
  t.equal(back.minutes[0]!.startMs, 60_000);
  t.same(back.minutes[0]!.groups.get('sacme/shop/web'), { ...acc(1.23456), cpu: 1.235, cpuRes: 2.469, mem: 1264, memRes: 2528 }, 'rounded to ms of core time and whole bytes');
  t.same(back.hours[0]!.groups.get('sother'), acc(7));
  t.ok((await readFile(join(dir, 'usage.json'), 'utf8')).length < 300, 'compact');
});

t.test('a file that is not usage data is moved aside', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-usage-file-'));
  for (const [name, text] of [['not json', '{"schema":'], ['wrong shape', '{"schema":1,"minutes":[[1,{"k":[1,2]}]],"hours":[]}']] as const) {
    const path = join(dir, 'usage.json');
    await writeFile(path, text);
    const r = await new UsageFile(path).read();
    t.same([r.minutes, r.hours], [[], []], name);
    t.match(r.problem, /moved to .*usage\.json\.bad/, name);
    t.notOk(existsSync(path), `${name}: moved`);
    t.equal(await readFile(`${path}.bad`, 'utf8'), text, `${name}: kept as it was`);
  }
});
