// Cluster events: appended through the store (bounded), fanned out to live watchers.
import type { Clock } from '../shared/clock.js';
import type { EventRecord } from './store/schema.js';
import type { Store } from './store/store.js';

export type EventInput = Omit<EventRecord, 'seq' | 'atMs'> & { atMs?: number };

export type EventListener = (e: EventRecord) => void;

export class EventLog {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** How many events are retained. @default 1000 */
    private readonly retain = 1000,
  ) {}

  append(input: EventInput): EventRecord {
    const event = this.store.transact((s) => {
      const e: EventRecord = { ...input, atMs: input.atMs ?? this.clock.now(), seq: ++s.eventSeq };
      s.events.push(e);
      if (s.events.length > this.retain) s.events.splice(0, s.events.length - this.retain);
      return e;
    });
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken watcher must not stop the others or the writer.
      }
    }
    return event;
  }

  /** Retained events with seq > sinceSeq, oldest first; at most `limit` of the newest. */
  list(sinceSeq = 0, limit = this.retain): EventRecord[] {
    const all = this.store.state.events.filter((e) => e.seq > sinceSeq);
    return all.slice(Math.max(0, all.length - limit));
  }

  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}
