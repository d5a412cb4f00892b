// The agent's side of `baton logs`: streams an allocation's container output to the coordinator as
// LogChunk messages on the session, paced so log traffic never trips the coordinator's flood limit
// and never grows the agent's memory without bound.
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { LogChunk } from '../shared/grpc/gen/baton/v1/LogChunk.js';
import type { StreamLogs__Output } from '../shared/grpc/gen/baton/v1/StreamLogs.js';
import type { Logger } from '../shared/logger.js';
import type { ReplicaContainer } from './executor/index.js';

/** Largest data payload of one LogChunk. */
export const LOG_CHUNK_BYTES = 64 * 1024;

export type LogStreamKind = 'stdout' | 'stderr';

export interface LogFrame {
  stream: LogStreamKind;
  data: Buffer;
}

/**
 * Splits Docker's multiplexed log stream (containers without a TTY) into frames: an 8-byte header
 * `[type, 0, 0, 0, size(uint32 BE)]` then `size` bytes. Frames may arrive split across chunks.
 * A header that cannot be one (a TTY container's raw stream) switches to passing bytes through as
 * stdout, which is what Docker itself would show.
 */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private raw = false;

  push(chunk: Buffer): LogFrame[] {
    if (this.raw) return chunk.length ? [{ stream: 'stdout', data: chunk }] : [];
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: LogFrame[] = [];
    while (buf.length >= 8) {
      const type = buf[0]!;
      if (type > 2 || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) {
        this.raw = true;
        this.pending = Buffer.alloc(0);
        out.push({ stream: 'stdout', data: buf });
        return out;
      }
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      // Type 0 is stdin, which Docker only echoes for attached TTYs: shown as stdout like `docker logs`.
      if (size > 0) out.push({ stream: type === 2 ? 'stderr' : 'stdout', data: buf.subarray(8, 8 + size) });
      buf = buf.subarray(8 + size);
    }
    // Copy the remainder so a small tail does not pin a large chunk in memory.
    this.pending = Buffer.from(buf);
    return out;
  }

  /** Bytes of an incomplete frame left at the end of the stream (a truncated log). */
  get leftover(): number {
    return this.pending.length;
  }
}

export interface LogStreamsOptions {
  docker: Docker;
  /** Every Baton container on this engine (the executor's view). */
  list: () => Promise<ReplicaContainer[]>;
  log: Logger;
  /**
   * Writes a chunk on the current session. Returning false means the transport's buffer is full:
   * the next chunk waits a little.
   */
  send: (chunk: LogChunk) => boolean;
  /**
   * Chunks per second, summed over all streams. The coordinator cuts a session off above 200
   * messages per second (reports, acks and events included), so logs take half.
   * @default 100
   */
  maxChunksPerSec?: number;
  /** How long output is gathered into one chunk before it is sent. @default 100 */
  flushMs?: number;
  /** Streams open at once; more are refused with an error. @default 64 */
  maxStreams?: number;
  /** Queued bytes per stream above which reading from Docker pauses. @default 512 KiB */
  highWaterBytes?: number;
}

interface OpenStream {
  id: string;
  allocationId: string;
  abort: AbortController;
  source: Readable | undefined;
  /** Output gathered but not yet cut into a chunk, all of one kind. */
  gathered: Buffer[];
  gatheredBytes: number;
  gatheredKind: LogStreamKind;
  timer: NodeJS.Timeout | undefined;
  /** Bytes of this stream waiting in the outbox. */
  queuedBytes: number;
  paused: boolean;
  done: boolean;
}

/** Log streams of one agent; each is keyed by the coordinator's stream id. */
export class LogStreams {
  private readonly open = new Map<string, OpenStream>();
  private readonly outbox: { s: OpenStream; chunk: LogChunk }[] = [];
  private pumpTimer: NodeJS.Timeout | undefined;
  private lastSentMs = 0;
  private readonly minGapMs: number;
  private readonly flushMs: number;
  private readonly maxStreams: number;
  private readonly highWaterBytes: number;

  constructor(private readonly options: LogStreamsOptions) {
    this.minGapMs = 1000 / (options.maxChunksPerSec ?? 100);
    this.flushMs = options.flushMs ?? 100;
    this.maxStreams = options.maxStreams ?? 64;
    this.highWaterBytes = options.highWaterBytes ?? 512 * 1024;
  }

  get size(): number {
    return this.open.size;
  }

  /** Starts a stream, or stops one when `cancel` is set. A repeated start of an open stream is ignored. */
  handle(req: StreamLogs__Output): string | undefined {
    if (!req.stream_id) return 'logs.stream_id: missing';
    if (req.cancel) {
      const s = this.open.get(req.stream_id);
      if (s) this.stop(s, 'cancelled');
      return undefined;
    }
    if (this.open.has(req.stream_id)) return undefined;
    const s: OpenStream = {
      id: req.stream_id,
      allocationId: req.allocation_id,
      abort: new AbortController(),
      source: undefined,
      gathered: [],
      gatheredBytes: 0,
      gatheredKind: 'stdout',
      timer: undefined,
      queuedBytes: 0,
      paused: false,
      done: false,
    };
    this.open.set(s.id, s);
    if (this.open.size > this.maxStreams) {
      this.finish(s, `this agent already streams ${this.maxStreams} logs; try again later`);
      return undefined;
    }
    void this.run(s, req).catch((err: Error) => this.finish(s, `cannot read logs: ${err.message}`));
    return undefined;
  }

