// The entry point: Compose file text in, a validated StackSpec (or every problem found) out. Never
// throws for anything a file can contain.
//
// Stages: YAML -> plain tree -> interpolation and Compose's casts -> unsupported-key report -> schema per service ->
// normalisation -> stack-wide dependency checks. Later stages still run when earlier ones found
// problems, so one run lists everything there is to fix.

import { castComposeValue } from './casts.js';
import { checkDependencies } from './dependencies.js';
import { parseServiceMounts, parseTopLevel } from './file-objects.js';
import { parseServiceVolumes, parseVolumeDefinitions } from './volumes.js';
import { parseNetworkDefinitions, parseServiceNetworks } from './networks.js';
import { parseDocument, isScalar } from 'yaml';
import { type Finding, type Findings, mergeFindings, type PathSegment } from './findings.js';
import { interpolateTree } from './interpolate.js';
import { sortByDocumentOrder, toSpecIssue } from './issues.js';
import { checkKeyPolicy } from './key-policy.js';
import { normaliseService } from './normalise-service.js';
import { quote } from './result.js';
import { documentSchema, serviceSchema, TENANT_EXPECTED, TENANT_RE } from './service-schema.js';
import type { FileMountSpec, MountSpec, NetworkAttachment, ServiceSpec, SpecIssue, StackSpec } from './types.js';
import { loadYaml } from './yaml-load.js';
import { PARSE_PARAMS, zodFindings } from './zod-support.js';

export interface ParseOptions {
  /** Name used for the file in every issue, e.g. `compose.yaml`. */
  readonly file: string;
  /** Variables for `${VAR}` interpolation and for bare `KEY` environment entries. @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The stack name when the file has no top-level `name`. */
  readonly stackName?: string;
  /** The tenant when the file's top-level `x-baton.tenant` does not name one (`baton deploy --tenant`). */
  readonly tenant?: string;
  /**
   * The files the document refers to (env_file, secrets/configs `file:`), keyed by the path as
   * written; a reference missing here is an error naming its key. See referenced-files.ts. @default none
   */
  readonly files?: ReadonlyMap<string, Uint8Array>;
}

export type ParseResult =
  | { readonly ok: true; readonly stack: StackSpec; readonly warnings: SpecIssue[] }
  | { readonly ok: false; readonly errors: SpecIssue[]; readonly warnings: SpecIssue[] };

// Compose project names; they become prefixes of container names.
const STACK_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
// Docker service/container name characters, capped at a DNS label's length.
const SERVICE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function parseCompose(text: string, opts: ParseOptions): ParseResult {
  const env = opts.env ?? {};
  const issues = (list: readonly Finding[], tree: unknown): SpecIssue[] =>
    sortByDocumentOrder(list, tree).map((f) => toSpecIssue(opts.file, f));

  const loaded = loadYaml(text);
  if (!loaded.ok) return { ok: false, errors: issues(loaded.errors, null), warnings: issues(loaded.warnings, null) };

  if (!isPlainMap(loaded.value)) {
    // Nothing else can be checked, and "name is required" on top would only distract.
    const message =
      loaded.value == null ? 'the file is empty; it needs at least a services mapping' : `must be a mapping with a services key, got ${quote(loaded.value)}`;
    return { ok: false, errors: issues([{ path: [], message }], null), warnings: issues(loaded.warnings, null) };
  }
  const findings: Findings = { errors: [], warnings: [...loaded.warnings] };
  // Top-level x-* blocks are ignored by Baton, so a `${VAR:?}` inside one must not block a deploy.
  // Strings Compose casts (`replicas: "3"`) become numbers and booleans here, before anything checks types.
  const interpolated = interpolateTree(loaded.value, env, {
    // (Baton's own top-level `x-baton` is read, so it is interpolated.)
    skip: (p) => p.length === 1 && String(p[0]).startsWith('x-') && p[0] !== 'x-baton',
    cast: castComposeValue,
  });
  const tree = interpolated.value;
  mergeFindings(findings, interpolated.findings);
  mergeFindings(findings, checkKeyPolicy(tree));

  const doc = documentSchema.safeParse(tree, PARSE_PARAMS);
  if (!doc.success) findings.errors.push(...zodFindings(doc.error.issues, []));

  const rawServices = isPlainMap(tree) && isPlainMap(tree['services']) ? tree['services'] : undefined;
  const services = rawServices ? parseServices(rawServices, env, findings, opts.files) : [];
  const fileName = isPlainMap(tree) ? tree['name'] : undefined;
  // A `name` of the wrong type has already been reported by the schema.
  const name =
    fileName == null || typeof fileName === 'string' ? stackName(fileName ?? undefined, opts.stackName, findings) : undefined;

  const tenant = tenantOf(doc.success ? doc.data['x-baton']?.tenant ?? undefined : undefined, opts.tenant, findings);

  const objects = name !== undefined && isPlainMap(tree) ? fileObjects(tree, rawServices, name, opts.files, findings, scalarSource(text)) : undefined;

  if (findings.errors.length > 0 || name === undefined || objects === undefined) {
    const errors = withoutFollowOns(findings.errors, interpolated.findings.errors);
    return { ok: false, errors: issues(errors, tree), warnings: issues(findings.warnings, tree) };
  }
  const withMounts = services.map((s) => {
    const m = objects.mounts.get(s.name);
    const volumes = objects.volumes.get(s.name);
    const networks = objects.networks.get(s.name);
    return {
      ...s,
      ...stickyOrder(s, volumes, rawServices?.[s.name]),
      ...(volumes ? { mounts: volumes } : {}),
      ...(networks ? { networks } : {}),
      ...(m?.secrets ? { secrets: m.secrets } : {}),
      ...(m?.configs ? { configs: m.configs } : {}),
    };
  });
  const stack = { name, services: withMounts, ...(tenant !== undefined ? { tenant } : {}), ...(objects.secrets.length > 0 ? { secrets: objects.secrets } : {}), ...(objects.configs.length > 0 ? { configs: objects.configs } : {}) };
  return { ok: true, stack, warnings: issues(findings.warnings, tree) };
}

