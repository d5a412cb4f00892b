// Writes a listing to a server-streaming call in batches, each bounded by an item count and by an
// upper bound of its encoded size, so any listing fits under the gRPC message limit.
import { MAX_MESSAGE_BYTES } from '../shared/grpc/load.js';

export interface BatchLimits {
  /** Most items in one batch. @default 1000 */
  maxItems: number;
  /** Most bytes in one batch, as counted by `encodedSizeBound`. @default MAX_MESSAGE_BYTES / 2 */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxItems: 1000, maxBytes: MAX_MESSAGE_BYTES / 2 };

/** What the writer needs of a server-streaming call; grpc-js's ServerWritableStream has it. */
export interface BatchSink<Batch> {
  write(batch: Batch): boolean;
  readonly cancelled: boolean;
  once(event: 'drain' | 'cancelled' | 'close' | 'error', listener: () => void): unknown;
  off(event: 'drain' | 'cancelled' | 'close' | 'error', listener: () => void): unknown;
}

export type WriteOutcome = 'written' | 'cancelled';

/**
 * Converts `items` to wire form one batch at a time (never the whole listing at once) and writes
 * each batch. When the call's buffer is full (`write` returns false: grpc-js buffers 16 messages)
 * it waits for 'drain', so a slow reader holds back the writer instead of filling the
 * coordinator's memory, and the event loop serves everything else meanwhile. It does not yield
 * after every batch: on a busy coordinator each turn of the loop can wait behind a control-loop
 * round, which made 100 batches take 100 rounds. Stops when the client cancels. Does not end the
 * call: the caller ends it (or sends an error status).
 */
export async function writeBatches<Item, Wire, Batch>(
  sink: BatchSink<Batch>,
  items: Iterable<Item>,
  toWire: (item: Item) => Wire,
  toBatch: (wire: Wire[]) => Batch,
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): Promise<WriteOutcome> {
  let batch: Wire[] = [];
  let bytes = 0;
  const flush = async (): Promise<boolean> => {
    const full = !sink.write(toBatch(batch));
    batch = [];
    bytes = 0;
    return full ? drained(sink) : !sink.cancelled;
  };
  for (const item of items) {
    if (sink.cancelled) return 'cancelled';
    const wire = toWire(item);
    const size = encodedSizeBound(wire);
    // An item larger than the whole budget still goes, alone: it fits the message limit if the
    // report that carried it did.
    if (batch.length > 0 && (batch.length >= limits.maxItems || bytes + size > limits.maxBytes)) {
      if (!(await flush())) return 'cancelled';
    }
    batch.push(wire);
    bytes += size;
  }
  if (sink.cancelled) return 'cancelled';
  if (batch.length > 0 && !(await flush())) return 'cancelled';
  return 'written';
}

/** Resolves true on 'drain', false when the call ends first (cancelled, closed, failed). */
function drained(sink: BatchSink<unknown>): Promise<boolean> {
  if (sink.cancelled) return Promise.resolve(false);
  return new Promise((resolve) => {
    const events = ['cancelled', 'close', 'error'] as const;
    const finish = (ok: boolean) => {
      sink.off('drain', onDrain);
      for (const e of events) sink.off(e, onEnd);
      resolve(ok);
    };
    const onDrain = () => finish(true);
    const onEnd = () => finish(false);
    sink.once('drain', onDrain);
    for (const e of events) sink.once(e, onEnd);
  });
}

// Per field: a tag (at most 2 bytes for field numbers below 2048) and then a varint or fixed
// value (at most 10 bytes) or a length (at most 5 bytes) and the payload: at most 12 bytes besides
// the payload.
const FIELD_BYTES = 12;

/**
 * An upper bound of the protobuf encoding of a message given as a proto-loader plain object, cheap
 * to compute (no encoding). Without the schema it cannot tell a map from a message, so every
 * property is counted as a map entry (entry, key and value fields, with the key): a message's bound
 * is several times its real size, which only makes batches smaller. A UTF-16 code unit is at most
 * 3 UTF-8 bytes.
 */
export function encodedSizeBound(value: unknown): number {
  if (typeof value === 'string') return 3 * value.length;
  if (value === null || value === undefined || typeof value !== 'object') return 0;
  if (value instanceof Uint8Array) return value.length;
  let n = 0;
  if (Array.isArray(value)) {
    for (const v of value) n += FIELD_BYTES + encodedSizeBound(v);
    return n;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    n += 3 * FIELD_BYTES + 3 * key.length + encodedSizeBound(v);
  }
  return n;
}
