// The security calls of ControlService (admin only, by the interceptor's table): the join token,
// operator credentials, node removal, cordon/drain and rebalance (operator actions, named in their
// events), and who the caller is.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { GrpcError, isExpectedError, Status, toGrpcStatus } from '../../shared/grpc/errors.js';
import type { ControlServiceHandlers } from '../../shared/grpc/gen/baton/v1/ControlService.js';
import type { Logger } from '../../shared/logger.js';
import type { NodePool } from '../node-pool.js';
import type { NodeSchedules } from '../node-schedule.js';
import { rebalanceToWire, toNodeInfo } from '../control-service.js';
import type { Rebalancer } from '../rebalance/rebalancer.js';
import type { ClusterAuthority } from './authority.js';
import { callerOf, describePrincipal } from './authorize.js';

type SecurityHandlers = Pick<ControlServiceHandlers, 'GetJoinToken' | 'CreateCredential' | 'RevokeCredential' | 'RemoveNode' | 'WhoAmI' | 'SetNodeSchedule' | 'LabelNode' | 'Rebalance'>;

export function securityHandlers(authority: ClusterAuthority | undefined, pool: NodePool, log: Logger, schedules?: NodeSchedules, rebalancer?: Rebalancer): SecurityHandlers {
  const run =
    <Req, Res>(fn: (req: Req, who: string) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      const who = describePrincipal(callerOf(call, authority));
      Promise.resolve()
        .then(() => fn(call.request, who))
        .then(
          (res) => callback(null, res),
          (err: unknown) => {
            // The project's one error mapping (as control-service.ts): expected errors carry their code.
            if (!isExpectedError(err)) log.error({ err }, 'security request failed');
            callback(toGrpcStatus(err));
          },
        );
    };
  const need = (): ClusterAuthority => {
    if (!authority) throw new GrpcError(Status.FAILED_PRECONDITION, 'this coordinator runs with --insecure: it has no CA, tokens or credentials');
    return authority;
  };
  return {
    GetJoinToken: run(async (req: { rotate: boolean }, who) => {
      const a = need();
      const token = req.rotate ? await a.rotateToken() : a.joinToken();
      if (req.rotate) log.warn({ who }, 'join token rotated');
      return { token, ca_hash: a.caHash };
    }),
    CreateCredential: run(async (req: { name: string; role: string; ttl_ms: number | string }, who) => {
      const r = await need().createCredential(req.name, req.role, Number(req.ttl_ms));
      if (!r.ok) throw new GrpcError(r.code, r.error);
      log.info({ who, name: r.value.name, role: r.value.role }, 'credential created');
      const v = r.value;
      return { name: v.name, role: v.role, ca_pem: v.caPem, certificate_pem: v.certificatePem, key_pem: v.keyPem, not_after_ms: v.notAfterMs };
    }),
    RevokeCredential: run(async (req: { name: string }, who) => {
      if (!(await need().revoke('operator', req.name))) throw new GrpcError(Status.NOT_FOUND, `credential ${JSON.stringify(req.name)}: no such operator credential`);
      log.warn({ who, name: req.name }, 'credential revoked');
      return { name: req.name };
    }),
    RemoveNode: run(async (req: { node: string; force: boolean }, who) => {
      if (!req.node) throw new GrpcError(Status.INVALID_ARGUMENT, 'node: required (a node name or id)');
      const r = pool.remove(req.node, req.force, `removed by ${who}`);
      if (!r.ok) throw new GrpcError(r.notFound ? Status.NOT_FOUND : Status.FAILED_PRECONDITION, r.message);
      if (authority) await authority.revoke('node', r.nodeId);
      return { node_id: r.nodeId, name: r.name };
    }),
    // Here for the caller's name in the event (an operator action on a node, as RemoveNode).
    SetNodeSchedule: run(async (req: { node: string; action: string; deadline_ms: number | string }, who) => {
      if (!schedules) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not schedule work');
      const id = await schedules.set(req.node, req.action, Number(req.deadline_ms), who);
      log.info({ who, node: req.node, action: req.action }, 'node schedule changed');
      return toNodeInfo(pool.get(id)!, false, schedules.remaining().get(id)?.length ?? 0);
    }),
    LabelNode: run(async (req: { node: string; set: Record<string, string>; remove: string[] }, who) => {
      if (!schedules) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not schedule work');
      const id = await schedules.label(req.node, req.set ?? {}, req.remove ?? [], who);
      log.info({ who, node: req.node, set: req.set, remove: req.remove }, 'node labels changed');
      return toNodeInfo(pool.get(id)!, false, schedules.remaining().get(id)?.length ?? 0);
    }),
    // Here for the caller's name in its event, as SetNodeSchedule.
    Rebalance: run(async (req: { stack: string; strategy: string; dry_run: boolean }, who) => {
      if (!rebalancer) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator does not schedule work');
      const v = await rebalancer.rebalance({ stack: req.stack ?? '', strategy: req.strategy ?? '', dryRun: req.dry_run === true }, who);
      if (v.state === 'running') log.info({ who, id: v.id, moves: v.moves.length, strategy: v.strategy }, 'rebalance started');
      return rebalanceToWire(v);
    }),
    WhoAmI(call, callback) {
      const p = callerOf(call, authority);
      const [role, name] = p.kind === 'operator' ? [p.role, p.name] : p.kind === 'node' ? ['node', p.nodeId] : ['anonymous', ''];
      callback(null, { role, name, insecure: !authority });
    },
  };
}
