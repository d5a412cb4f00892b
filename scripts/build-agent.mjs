// Bundles `baton agent` (shared/cli/agent-main.ts) into one file, dist/agent.mjs, which
// dist/shared/cli/main.js runs for `baton agent`. One minified, tree-shaken file instead of some
// 400 modules, without the parts of its libraries the agent never runs, keeps the agent within its
// memory budget (issue 7: at most 50 MB RSS). Run by `npm run build`; `--analyze` prints what is in it.
// Also bundles the client commands (shared/cli/client-main.ts: `ps`, `nodes`, `deploy`, ...) into
// dist/cli.mjs, which main.js runs for them: one file loads in a fraction of the time of the ~150
// modules it replaces, which every `baton ps` paid at start-up.
import { analyzeMetafile, build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules replaced by a function that throws, keyed by the request and the package that makes it.
 * Each is loaded at start-up by a library the agent uses, for a feature the agent never uses.
 */
const STAND_INS = [
  // ssh:// DOCKER_HOST, which Baton does not offer; loads ssh2 and its native crypto. Unbundled runs
  // get the same stand-in through agent/lean-modules.ts.
  { request: './ssh', from: 'docker-modem', message: 'ssh:// DOCKER_HOST is not supported by the Baton agent; use unix:// or tcp://' },
  // BuildKit sessions and build contexts, for docker.buildImage(): the agent runs images, never builds them.
  { request: './session', from: 'dockerode', message: 'image builds are not supported by the Baton agent' },
  { request: 'tar-fs', from: 'dockerode', message: 'image builds are not supported by the Baton agent' },
  // Docker#followProgress, for BuildKit build output (the agent follows pulls with modem.followProgress):
  // it loads the whole of protobufjs, .proto parser included, for that alone.
  { request: './buildkit', from: 'dockerode', contents: "exports.followProgress = function () { throw new Error('BuildKit build output is not supported by the Baton agent'); };" },
  { request: '@balena/dockerignore', from: 'dockerode', message: 'image builds are not supported by the Baton agent' },
  // pino.transport() (worker-thread log transports): the agent logs to stderr through pino.destination().
  { request: 'thread-stream', from: 'pino', message: 'pino transports are not supported by the Baton agent' },
  // grpc-js's server side (Server, its calls and interceptors, ORCA server metrics): the agent is a
  // gRPC client only. index.js reads them through getters, so they load as nothing until used.
  { request: './server', from: '@grpc/grpc-js', contents: "exports.Server = function () { throw new Error('a gRPC server is not supported by the Baton agent'); };" },
  { request: './server-interceptors', from: '@grpc/grpc-js', contents: '' },
  { request: './orca', from: '@grpc/grpc-js', contents: '' },
  // Load-balancing policies only a service config selects (the coordinator sends none; the agent
  // dials one address with pick_first): registering them is all index.js does with them.
  { request: './load-balancer-weighted-round-robin', from: '@grpc/grpc-js', contents: 'exports.setup = function () {};' },
  { request: './load-balancer-outlier-detection', from: '@grpc/grpc-js', contents: 'exports.setup = function () {};' },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const leanModules = {
  name: 'lean-modules',
  setup(b) {
    for (const [i, s] of STAND_INS.entries()) {
      const inPackage = new RegExp(`node_modules[\\\\/]${escape(s.from)}([\\\\/]|$)`);
      b.onResolve({ filter: new RegExp(`^${escape(s.request)}$`) }, (a) =>
        inPackage.test(a.resolveDir) ? { path: String(i), namespace: 'stand-in' } : undefined,
      );
    }
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (a) => ({
      contents: STAND_INS[Number(a.path)].contents ?? `module.exports = function () { throw new Error(${JSON.stringify(STAND_INS[Number(a.path)].message)}); };`,
      loader: 'js',
    }));
    // Node built-ins loaded at start-up for one line each, replaced by what that line needs.
    const builtIn = (request, from, contents) =>
      b.onResolve({ filter: new RegExp(`^${escape(request)}$`) }, (a) =>
        new RegExp(`node_modules[\\\\/]${escape(from)}[\\\\/]`).test(a.resolveDir + '/') ? { path: request, namespace: 'built-in', pluginData: contents } : undefined,
      );
    // commander spawns executable subcommands, which `baton agent` has none of.
    builtIn('node:child_process', 'commander', `exports.spawn = function () { throw new Error('executable subcommands are not supported by the Baton agent'); };`);
    // pino asks whether it runs on the main thread; dist/agent.mjs only ever runs as a process's main module.
    builtIn('worker_threads', 'pino', 'exports.isMainThread = true;');
    b.onLoad({ filter: /.*/, namespace: 'built-in' }, (a) => ({ contents: a.pluginData, loader: 'js' }));
    // Certificate requests (agent/security/csr.ts) load @peculiar/x509 and WebCrypto, tens of MB:
    // the bundled agent runs them in a child process (dist/agent-csr.mjs, bundled below) instead.
    b.onResolve({ filter: /^\.\/csr\.js$/ }, (a) => (/agent[\\/]security$/.test(a.resolveDir) ? { path: 'csr', namespace: 'csr-stand-in' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'csr-stand-in' }, () => ({
      contents: `export async function createCsr() { throw new Error('dist/agent-csr.mjs is missing next to dist/agent.mjs: rebuild with npm run build'); }`,
      loader: 'js',
    }));
    // docker-modem's hijacked-connection stream only needs a Duplex: Node's own, rather than a second
    // copy of the streams implementation (readable-stream) loaded for it alone.
    b.onResolve({ filter: /^readable-stream$/ }, (a) => (/node_modules[\\/]docker-modem[\\/]/.test(a.resolveDir) ? { path: 'node:stream', external: true } : undefined));
    // `long` compiles a WebAssembly module at load for fast 64-bit multiply/divide, which brings in
    // V8's wasm compiler (about 1 MB RSS); the agent does no such arithmetic, so its own pure-JS
    // fallback is used: the module sees no WebAssembly global.
    // grpc-js moves its backoff deadlines with Date's local-time setters
    // (d.setMilliseconds(d.getMilliseconds() + delay)): the first local-time call loads ICU's time
    // zone data, which no other code in the agent needs (about 0.5 MB RSS). Adding milliseconds to
    // the epoch time gives the same instant (setTime is timezone-free); the build fails if the
    // pattern is gone from backoff-timeout.js, which every reconnect runs. (Outlier detection, the
    // other user of the pattern, is a stand-in above.)
    const LOCAL_MS = /([\w.]+)\.setMilliseconds\(\1\.getMilliseconds\(\) \+/g;
    b.onLoad({ filter: /node_modules[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/]backoff-timeout\.js$/ }, async (a) => {
      const text = await (await import('node:fs/promises')).readFile(a.path, 'utf8');
      const contents = text.replace(LOCAL_MS, '$1.setTime($1.getTime() +');
      if (contents === text) throw new Error(`${a.path}: setMilliseconds(getMilliseconds() + delay) not found; update scripts/build-agent.mjs`);
      return { contents, loader: 'js' };
    });
    b.onLoad({ filter: /node_modules[\\/]long[\\/]umd[\\/]index\.js$/ }, async (a) => ({
      contents: `var WebAssembly = undefined;\n${await (await import('node:fs/promises')).readFile(a.path, 'utf8')}`,
      loader: 'js',
    }));
  },
};

/**
 * Both bundles: proto-loader without the descriptors only reflection reads
 * (shared/grpc/lean-proto-loader.ts), for shared/grpc/load.ts, which loads the protocol from the
 * JSON defined as __BATON_PROTO_JSON__, and for grpc-js's channelz, which loads its .proto only when
 * a server adds the admin services (neither bundle runs a server; its loadSync throws a clear error).
 */
const leanProtoLoader = {
  name: 'lean-proto-loader',
  setup(b) {
    b.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: join(root, 'shared', 'grpc', 'lean-proto-loader.ts') }));
  },
};

