// @grpc/proto-loader's fromJSON() without what only reflection uses, for the bundles
// (dist/agent.mjs, dist/cli.mjs): scripts/build-agent.mjs puts this module in place of
// @grpc/proto-loader there. Everything else (the coordinator, the full CLI program, tests from
// sources) loads the real one.
//
// proto-loader gives every message and enum definition, besides its serializers, `type` (its
// DescriptorProto as a plain object, with every default filled in) and `fileDescriptorProtos` (the
// encoded descriptor of the whole file). Only reflection reads them: grpc-js's client does not,
// and neither bundle serves anything. Building them takes protobufjs's descriptor extension (the types
// of descriptor.proto, generated code and all) and keeps some 150 descriptor objects for the
// life of the process. Here the same definitions are built without them, from protobufjs's light
// build (no .proto parser: the bundles carry their types as JSON). test/unit/lean-proto-loader.test.ts
// checks the definitions against proto-loader's, method by method and type by type.
import type { Options, PackageDefinition } from '@grpc/proto-loader';
import camelCase from 'lodash.camelcase';
// A default import: protobufjs is CommonJS and sets its exports at run time, which Node's named-export detection cannot see.
import Protobuf from 'protobufjs/light.js';

type Message = Protobuf.Type;

function serializer(cls: Message) {
  return (arg: object): Buffer => {
    if (Array.isArray(arg)) throw new Error(`Failed to serialize message: expected object with ${cls.name} structure, got array instead`);
    return cls.encode(cls.fromObject(arg)).finish() as Buffer;
  };
}

function deserializer(cls: Message, options: Options) {
  return (buf: Buffer): object => cls.toObject(cls.decode(buf), options);
}

function messageDefinition(cls: Message, options: Options) {
  return { format: 'Protocol Buffer 3 DescriptorProto', serialize: serializer(cls), deserialize: deserializer(cls, options) };
}

type MethodOptions = { deprecated: boolean; idempotency_level: string; uninterpreted_option: unknown[] } & Record<string, unknown>;

/** proto-loader's mapMethodOptions: the method's parsed options folded into one object. */
function methodOptions(parsed: Record<string, unknown>[] | undefined): MethodOptions {
  const out: MethodOptions = { deprecated: false, idempotency_level: 'IDEMPOTENCY_UNKNOWN', uninterpreted_option: [] };
  for (const item of parsed ?? []) {
    for (const [key, value] of Object.entries(item)) {
      if (key === 'uninterpreted_option') out.uninterpreted_option.push(item.uninterpreted_option);
      else out[key] = value;
    }
  }
  return out;
}

function serviceDefinition(service: Protobuf.Service, name: string, options: Options) {
  const def: Record<string, unknown> = {};
  for (const method of service.methodsArray) {
    // resolveAll() ran: both types are resolved.
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    def[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request, options),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response, options),
      originalName: camelCase(method.name),
      requestType: messageDefinition(request, options),
      responseType: messageDefinition(response, options),
      options: methodOptions((method as unknown as { parsedOptions?: Record<string, unknown>[] }).parsedOptions),
    };
  }
  return def;
}

function collect(obj: Protobuf.ReflectionObject, parent: string, out: Record<string, unknown>, options: Options): void {
  const name = parent === '' ? obj.name : `${parent}.${obj.name}`;
  if (obj instanceof Protobuf.Service) out[name] = serviceDefinition(obj, name, options);
  else if (obj instanceof Protobuf.Type) out[name] = messageDefinition(obj, options);
  else if (obj instanceof Protobuf.Enum) out[name] = { format: 'Protocol Buffer 3 EnumDescriptorProto' };
  else if (obj instanceof Protobuf.Namespace && obj.nested) for (const child of Object.values(obj.nested)) collect(child, name, out, options);
}

/** proto-loader's fromJSON(), without `type` and `fileDescriptorProtos` (see above). */
export function fromJSON(json: Protobuf.INamespace, options: Options = {}): PackageDefinition {
  const root = Protobuf.Root.fromJSON(json);
  root.resolveAll();
  const out: Record<string, unknown> = {};
  collect(root, '', out, options);
  return out as unknown as PackageDefinition;
}

export function loadSync(): never {
  throw new Error('the Baton bundles (dist/agent.mjs, dist/cli.mjs) load their protocol from the JSON built into them, not from .proto files');
}
