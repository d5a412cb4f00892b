// Errors that cross the wire. `toGrpcStatus` is the one place that turns any error into a gRPC
// status: Baton's vocabulary (shared/errors.ts) by its kind, transport-level `GrpcError`s by their
// code, anything else as INTERNAL (a bug).
import { status as Status, type ServiceError, Metadata } from '@grpc/grpc-js';
import { BatonError, type ErrorKind } from '../errors.js';

/**
 * Longest status detail sent. Details often quote the request (`no node with id or name "..."`):
 * unbounded, a long request field became trailers larger than the peer's HTTP/2 header limit, and
 * the peer dropped the whole connection (every call on it failed; this one never got a status).
 * 4096 UTF-16 units stay under 40 KB however grpc-js percent-encodes them.
 */
export const MAX_DETAILS = 4096;

export function boundDetails(text: string): string {
  return text.length <= MAX_DETAILS ? text : `${text.slice(0, MAX_DETAILS)}... (${text.length - MAX_DETAILS} more characters)`;
}

/**
 * A transport-level failure with an explicit gRPC code, for the stream handlers' protocol checks
 * (no hello, flood, out-of-order message). Domain code throws shared/errors.ts classes instead.
 */
export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(boundDetails(message));
    this.name = 'GrpcError';
  }
}

const STATUS_OF: Record<ErrorKind, Status> = {
  input: Status.INVALID_ARGUMENT,
  'not-found': Status.NOT_FOUND,
  conflict: Status.ALREADY_EXISTS,
  unavailable: Status.UNAVAILABLE,
};

/** Whether `err` is an expected outcome (a status to send) rather than a bug to log. */
export function isExpectedError(err: unknown): boolean {
  return err instanceof BatonError || err instanceof GrpcError;
}

export function toGrpcStatus(err: unknown): Partial<ServiceError> & { code: Status; details: string } {
  if (err instanceof BatonError) return { code: STATUS_OF[err.kind], details: boundDetails(err.message), metadata: new Metadata() };
  if (err instanceof GrpcError) return { code: err.code, details: err.message, metadata: new Metadata() };
  const message = err instanceof Error ? err.message : String(err);
  return { code: Status.INTERNAL, details: boundDetails(`internal error: ${message}`), metadata: new Metadata() };
}

export { Status };
