// Loads proto/baton.proto at run time with the same options the generated types were made with.
// The one `as unknown as ProtoGrpcType` cast of the project lives here.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from './gen/baton.js';

/** The project root: found by walking up from this file, so it works from sources and from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'proto', 'baton.proto')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find proto/baton.proto above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

let cached: ProtoGrpcType | undefined;

/**
 * The loader options, read from the JSON file the type generator also reads. JSON names the
 * output types as strings; proto-loader wants the constructors.
 */
export function loaderOptions(root = packageRoot()): protoLoader.Options {
  const raw = JSON.parse(readFileSync(join(root, 'shared', 'grpc', 'loader-options.json'), 'utf8')) as Record<string, unknown>;
  const ctor = (v: unknown) => (v === 'String' ? String : v === 'Number' ? Number : v);
  return { ...raw, longs: ctor(raw.longs), enums: ctor(raw.enums) } as protoLoader.Options;
}

/**
 * In the bundles only (scripts/build-agent.mjs defines it): the protocol as protobufjs JSON, loaded
 * with shared/grpc/lean-proto-loader.ts in place of proto-loader (no .proto text parsed at start-up,
 * no reflection descriptors built). dist/agent.mjs carries the part of baton.proto the agent speaks
 * (AgentService and JoinService and the types they use, not ControlService: bench:agent 0.5 MB RSS
 * less); dist/cli.mjs carries all of it (every client command starts about 50 ms sooner). Unbundled
 * runs (the coordinator, tests from sources) do not define it and load the .proto file.
 */
declare const __BATON_PROTO_JSON__: string;

export function loadProto(): ProtoGrpcType {
  if (cached) return cached;
  const root = packageRoot();
  const def =
    typeof __BATON_PROTO_JSON__ === 'undefined'
      ? protoLoader.loadSync(join(root, 'proto', 'baton.proto'), loaderOptions(root))
      : protoLoader.fromJSON(JSON.parse(__BATON_PROTO_JSON__) as Parameters<typeof protoLoader.fromJSON>[0], loaderOptions(root));
  cached = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  return cached;
}

/** Largest message either side accepts; a bigger one is refused with RESOURCE_EXHAUSTED. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
