// Docker's Executor.watchExits: follows the engine's `die` and `health_status` events for Baton's
// containers over one long-lived events request, and resubscribes with backoff when it breaks
// (engine restart). Every (re)subscription is reported, because exits while it was down have no
// event to come.
import type Docker from 'dockerode';
import type { Clock, TimerHandle } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import { backoffDelayMs } from '../../backoff.js';
import { LABEL_ALLOCATION } from '../labels.js';
import type { ExitWatch, PossibleExit } from '../types.js';

export function watchDockerExits(docker: Docker, clock: Clock, logger: Logger | undefined, onExit: (exit: PossibleExit) => void): ExitWatch {
  let closed = false;
  let abort: AbortController | undefined;
  let wake: (() => void) | undefined;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));

  const notify = (exit: PossibleExit) => {
    try {
      onExit(exit);
    } catch (err) {
      logger?.error({ err: (err as Error).message }, 'exit watcher: onExit threw');
    }
  };

  const readEvents = (stream: NodeJS.ReadableStream) =>
    new Promise<void>((resolve, reject) => {
      let buffer = '';
      stream.on('data', (chunk: Buffer | string) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          const exit = line ? eventNotice(line) : undefined;
          if (exit) notify(exit);
        }
      });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', (err: Error) => (closed ? resolve() : reject(err)));
    });

  const loop = async () => {
    let attempt = 0;
    while (!closed) {
      abort = new AbortController();
      try {
        const stream = await docker.getEvents({
          // `health_status` matches `health_status: healthy` etc. (the engine matches that name by prefix).
          filters: { type: ['container'], event: ['die', 'health_status'], label: [LABEL_ALLOCATION] },
          abortSignal: abort.signal,
        } as Docker.GetEventsOptions);
        attempt = 0;
        markConnected();
        notify({ kind: 'unwatched' });
        await readEvents(stream);
      } catch (err) {
        if (closed) break;
        logger?.warn({ err: (err as Error).message }, 'exit watcher: docker event stream failed');
      }
      if (closed) break;
      await new Promise<void>((resolve) => {
        const timer: TimerHandle = clock.setTimeout(() => {
          wake = undefined;
          resolve();
        }, backoffDelayMs(attempt++, { initialMs: 250, maxMs: 5000 }));
        wake = () => {
          clock.clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const running = loop();

  return {
    connected,
    async close() {
      closed = true;
      abort?.abort();
      wake?.();
      await running;
    },
  };
}

/** The notice for a `die` or `health_status: ...` event line from Docker's event stream; undefined for anything else. */
export function eventNotice(line: string): PossibleExit | undefined {
  let event: { Action?: string; Actor?: { Attributes?: Record<string, string> } };
  try {
    event = JSON.parse(line);
  } catch {
    return undefined;
  }
  const allocationId = event.Actor?.Attributes?.[LABEL_ALLOCATION];
  if (!allocationId) return undefined;
  if (event.Action === 'die') return { kind: 'container', allocationId };
  if (event.Action?.startsWith('health_status')) return { kind: 'health', allocationId };
  return undefined;
}
