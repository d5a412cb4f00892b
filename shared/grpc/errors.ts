// Errors that cross the wire. Handlers throw or return these; `toGrpcStatus` is the one place
// that turns any error into a gRPC status.
import { status as Status, type ServiceError, Metadata } from '@grpc/grpc-js';

/** Thrown by handlers for an expected, client-caused failure; carries the gRPC code to send. */
export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

export function toGrpcStatus(err: unknown): Partial<ServiceError> & { code: Status; details: string } {
  if (err instanceof GrpcError) return { code: err.code, details: err.message, metadata: new Metadata() };
  const message = err instanceof Error ? err.message : String(err);
  return { code: Status.INTERNAL, details: `internal error: ${message}`, metadata: new Metadata() };
}

export { Status };