/**
 * A service with a sticky volume updates stop-first unless its file says otherwise: its new replica
 * goes to the same node and the same data, which two copies of a database must not open at once
 * (a StatefulSet also stops a pod before starting its replacement).
 */
function stickyOrder(spec: ServiceSpec, mounts: readonly MountSpec[] | undefined, raw: unknown): Partial<Pick<ServiceSpec, 'updateConfig' | 'rollbackConfig'>> {
  if (spec.mode === 'global' || !mounts?.some((m) => m.volume?.sticky)) return {};
  const deploy = isPlainMap(raw) && isPlainMap(raw['deploy']) ? raw['deploy'] : {};
  const written = (key: string) => isPlainMap(deploy[key]) && deploy[key]['order'] != null;
  return {
    ...(written('update_config') ? {} : { updateConfig: { ...spec.updateConfig, order: 'stop-first' as const } }),
    ...(written('rollback_config') ? {} : { rollbackConfig: { ...spec.rollbackConfig, order: 'stop-first' as const } }),
  };
}

/** A scalar's text as written at a path (the document parsed again, only when asked: for file modes). */
function scalarSource(text: string): (path: readonly PathSegment[]) => string | undefined {
  let doc: ReturnType<typeof parseDocument> | undefined;
  return (path) => {
    doc ??= parseDocument(text, { merge: true });
    const node = doc.getIn(path, true);
    return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
  };
}

/** Top-level secrets/configs and each service's references to them; only the ones some service uses are kept. */
function fileObjects(
  tree: Record<string, unknown>,
  rawServices: Record<string, unknown> | undefined,
  stack: string,
  files: ReadonlyMap<string, Uint8Array> | undefined,
  findings: Findings,
  sourceOf: (path: readonly PathSegment[]) => string | undefined,
) {
  const secrets = parseTopLevel('secrets', tree['secrets'], stack, files, findings);
  const configs = parseTopLevel('configs', tree['configs'], stack, files, findings);
  const mounts = new Map<string, { secrets?: FileMountSpec[]; configs?: FileMountSpec[] }>();
  const volumeDefs = parseVolumeDefinitions(tree['volumes'], stack, findings);
  // The issue's spelling (`x-baton.volumes.<key>.sticky` at the top level) would otherwise be an x- key ignored in silence.
  const topBaton = tree['x-baton'];
  if (isPlainMap(topBaton) && topBaton['volumes'] !== undefined) {
    findings.errors.push({ path: ['x-baton', 'volumes'], message: 'a sticky volume is marked in its own definition: volumes: { data: { x-baton: { sticky: true } } }' });
  }
  const volumes = new Map<string, MountSpec[]>();
  const networkDefs = parseNetworkDefinitions(tree['networks'], stack, findings);
  const networks = new Map<string, NetworkAttachment[]>();
  const used = new Set<string>();
  for (const [name, raw] of Object.entries(rawServices ?? {})) {
    if (!isPlainMap(raw)) continue;
    const s = parseServiceMounts('secrets', raw['secrets'], secrets, ['services', name, 'secrets'], findings.errors, sourceOf);
    const c = parseServiceMounts('configs', raw['configs'], configs, ['services', name, 'configs'], findings.errors, sourceOf);
    for (const m of [...(s ?? []), ...(c ?? [])]) used.add(m.source);
    mounts.set(name, { ...(s ? { secrets: s } : {}), ...(c ? { configs: c } : {}) });
    const v = parseServiceVolumes(raw['volumes'], volumeDefs, ['services', name, 'volumes'], findings);
    if (v) volumes.set(name, v);
    const n = parseServiceNetworks(raw['networks'], networkDefs, ['services', name, 'networks'], findings);
    if (n) networks.set(name, n);
  }
  return { secrets: [...secrets.values()].filter((d) => used.has(d.name)), configs: [...configs.values()].filter((d) => used.has(d.name)), mounts, volumes, networks };
}

