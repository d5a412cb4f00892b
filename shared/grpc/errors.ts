// Errors that cross the wire. `toGrpcStatus` is the one place that turns any error into a gRPC
// status: Baton's vocabulary (shared/errors.ts) by its kind, transport-level `GrpcError`s by their
// code, anything else as INTERNAL (a bug).
import { status as Status, type ServiceError, Metadata } from '@grpc/grpc-js';
import { BatonError, type ErrorKind } from '../errors.js';

/**
 * A transport-level failure with an explicit gRPC code, for the stream handlers' protocol checks
 * (no hello, flood, out-of-order message). Domain code throws shared/errors.ts classes instead.
 */
export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message);
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
  if (err instanceof BatonError) return { code: STATUS_OF[err.kind], details: err.message, metadata: new Metadata() };
  if (err instanceof GrpcError) return { code: err.code, details: err.message, metadata: new Metadata() };
  const message = err instanceof Error ? err.message : String(err);
  return { code: Status.INTERNAL, details: `internal error: ${message}`, metadata: new Metadata() };
}

export { Status };
