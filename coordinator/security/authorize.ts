// Who may call what. One server interceptor checks every call of every service before its handler
// runs: the caller's certificate (verified by TLS against the cluster CA; grpc-js's auth context is
// empty for none, a foreign CA or an expired one), its identity (subject CN and OU) and serial
// against the store's allowlist, then the method's rule. Refusals are logged and counted.
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';

/** grpc-js's auth context (not exported from its index). */
export interface AuthContext {
  transportSecurityType?: string;
  sslPeerCertificate?: PeerCertificate;
}
import type { Logger } from '../../shared/logger.js';
import { CERT_ORGANISATION } from '../../shared/security/names.js';

export type Rule = 'public' | 'node' | 'read' | 'admin';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'node'; nodeId: string; serial: string }
  | { kind: 'operator'; name: string; role: 'admin' | 'viewer'; serial: string }
  /** A coordinator started with --insecure: every caller is this. */
  | { kind: 'insecure' };

const READ_METHODS = ['ListNodes', 'GetNode', 'WatchEvents', 'ListEvents', 'Plan', 'ListServices', 'ListReplicas', 'Logs', 'RolloutStatus', 'History', 'ListEndpoints', 'AutoscaleStatus', 'WhoAmI', 'ListSecrets', 'ListConfigs', 'InspectConfig', 'ListVolumes', 'Top', 'Usage', 'RebalanceStatus'];
const ADMIN_METHODS = ['Deploy', 'Scale', 'Remove', 'Rollback', 'GetJoinToken', 'CreateCredential', 'RevokeCredential', 'RemoveNode', 'SetNodeSchedule', 'LabelNode', 'Rebalance', 'CreateSecret', 'RemoveSecret', 'CreateConfig', 'RemoveConfig'];

/** Every method of every service and who may call it; a method not listed is refused (fail closed). */
export const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  ['/baton.v1.JoinService/GetClusterCA', 'public'],
  ['/baton.v1.JoinService/Join', 'public'],
  ['/baton.v1.JoinService/Renew', 'node'],
  ['/baton.v1.AgentService/Connect', 'node'],
  ...READ_METHODS.map((m): [string, Rule] => [`/baton.v1.ControlService/${m}`, 'read']),
  ...ADMIN_METHODS.map((m): [string, Rule] => [`/baton.v1.ControlService/${m}`, 'admin']),
]);

export type Verdict = { ok: true; principal: Principal } | { ok: false; code: grpc.status; reason: string; who: string };

/** The identity a verified peer certificate claims, before the allowlist is consulted. */
export function claimed(cert: PeerCertificate | undefined): { key: string; role: string; name: string; serial: string } | undefined {
  if (!cert?.subject) return undefined;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const cn = one(cert.subject.CN);
  const ou = one(cert.subject.OU);
  const o = one(cert.subject.O);
  if (!cn || !ou || o !== CERT_ORGANISATION || !cert.serialNumber) return undefined;
  const kind = ou === 'node' ? 'node' : ou === 'admin' || ou === 'viewer' ? 'operator' : undefined;
  if (!kind) return { key: `${ou}/${cn}`, role: ou, name: cn, serial: cert.serialNumber };
  return { key: `${kind}/${cn}`, role: ou, name: cn, serial: cert.serialNumber };
}

export interface Authorizer {
  /** Whether the store still lists this certificate (not revoked, not replaced). */
  accepts(identityKey: string, serial: string, role: string): boolean;
}

/** The caller behind a call's auth context, or why it is not one. Pure but for the allowlist lookup. */
export function principalOf(auth: AuthContext | null | undefined, authorizer: Authorizer): { principal: Principal } | { refused: string; who: string } {
  const cert = auth?.sslPeerCertificate;
  if (!cert) return { principal: { kind: 'anonymous' } };
  const c = claimed(cert);
  if (!c) return { refused: 'the certificate names no Baton identity', who: 'unknown certificate' };
  const who = `${c.role} ${c.name}`;
  if (c.role === 'coordinator') return { refused: 'a coordinator certificate is not a client identity', who };
  if (!authorizer.accepts(c.key, c.serial, c.role)) return { refused: 'the certificate was revoked (or replaced)', who };
  if (c.role === 'node') return { principal: { kind: 'node', nodeId: c.name, serial: c.serial } };
  return { principal: { kind: 'operator', name: c.name, role: c.role as 'admin' | 'viewer', serial: c.serial } };
}

export function describePrincipal(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'no certificate';
    case 'insecure':
      return 'insecure';
    case 'node':
      return `node ${p.nodeId}`;
    case 'operator':
      return `${p.role} ${p.name}`;
  }
}

/** The decision for one call (pure): method rule x principal. */
export function decide(method: string, found: { principal: Principal } | { refused: string; who: string }): Verdict {
  const rule = RULES.get(method);
  if ('refused' in found) {
    // A revoked certificate on a public call still gets nothing: it is no one we know.
    return { ok: false, code: grpc.status.UNAUTHENTICATED, reason: found.refused, who: found.who };
  }
  const p = found.principal;
  const who = describePrincipal(p);
  if (p.kind === 'insecure') return { ok: true, principal: p };
  if (rule === undefined) return { ok: false, code: grpc.status.PERMISSION_DENIED, reason: 'no rule for this method', who };
  if (rule === 'public') return { ok: true, principal: p };
  if (p.kind === 'anonymous') return { ok: false, code: grpc.status.UNAUTHENTICATED, reason: 'a client certificate from this cluster is required (`baton credentials create`, or join with a token)', who };
  if (rule === 'node') return p.kind === 'node' ? { ok: true, principal: p } : { ok: false, code: grpc.status.PERMISSION_DENIED, reason: 'only nodes may call this', who };
  if (p.kind !== 'operator') return { ok: false, code: grpc.status.PERMISSION_DENIED, reason: 'a node certificate cannot use the control service', who };
  if (rule === 'admin' && p.role !== 'admin') return { ok: false, code: grpc.status.PERMISSION_DENIED, reason: 'the viewer role may only list and read', who };
  return { ok: true, principal: p };
}

export interface RefusalSink {
  (method: string, code: grpc.status, who: string, reason: string): void;
}

/** The interceptor: decides at the call's metadata, before the handler sees a message. */
export function authorizationInterceptor(authorizer: Authorizer, log: Logger, onRefusal: RefusalSink): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, mdNext) {
            const v = decide(method.path, principalOf(call.getAuthContext(), authorizer));
            if (v.ok) return mdNext(metadata);
            const peer = call.getPeer();
            log.warn({ method: method.path, who: v.who, peer, code: grpc.status[v.code], reason: v.reason }, 'call refused');
            onRefusal(method.path, v.code, v.who, v.reason);
            call.sendStatus({ code: v.code, details: `${v.reason} (${v.who}, ${method.path.split('/').pop()})`, metadata: new grpc.Metadata() });
          },
        });
      },
    });
}

/** The principal of a call already let through (handlers use it to bind identity to content). */
export function callerOf(call: { getAuthContext?: () => AuthContext | null }, authorizer: Authorizer | undefined): Principal {
  if (!authorizer) return { kind: 'insecure' };
  const found = principalOf(call.getAuthContext?.(), authorizer);
  return 'principal' in found ? found.principal : { kind: 'anonymous' };
}
