// JoinService: the CA for pinning, joining with the token's secret, and renewal over a node's
// mutual-TLS connection. The node id of a renewal comes from the caller's certificate.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcError, Status } from '../../shared/grpc/errors.js';
import type { JoinServiceHandlers } from '../../shared/grpc/gen/baton/v1/JoinService.js';
import type { NodeCertificate } from '../../shared/grpc/gen/baton/v1/NodeCertificate.js';
import type { Logger } from '../../shared/logger.js';
import type { ClusterAuthority, NodeCertificateOut, Outcome } from './authority.js';
import { callerOf } from './authorize.js';

const toWire = (c: NodeCertificateOut): NodeCertificate => ({ certificate_pem: c.certificatePem, ca_pem: c.caPem, not_after_ms: c.notAfterMs });

export function joinServiceHandlers(authority: ClusterAuthority, log: Logger, onRefusal: (method: string, code: number, who: string, reason: string) => void): JoinServiceHandlers {
  const answer = (method: string, who: string, callback: sendUnaryData<NodeCertificate>) => (r: Outcome<NodeCertificateOut>) => {
    if (r.ok) return callback(null, toWire(r.value));
    log.warn({ method, who, code: Status[r.code], reason: r.error }, 'join refused');
    onRefusal(`/baton.v1.JoinService/${method}`, r.code, who, r.error);
    callback(new GrpcError(r.code, r.error));
  };
  const crashed = (callback: sendUnaryData<NodeCertificate>) => (err: unknown) => {
    log.error({ err }, 'certificate issuance failed');
    callback(new GrpcError(Status.INTERNAL, 'certificate issuance failed'));
  };
  const text = (v: unknown, field: string, max: number): string => {
    if (typeof v !== 'string' || v.length === 0) throw new GrpcError(Status.INVALID_ARGUMENT, `${field}: required`);
    if (v.length > max) throw new GrpcError(Status.INVALID_ARGUMENT, `${field}: longer than ${max} characters`);
    return v;
  };
  return {
    GetClusterCA(_call, callback) {
      callback(null, { ca_pem: authority.ca.certPem });
    },
    Join(call: ServerUnaryCall<{ secret: string; node_id: string; csr_pem: string }, NodeCertificate>, callback) {
      let req: { secret: string; nodeId: string; csrPem: string };
      try {
        req = { secret: text(call.request.secret, 'secret', 256), nodeId: text(call.request.node_id, 'node_id', 64), csrPem: text(call.request.csr_pem, 'csr_pem', 16_384) };
      } catch (err) {
        callback(err as GrpcError);
        return;
      }
      authority.join(req).then(answer('Join', `joining node ${req.nodeId} from ${call.getPeer()}`, callback), crashed(callback));
    },
    Renew(call: ServerUnaryCall<{ csr_pem: string }, NodeCertificate>, callback) {
      const p = callerOf(call, authority);
      if (p.kind !== 'node') {
        callback(new GrpcError(Status.PERMISSION_DENIED, 'only nodes renew certificates'));
        return;
      }
      let csr: string;
      try {
        csr = text(call.request.csr_pem, 'csr_pem', 16_384);
      } catch (err) {
        callback(err as GrpcError);
        return;
      }
      authority.renew(p.nodeId, csr).then(answer('Renew', `node ${p.nodeId}`, callback), crashed(callback));
    },
  };
}
