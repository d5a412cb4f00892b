// The usage roll-ups' durable form (usage.json beside state.json): compact per-minute and per-hour
// aggregates written by the usage recorder only (coordinator/usage/recorder.ts), at most once per
// flush interval and at shutdown, never per heartbeat. Kept apart from state.json so that every
// desired-state write does not rewrite a day of minutes too. Written with the same atomic, durable
// replace as the state file.
import { rename } from 'node:fs/promises';
import { z } from 'zod';
import type { Acc, Bucket } from '../usage/ledger.js';
import { DurableJsonFile } from './durable-file.js';

/** [cpu core-s, cpu reserved core-s, memory byte-s, memory reserved byte-s, replica-s, replica-s the CPU covers] */
type AccTuple = [number, number, number, number, number, number];
interface UsageFileData {
  schema: 1;
  minutes: [number, Record<string, AccTuple>][];
  hours: [number, Record<string, AccTuple>][];
}

const tuple = z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]);
const bucketList = z.array(z.tuple([z.number(), z.record(z.string(), tuple)]));
const shape = z.object({ schema: z.literal(1), minutes: bucketList, hours: bucketList });

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const toTuple = (a: Acc): AccTuple => [round3(a.cpu), round3(a.cpuRes), Math.round(a.mem), Math.round(a.memRes), round3(a.n), round3(a.cpuS)];
const toBuckets = (l: UsageFileData['minutes']): Bucket[] =>
  l.map(([startMs, g]) => ({ startMs, groups: new Map(Object.entries(g).map(([k, t]) => [k, { cpu: t[0], cpuRes: t[1], mem: t[2], memRes: t[3], n: t[4], cpuS: t[5] }])) }));
const fromBuckets = (l: readonly Bucket[]): UsageFileData['minutes'] => l.map((b) => [b.startMs, Object.fromEntries([...b.groups].map(([k, a]) => [k, toTuple(a)]))]);

export class UsageFile {
  private readonly file: DurableJsonFile<UsageFileData>;
  writes = 0;

  constructor(readonly path: string) {
    this.file = new DurableJsonFile<UsageFileData>(path);
  }

  /**
   * The kept buckets; none when there is no file. A file that is not usage data is moved aside
   * (`usage.json.bad`) and reported in `problem`: accounting starts afresh rather than the
   * coordinator refusing to start over it.
   */
  async read(): Promise<{ minutes: Bucket[]; hours: Bucket[]; problem?: string }> {
    let data: unknown;
    try {
      data = await this.file.read();
    } catch (err) {
      await rename(this.path, `${this.path}.bad`).catch(() => {});
      return { minutes: [], hours: [], problem: `${(err as Error).message}; moved to ${this.path}.bad` };
    }
    if (data === null) return { minutes: [], hours: [] };
    const r = shape.safeParse(data);
    if (!r.success) {
      await rename(this.path, `${this.path}.bad`).catch(() => {});
      const first = r.error.issues[0];
      return { minutes: [], hours: [], problem: `usage file ${this.path}: ${first?.path.join('.') || '(top level)'}: ${first?.message ?? 'invalid'}; moved to ${this.path}.bad` };
    }
    return { minutes: toBuckets(r.data.minutes as UsageFileData['minutes']), hours: toBuckets(r.data.hours as UsageFileData['hours']) };
  }

  async write(minutes: readonly Bucket[], hours: readonly Bucket[]): Promise<void> {
    await this.file.write({ schema: 1, minutes: fromBuckets(minutes), hours: fromBuckets(hours) });
    this.writes++;
  }
}