  /** The session ended: every stream belonged to it and nobody is listening any more. */
  abortAll(reason: string): void {
    for (const s of [...this.open.values()]) this.stop(s, reason);
    this.outbox.length = 0;
    clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
  }

  private async run(s: OpenStream, req: StreamLogs__Output): Promise<void> {
    const mine = (await this.options.list()).filter((c) => c.allocationId === req.allocation_id);
    if (s.abort.signal.aborted) return;
    const c = mine.find((x) => x.running) ?? mine[0];
    if (!c) {
      this.finish(s, `no container for allocation ${req.allocation_id} on this node`);
      return;
    }
    // Through the modem rather than container.logs(): without follow dockerode buffers the whole
    // log in memory (and parses it as JSON if it happens to be JSON); a stream has backpressure.
    const source = await new Promise<Readable>((resolve, reject) => {
      this.options.docker.modem.dial(
        {
          path: `/containers/${c.containerId}/logs?`,
          method: 'GET',
          isStream: true,
          abortSignal: s.abort.signal,
          // 501: the logging driver keeps nothing to read back (`none`, or a driver with Docker's
          // dual-logging cache disabled); json-file, local, journald and, through that cache, the rest can be read.
          statusCodes: { 200: true, 404: 'no such container', 500: 'server error', 501: "its logging driver keeps no log Docker can read back (Compose logging.driver none, or a driver's cache-disabled option)" },
          options: { stdout: true, stderr: true, follow: req.follow, timestamps: false, tail: req.tail === 0 ? 'all' : String(Math.max(0, req.tail)) },
        },
        (err, res) => (err ? reject(err) : resolve(res as Readable)),
      );
    });
    if (s.abort.signal.aborted) {
      source.destroy();
      return;
    }
    s.source = source;
    const demux = new FrameDemuxer();
    source.on('data', (chunk: Buffer) => {
      if (s.done) return;
      for (const f of demux.push(chunk)) this.gather(s, f);
      if (s.queuedBytes + s.gatheredBytes > this.highWaterBytes && !s.paused) {
        s.paused = true;
        source.pause();
      }
    });
    source.on('end', () => this.finish(s, demux.leftover ? `log ended inside a frame (${demux.leftover} bytes lost)` : ''));
    source.on('error', (err) => {
      if (!s.abort.signal.aborted) this.finish(s, `reading logs failed: ${err.message}`);
    });
  }

  private gather(s: OpenStream, f: LogFrame): void {
    if (f.stream !== s.gatheredKind && s.gatheredBytes) this.cut(s);
    s.gatheredKind = f.stream;
    s.gathered.push(f.data);
    s.gatheredBytes += f.data.length;
    if (s.gatheredBytes >= LOG_CHUNK_BYTES) this.cut(s);
    else s.timer ??= setTimeout(() => this.cut(s), this.flushMs);
  }

  /** Turns what was gathered into chunks of at most LOG_CHUNK_BYTES and queues them. */
  private cut(s: OpenStream): void {
    clearTimeout(s.timer);
    s.timer = undefined;
    if (!s.gatheredBytes) return;
    const all = Buffer.concat(s.gathered, s.gatheredBytes);
    s.gathered = [];
    s.gatheredBytes = 0;
    for (let at = 0; at < all.length; at += LOG_CHUNK_BYTES) {
      this.enqueue(s, { stream_id: s.id, data: all.subarray(at, at + LOG_CHUNK_BYTES), stream: s.gatheredKind });
    }
  }

  private enqueue(s: OpenStream, chunk: LogChunk): void {
    s.queuedBytes += (chunk.data as Buffer | undefined)?.length ?? 0;
    this.outbox.push({ s, chunk });
    this.pump();
  }

  private pump(): void {
    if (this.pumpTimer) return;
    while (this.outbox.length) {
      const wait = this.lastSentMs + this.minGapMs - Date.now();
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const { s, chunk } = this.outbox.shift()!;
      s.queuedBytes -= (chunk.data as Buffer | undefined)?.length ?? 0;
      this.lastSentMs = Date.now();
      // A full transport buffer counts as a second send's worth of waiting.
      if (!this.options.send(chunk)) this.lastSentMs += Math.max(this.minGapMs, 50);
      if (s.paused && !s.done && s.queuedBytes < this.highWaterBytes / 2) {
        s.paused = false;
        s.source?.resume();
      }
    }
  }

  /** The stream ended by itself (or failed): send what is left, then the eof. */
  private finish(s: OpenStream, error: string): void {
    if (s.done) return;
    this.cut(s);
    s.done = true;
    this.open.delete(s.id);
    s.source?.destroy();
    if (error) this.options.log.info({ streamId: s.id, allocationId: s.allocationId, error }, 'log stream failed');
    this.enqueue(s, { stream_id: s.id, eof: true, error });
  }

  /** Stopped from outside: nobody wants the rest, so nothing more is sent for it. */
  private stop(s: OpenStream, why: string): void {
    if (s.done) return;
    s.done = true;
    this.open.delete(s.id);
    clearTimeout(s.timer);
    s.gathered = [];
    s.abort.abort();
    s.source?.destroy();
    for (let i = this.outbox.length - 1; i >= 0; i--) if (this.outbox[i]!.s === s) this.outbox.splice(i, 1);
    this.options.log.debug({ streamId: s.id, allocationId: s.allocationId, why }, 'log stream stopped');
  }
}
