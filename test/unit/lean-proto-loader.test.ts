// The agent bundle's proto-loader (shared/grpc/lean-proto-loader.ts) against the real one, on the
// whole of baton.proto as JSON with the project's loader options: the same definitions by name,
// the same method paths, streaming flags, aliases and options, and, for every message type, the
// same bytes from its serializer and the same object from its deserializer, for a message with
// every field set (nested messages, repeated and map fields, oneofs, enums, 64-bit integers).
// Only `type` and `fileDescriptorProtos` (reflection's) are left out.
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import t from 'tap';
import { fromJSON, loadSync } from '../../shared/grpc/lean-proto-loader.js';
import { loaderOptions, packageRoot } from '../../shared/grpc/load.js';

const options = loaderOptions();
const reflection = new protobuf.Root().loadSync(join(packageRoot(), 'proto', 'baton.proto'), { keepCase: true });
reflection.resolveAll();
const json = reflection.toJSON();
const real = protoLoader.fromJSON(json, options) as Record<string, unknown>;
const lean = fromJSON(json, options) as Record<string, unknown>;

type Serial = { serialize(o: object): Buffer; deserialize(b: Buffer): object };

/** A message of `type` with every field set, nested messages to `depth`. */
function filled(type: protobuf.Type, depth = 3): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const oneofTaken = new Set<string>();
  for (const field of type.fieldsArray) {
    field.resolve();
    if (field.partOf) {
      if (oneofTaken.has(field.partOf.name)) continue;
      oneofTaken.add(field.partOf.name);
    }
    const value = (): unknown => {
      if (field.resolvedType instanceof protobuf.Enum) return Object.keys(field.resolvedType.values).at(-1);
      if (field.resolvedType instanceof protobuf.Type) return depth > 0 ? filled(field.resolvedType, depth - 1) : {};
      switch (field.type) {
        case 'string':
          return `${field.name}-é`;
        case 'bytes':
          return Buffer.from([1, 2, 250]);
        case 'bool':
          return true;
        case 'double':
        case 'float':
          return 1.5;
        case 'int64':
        case 'sint64':
        case 'sfixed64':
          return -(2 ** 40) - 3;
        case 'uint64':
        case 'fixed64':
          return 2 ** 40 + 3;
        default:
          return field.type.startsWith('u') || field.type.startsWith('fixed') ? 7 : -7;
      }
    };
    if (field instanceof protobuf.MapField) out[field.name] = { k1: value(), k2: value() };
    else out[field.name] = field.repeated ? [value(), value()] : value();
  }
  return out;
}

t.test('the same definitions, by name', async (t) => {
  t.same(Object.keys(lean).sort(), Object.keys(real).sort());
  t.ok(Object.keys(real).length > 100, `${Object.keys(real).length} definitions`);
});

t.test('services: the same methods, paths, streaming, aliases and options; a client class from each', async (t) => {
  let methods = 0;
  for (const [name, def] of Object.entries(real)) {
    if ('format' in (def as object)) continue;
    const r = def as Record<string, Record<string, unknown>>;
    const l = lean[name] as Record<string, Record<string, unknown>>;
    t.same(Object.keys(l), Object.keys(r), `${name}: the same methods`);
    for (const [m, rm] of Object.entries(r)) {
      const lm = l[m]!;
      for (const key of ['path', 'requestStream', 'responseStream', 'originalName', 'options'] as const) t.same(lm[key], rm[key], `${name}.${m} ${key}`);
      t.equal((lm.requestType as { format: string }).format, (rm.requestType as { format: string }).format);
      methods++;
    }
  }
  t.ok(methods >= 30, `${methods} methods compared`);
  const pkg = grpc.loadPackageDefinition(lean as protoLoader.PackageDefinition) as unknown as { baton: { v1: Record<string, unknown> } };
  for (const s of ['AgentService', 'JoinService', 'ControlService']) t.type(pkg.baton.v1[s], 'function', `grpc-js makes a client class of ${s}`);
});

t.test('every message type: the same bytes and the same object back', async (t) => {
  let types = 0;
  for (const [name, def] of Object.entries(real)) {
    const r = def as { format?: string } & Partial<Serial>;
    if (r.format !== 'Protocol Buffer 3 DescriptorProto') continue;
    const l = lean[name] as Serial & { format: string; type?: unknown; fileDescriptorProtos?: unknown };
    t.equal(l.format, r.format, name);
    t.equal(l.type, undefined, `${name}: no descriptor object`);
    t.equal(l.fileDescriptorProtos, undefined, `${name}: no file descriptors`);
    const message = filled(reflection.lookupType(name));
    const bytes = r.serialize!(message);
    t.same(l.serialize(message), bytes, `${name}: the same bytes (${bytes.length})`);
    t.same(l.deserialize(bytes), r.deserialize!(bytes), `${name}: the same object`);
    types++;
  }
  t.ok(types > 100, `${types} message types compared`);
  const [first] = Object.keys(real).filter((n) => (real[n] as { format?: string }).format === 'Protocol Buffer 3 EnumDescriptorProto');
  t.same(lean[first!], { format: 'Protocol Buffer 3 EnumDescriptorProto' }, 'an enum: its format only');
});

t.test('an array where a message belongs: the same error as proto-loader', async (t) => {
  const name = 'baton.v1.AgentMessage';
  const r = real[name] as Serial;
  const l = lean[name] as Serial;
  t.throws(() => r.serialize([] as unknown as object), /expected object with AgentMessage structure, got array instead/);
  t.throws(() => l.serialize([] as unknown as object), /expected object with AgentMessage structure, got array instead/);
});

t.test('loadSync is refused with the reason', async (t) => {
  t.throws(() => loadSync(), /the Baton bundles \(dist\/agent\.mjs, dist\/cli\.mjs\) load their protocol from the JSON built into them, not from \.proto files/);
});