/**
 * A string that failed interpolation is validated as written (`nginx:${TAG:?set TAG}`) and fails again
 * for that reason, as does one that failed its cast; only the first error says what to fix.
 */
function withoutFollowOns(errors: readonly Finding[], interpolationErrors: readonly Finding[]): Finding[] {
  const failed = new Set(interpolationErrors.map((e) => JSON.stringify(e.path)));
  return errors.filter((e) => interpolationErrors.includes(e) || !failed.has(JSON.stringify(e.path)));
}

function parseServices(
  rawServices: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  findings: Findings,
  files?: ReadonlyMap<string, Uint8Array>,
): ServiceSpec[] {
  const names = Object.keys(rawServices);
  if (names.length === 0) findings.errors.push({ path: ['services'], message: 'must define at least one service' });

  const normalised = [];
  for (const [name, raw] of Object.entries(rawServices)) {
    const path = ['services', name];
    if (!SERVICE_NAME_RE.test(name)) {
      findings.errors.push({
        path,
        message: `service name ${JSON.stringify(name)} must start with a letter or digit, contain only letters, digits, "_", "." and "-", and be at most 63 characters`,
      });
    }
    const parsed = serviceSchema.safeParse(raw, PARSE_PARAMS);
    if (!parsed.success) {
      findings.errors.push(...zodFindings(parsed.error.issues, path));
      continue;
    }
    const service = normaliseService(name, parsed.data, env, path, files);
    mergeFindings(findings, service.findings);
    normalised.push(service);
  }

  const deps = checkDependencies(
    normalised.map((s) => ({ name: s.spec.name, dependsOn: s.dependsOn, healthcheckDisabled: s.spec.healthcheck?.disable === true })),
    names,
  );
  mergeFindings(findings, deps.findings);
  return normalised.map((s) => ({ ...s.spec, dependsOn: deps.dependsOn.get(s.spec.name) ?? [] }));
}

/** As for the name, the file's `x-baton.tenant` wins over the caller's (`--tenant`), with a warning when they differ. */
function tenantOf(fromFile: string | undefined, fromCaller: string | undefined, findings: Findings): string | undefined {
  if (fromCaller !== undefined && fromCaller !== '' && !TENANT_RE.test(fromCaller)) {
    findings.errors.push({ path: ['x-baton', 'tenant'], message: `${JSON.stringify(fromCaller)} (given as --tenant) must be ${TENANT_EXPECTED}` });
    return undefined;
  }
  if (fromFile !== undefined && fromCaller && fromFile !== fromCaller) {
    findings.warnings.push({ path: ['x-baton', 'tenant'], message: `the file names the tenant "${fromFile}", which is used instead of "${fromCaller}"` });
  }
  return fromFile ?? (fromCaller || undefined);
}

/** The file's `name` wins over the caller's: the file is what is reviewed and committed. A mismatch is worth a warning. */
function stackName(fromFile: string | undefined, fromCaller: string | undefined, findings: Findings): string | undefined {
  const name = fromFile ?? fromCaller;
  if (name === undefined) {
    findings.errors.push({ path: ['name'], message: 'is required: set a top-level name in the file or pass a stack name' });
    return undefined;
  }
  if (!STACK_NAME_RE.test(name)) {
    const source = fromFile !== undefined ? '' : ' (given as the stack name)';
    findings.errors.push({
      path: ['name'],
      message: `${JSON.stringify(name)}${source} must start with a lowercase letter or digit and contain only lowercase letters, digits, "_" and "-"`,
    });
    return undefined;
  }
  if (fromFile !== undefined && fromCaller !== undefined && fromFile !== fromCaller) {
    findings.warnings.push({ path: ['name'], message: `the file names the stack "${fromFile}", which is used instead of "${fromCaller}"` });
  }
  return name;
}
