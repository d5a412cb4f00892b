// The error vocabulary shared by the coordinator, the agent and the CLI. Domain code throws these
// for outcomes the caller must act on; `toGrpcStatus` (shared/grpc/errors.ts) is the one place
// that turns them into gRPC statuses, and the CLI picks its exit status from that code alone.

/** What kind of failure an error is; each kind has one gRPC status and one CLI exit status. */
export type ErrorKind = 'input' | 'not-found' | 'conflict' | 'unavailable';

/** Base of Baton's expected errors. Anything else reaching a handler is a bug (INTERNAL). */
export abstract class BatonError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown for a request the user must fix: a Compose file that does not parse, a value of the wrong
 * form, an ambiguous name. gRPC INVALID_ARGUMENT; CLI exit 2.
 */
export class InputError extends BatonError {
  readonly kind = 'input';
}

/** Thrown when a named thing (stack, service, node, replica) does not exist. gRPC NOT_FOUND; CLI exit 2. */
export class NotFoundError extends BatonError {
  readonly kind = 'not-found';
  constructor(
    message: string,
    /** What was looked for, e.g. `service web`. */
    readonly what = '',
  ) {
    super(message);
  }
}

/** Thrown when the request is valid but conflicts with current state (e.g. a live session). gRPC ALREADY_EXISTS; CLI exit 1. */
export class ConflictError extends BatonError {
  readonly kind = 'conflict';
}

/** Thrown when the coordinator cannot serve the request now or at all (shutting down, feature off). gRPC UNAVAILABLE; CLI exit 1. */
export class UnavailableError extends BatonError {
  readonly kind = 'unavailable';
}
