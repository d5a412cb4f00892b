// Structured logging for the coordinator and agent (pino: JSON lines, cheap on hot paths).
import { pino, type Logger } from 'pino';

export type { Logger };

/** BATON_LOG_LEVEL picks the level (default info); tests use `silent`. */
export function createLogger(name: string, level = process.env.BATON_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: false }));
}