/** proto/baton.proto as protobufjs JSON, resolved (the build fails on a type that does not resolve). */
async function protoJson() {
  const pb = createRequire(createRequire(import.meta.url).resolve('@grpc/proto-loader'))('protobufjs');
  const { readFile } = await import('node:fs/promises');
  const options = JSON.parse(await readFile(join(root, 'shared', 'grpc', 'loader-options.json'), 'utf8'));
  const proto = new pb.Root().loadSync(join(root, 'proto', 'baton.proto'), { keepCase: options.keepCase });
  proto.resolveAll();
  return { pb, proto };
}

/**
 * The part of proto/baton.proto the agent speaks, as protobufjs JSON: AgentService and JoinService
 * and every type they reach (51 of 127 types; the enclosing messages of a nested one included), so
 * the agent keeps no reflection objects, method definitions or client class for ControlService and
 * the ~70 types only it uses. The bundled agent loads it with the lean proto-loader's fromJSON (see
 * shared/grpc/load.ts), which also skips parsing the .proto text at start-up.
 */
function agentProtoJson({ pb, proto }) {
  const services = ['baton.v1.AgentService', 'baton.v1.JoinService'].map((name) => proto.lookupService(name));
  const kept = new Set(services);
  const keep = (t) => {
    if (!t || kept.has(t) || !(t instanceof pb.Type || t instanceof pb.Enum)) return;
    kept.add(t);
    keep(t.parent);
    if (t instanceof pb.Type) for (const f of t.fieldsArray) keep(f.resolve().resolvedType);
  };
  for (const s of services) for (const m of s.methodsArray) (m.resolve(), keep(m.resolvedRequestType), keep(m.resolvedResponseType));
  const json = proto.toJSON();
  const prune = (ns, js) => {
    for (const child of ns.nestedArray ?? []) {
      const cj = js.nested?.[child.name];
      if (!cj) continue;
      const isLeaf = child instanceof pb.Type || child instanceof pb.Enum || child instanceof pb.Service;
      if (isLeaf && !kept.has(child)) {
        delete js.nested[child.name];
        continue;
      }
      if (child.nestedArray?.length && cj.nested) {
        prune(child, cj);
        if (!Object.keys(cj.nested).length) delete cj.nested;
      }
      if (!isLeaf && !cj.nested) delete js.nested[child.name];
    }
  };
  prune(proto, json);
  // Fails the build if the services or a type they use went missing from the copy.
  pb.Root.fromJSON(json).resolveAll();
  return json;
}

