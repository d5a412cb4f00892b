// The secret and config calls of ControlService (who may call which: security/authorize.ts). A
// secret's content comes in (CreateSecret) and is never sent back; a config's may be (InspectConfig).
// Names and sizes are logged, content never.
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { FileObjectKind } from '../../shared/compose/file-objects.js';
import { GrpcError, isExpectedError, Status, toGrpcStatus } from '../../shared/grpc/errors.js';
import type { ControlServiceHandlers } from '../../shared/grpc/gen/baton/v1/ControlService.js';
import type { FileObjectInfo as FileObjectInfoWire } from '../../shared/grpc/gen/baton/v1/FileObjectInfo.js';
import type { ListFileObjectsRequest__Output } from '../../shared/grpc/gen/baton/v1/ListFileObjectsRequest.js';
import type { ListFileObjectsResponse } from '../../shared/grpc/gen/baton/v1/ListFileObjectsResponse.js';
import type { Logger } from '../../shared/logger.js';
import { writeBatches } from '../list-stream.js';
import type { FileObjectInfo, SecretStore } from './secret-store.js';

export type SecretHandlers = Pick<ControlServiceHandlers, 'CreateSecret' | 'ListSecrets' | 'RemoveSecret' | 'CreateConfig' | 'ListConfigs' | 'RemoveConfig' | 'InspectConfig'>;

export function secretHandlers(secrets: SecretStore | undefined, log: Logger): SecretHandlers {
  const need = (): SecretStore => {
    if (!secrets) throw new GrpcError(Status.UNIMPLEMENTED, 'this coordinator has no secret store');
    return secrets;
  };
  const failed = (err: unknown) => {
    if (!isExpectedError(err)) log.error({ err }, 'secret request failed');
    return toGrpcStatus(err);
  };
  const unary =
    <Req, Res>(fn: (req: Req) => Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      try {
        callback(null, fn(call.request));
      } catch (err) {
        callback(failed(err));
      }
    };
  const toWire = (i: FileObjectInfo): FileObjectInfoWire => ({ name: i.name, size_bytes: i.sizeBytes, created_at_ms: i.createdAtMs, stack: i.stack, used_by: i.usedBy });
  const create = (kind: FileObjectKind) =>
    unary((req: { name: string; data: Buffer }) => {
      const r = need().create(kind, req.name, req.data ?? Buffer.alloc(0));
      log.info({ kind, name: r.name, sizeBytes: r.sizeBytes }, `${kind === 'secrets' ? 'secret' : 'config'} created`);
      return { name: r.name, size_bytes: r.sizeBytes, created_at_ms: Date.now(), stack: '', used_by: [] };
    });
  const remove = (kind: FileObjectKind) =>
    unary((req: { name: string }) => {
      need().remove(kind, req.name);
      log.info({ kind, name: req.name }, `${kind === 'secrets' ? 'secret' : 'config'} removed`);
      return { name: req.name };
    });
  const listing = (kind: FileObjectKind) => (call: ServerWritableStream<ListFileObjectsRequest__Output, ListFileObjectsResponse>) => {
    const fail = (err: unknown) => {
      if (!call.cancelled) call.emit('error', failed(err));
    };
    let items: FileObjectInfo[];
    try {
      items = need().list(kind);
    } catch (err) {
      fail(err);
      return;
    }
    writeBatches(call, items, toWire, (batch) => ({ items: batch })).then((outcome) => {
      if (outcome === 'written') call.end();
    }, fail);
  };
  return {
    CreateSecret: create('secrets'),
    ListSecrets: listing('secrets'),
    RemoveSecret: remove('secrets'),
    CreateConfig: create('configs'),
    ListConfigs: listing('configs'),
    RemoveConfig: remove('configs'),
    InspectConfig: unary((req: { name: string }) => ({ name: req.name, data: need().configContent(req.name) })),
  };
}