/** What both bundles share: one minified ES module for Node 20. */
const bundleOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  treeShaking: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __batonRequire } from 'node:module'; const require = __batonRequire(import.meta.url);" },
};

// Parsed once for both bundles: agentProtoJson() takes its part, dist/cli.mjs all of it.
const protocol = await protoJson();

const result = await build({
  ...bundleOptions,
  entryPoints: ['shared/cli/agent-main.ts'],
  outfile: 'dist/agent.mjs',
  metafile: true,
  plugins: [leanModules, leanProtoLoader],
  // A string, parsed where it is used: a defined object would stay in memory for the life of the process.
  define: { __BATON_PROTO_JSON__: JSON.stringify(JSON.stringify(agentProtoJson(protocol))) },
});

// The agent's certificate requests, run as a child process of the agent (agent/security/csr-child.ts).
await build({ ...bundleOptions, entryPoints: ['agent/security/csr-main.ts'], outfile: 'dist/agent-csr.mjs' });

// The client commands need none of the agent's stand-ins: nothing they load reaches dockerode or pino.
// They load the whole protocol from JSON, with the lean proto-loader: no .proto text to parse.
await build({
  ...bundleOptions,
  entryPoints: ['shared/cli/client-main.ts'],
  outfile: 'dist/cli.mjs',
  plugins: [leanProtoLoader],
  define: { __BATON_PROTO_JSON__: JSON.stringify(JSON.stringify(protocol.proto.toJSON())) },
});

// The `baton` bin is also a shell script (see shared/cli/main.ts); executable as npm makes an installed bin.
await chmod(join(root, 'dist', 'shared', 'cli', 'main.js'), 0o755);

if (process.argv.includes('--analyze')) process.stdout.write(await analyzeMetafile(result.metafile));
