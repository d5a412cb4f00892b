// The zod schema of one Compose service (and of the document around it): shapes, types and per-value
// parsing. Defaults and rules spanning several fields live in normalise-service.ts.

import { z } from 'zod';
import { parseConstraint, parseSpreadDescriptor } from './constraint-syntax.js';
import type { PathSegment } from './findings.js';
import {
  DEPENDS_ON_POLICY,
  DEPLOY_POLICY,
  LIMITS_POLICY,
  PLACEMENT_POLICY,
  PORT_POLICY,
  RESERVATIONS_POLICY,
  ROOT_POLICY,
  SERVICE_POLICY,
} from './key-policy.js';
import { containerShape } from './container-schema.js';
import { parseExpose, parseHostIp, parsePortNumber, parsePortShort, parseProtocol } from './port-syntax.js';
import { fail, ok, quote, type Result } from './result.js';
import { splitShellWords } from './shell-words.js';
import type { DependsOnSpec, PortSpec } from './types.js';
import { parseBytes, parseCpus, parseDuration } from './units.js';
import { expected, parsedBy, strictObject } from './zod-support.js';

const stringOrNumber = (what: string) => z.union([z.string(), z.number()], { error: expected(what) });
const scalarText = z
  .union([z.string(), z.number(), z.boolean(), z.null()], { error: expected('a string, number, true/false or empty') })
  .transform((v) => (v === null ? null : String(v)));

export const bytesSchema = stringOrNumber('a byte value such as 64M or 1G').transform(parsedBy(parseBytes));
export const cpusSchema = stringOrNumber('a number of CPUs such as 0.5 or 2').transform(parsedBy(parseCpus));
const durationSchema = stringOrNumber('a duration such as 10s or 1m30s').transform(parsedBy(parseDuration));
const portNumberSchema = stringOrNumber('a port number').transform(parsedBy((v: string | number) => parsePortNumber(v)));
const count = z.int().min(0);

/** `command`/`entrypoint`: a string is split like a shell would, a list is taken as argv. */
const argvSchema = z.union(
  [
    z.string().transform(parsedBy(splitShellWords)),
    z.array(z.union([z.string(), z.number(), z.boolean()], { error: expected('a string') }).transform(String)),
  ],
  { error: expected('a string or a list of strings') },
);

/** One `environment` entry; `value` is undefined for a bare `KEY`, which takes its value from the caller's env. */
export interface EnvEntry {
  readonly key: string;
  readonly value: string | undefined;
  /** The list index or map key, for messages. */
  readonly at: PathSegment;
}

function splitAssignment(item: string, what: string): Result<{ key: string; value: string | undefined }> {
  const eq = item.indexOf('=');
  const key = (eq < 0 ? item : item.slice(0, eq)).trim();
  if (key === '') return fail(`${quote(item)} has an empty ${what} name`);
  return ok({ key, value: eq < 0 ? undefined : item.slice(eq + 1) });
}

const environmentSchema = z.union(
  [
    z
      .array(z.string({ error: expected('a "KEY=VALUE" string') }).transform(parsedBy((s: string) => splitAssignment(s, 'variable'))))
      .transform((items): EnvEntry[] => items.map((e, i) => ({ ...e, at: i }))),
    z.record(z.string(), scalarText).transform((map): EnvEntry[] =>
      Object.entries(map).map(([key, value]) => ({ key, value: value ?? undefined, at: key })),
    ),
  ],
  { error: expected('a mapping or a list of "KEY=VALUE" strings') },
);

export const labelsSchema = z.union(
  [
    z
      .array(z.string({ error: expected('a "key=value" string') }).transform(parsedBy((s: string) => splitAssignment(s, 'label'))))
      .transform((items) => Object.fromEntries(items.map((l) => [l.key, l.value ?? '']))),
    z.record(z.string(), scalarText).transform((map) => Object.fromEntries(Object.entries(map).map(([k, v]) => [k, v ?? '']))),
  ],
  { error: expected('a mapping or a list of "key=value" strings') },
);

const longPortSchema = strictObject(
  {
    target: portNumberSchema,
    published: portNumberSchema.nullish(),
    protocol: z.string().transform(parsedBy(parseProtocol)).nullish(),
    mode: z.enum(['ingress', 'host']).nullish(),
    host_ip: z.string().transform(parsedBy(parseHostIp)).nullish(),
  },
  PORT_POLICY,
).transform((p): PortSpec[] => [
  {
    target: p.target,
    ...(p.published != null ? { published: p.published } : {}),
    protocol: p.protocol ?? 'tcp',
    mode: p.mode ?? 'ingress',
    ...(p.host_ip != null ? { hostIp: p.host_ip } : {}),
  },
]);

/** Each entry expands to one or more ports (ranges); the outer list keeps entry indexes for messages. */
const portsSchema = z.array(
  z.union(
    [
      z.number().transform(parsedBy((n: number) => parsePortNumber(n))).transform((target): PortSpec[] => [{ target, protocol: 'tcp', mode: 'ingress' }]),
      z.string().transform(parsedBy(parsePortShort)),
      longPortSchema,
    ],
    { error: expected('a port number, a "HOST:CONTAINER" string or a mapping with target') },
  ),
);

/** `expose`: container ports reached at the service address; each entry may be a range, flattened here. */
const exposeSchema = z
  .array(stringOrNumber('a port number or a "PORT/tcp" string').transform(parsedBy(parseExpose)))
  .transform((entries) => [...new Set(entries.flat())]);

/** `test` in Docker's CMD/CMD-SHELL/NONE form; a string is shorthand for CMD-SHELL. */
export function parseHealthTest(test: string | readonly string[]): Result<string[]> {
  if (typeof test === 'string') {
    if (test.trim() === '') return fail('must not be empty (use disable: true to turn the healthcheck off)');
    return ok(['CMD-SHELL', test]);
  }
  const [kind, ...args] = test;
  if (kind === undefined) return fail('must not be empty (use disable: true to turn the healthcheck off)');
  if (kind === 'NONE') return ok(['NONE']);
  if (kind === 'CMD') {
    if (args.length === 0) return fail('["CMD", ...] needs the command to run after "CMD"');
    return ok(['CMD', ...args]);
  }
  if (kind === 'CMD-SHELL') {
    if (args.length !== 1) return fail('["CMD-SHELL", ...] takes exactly one command string after "CMD-SHELL"');
    return ok(['CMD-SHELL', args[0] as string]);
  }
  return fail(`a list must start with "CMD", "CMD-SHELL" or "NONE", got ${quote(kind)} (write a plain string for a shell command)`);
}

/** The timing keys Compose's `healthcheck` and Baton's `x-baton.healthcheck` share. */
const healthTimings = {
  interval: durationSchema.nullish(),
  timeout: durationSchema.nullish(),
  start_period: durationSchema.nullish(),
  start_interval: durationSchema.nullish(),
  retries: count.nullish(),
};

const healthcheckSchema = strictObject({
  test: z
    .union([z.string(), z.array(z.string({ error: expected('a string') }))], { error: expected('a string or a list of strings') })
    .transform(parsedBy(parseHealthTest))
    .nullish(),
  ...healthTimings,
  disable: z.boolean().nullish(),
});

/** An HTTP status range for Baton's http check: `200`, `200-399` (inclusive). */
export function parseStatusRange(value: string | number): Result<{ min: number; max: number }> {
  const m = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(String(value));
  const hint = 'an HTTP status such as 200 or an inclusive range such as 200-399';
  if (!m) return fail(`must be ${hint}, got ${quote(value)}`);
  const min = Number(m[1]);
  const max = Number(m[2] ?? m[1]);
  if (min < 100 || max > 599) return fail(`must be statuses between 100 and 599, got ${quote(value)}`);
  if (min > max) return fail(`must be a range from low to high, got ${quote(value)}`);
  return ok({ min, max });
}

/** Baton's own check for images without a shell: exactly one of `http` or `tcp` (normalise-service.ts checks "one"). */
const batonHealthcheckSchema = strictObject({
  http: strictObject({
    port: portNumberSchema,
    path: z
      .string({ error: expected('a path such as /healthz') })
      .refine((p) => p.startsWith('/') && !/\s/.test(p), { error: 'must be a path starting with "/" (no spaces), such as /healthz' })
      .nullish(),
    status: stringOrNumber('an HTTP status such as 200 or a range such as 200-399').transform(parsedBy(parseStatusRange)).nullish(),
    host: z
      .string({ error: expected('a host name such as example.com') })
      .refine((h) => /^[^\s/]+$/.test(h), { error: 'must be a host name such as example.com (not empty, no spaces or "/")' })
      .nullish(),
  }).nullish(),
  tcp: strictObject({ port: portNumberSchema }).nullish(),
  ...healthTimings,
});

/** A dependency plus where it was written, for messages. */
export interface DependsOnEntry extends DependsOnSpec {
  readonly at: PathSegment;
}

const CONDITIONS = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;

const dependsOnSchema = z.union(
  [
    z.array(z.string({ error: expected('a service name') })).transform((names): DependsOnEntry[] =>
      names.map((service, i) => ({ service, condition: 'service_started', required: true, at: i })),
    ),
    z
      .record(z.string(), strictObject({ condition: z.enum(CONDITIONS).nullish(), required: z.boolean().nullish(), restart: z.boolean().nullish() }, DEPENDS_ON_POLICY).nullish())
      .transform((map): DependsOnEntry[] =>
        Object.entries(map).map(([service, d]) => ({
          service,
          condition: d?.condition ?? 'service_started',
          required: d?.required ?? true,
          ...(d?.restart ? { restart: true as const } : {}),
          at: service,
        })),
      ),
  ],
  { error: expected('a list of service names or a mapping of service name to condition') },
);

const resourceSchema = (policy: typeof LIMITS_POLICY) =>
  strictObject({ cpus: cpusSchema.nullish(), memory: bytesSchema.nullish() }, policy).nullish();

const updateConfigSchema = <A extends readonly [string, ...string[]]>(failureActions: A) =>
  strictObject({
    parallelism: count.nullish(),
    delay: durationSchema.nullish(),
    failure_action: z.enum(failureActions).nullish(),
    monitor: durationSchema.nullish(),
    max_failure_ratio: z.number().min(0).max(1).nullish(),
    order: z.enum(['stop-first', 'start-first']).nullish(),
  }).nullish();

// Swarm's modes. Jobs run to completion and are not restarted; Baton runs long-lived services
// (its restart policy, health checks and rollouts assume a replica that keeps running), so they are refused.
const modeSchema = z.enum(['replicated', 'global', 'replicated-job', 'global-job']).transform(
  parsedBy((mode: string): Result<'replicated' | 'global'> => {
    if (mode === 'replicated' || mode === 'global') return ok(mode);
    return fail(`${mode} mode is not supported (Baton runs long-lived services, not jobs that run to completion; use replicated or global mode)`);
  }),
);

/** Placement-style constraints (`node.labels.zone==edge`), shared by deploy.placement and x-baton.ingress. */
const constraintsSchema = z.array(z.string({ error: expected('a constraint such as node.labels.zone==edge') }).transform(parsedBy(parseConstraint)));

const deploySchema = strictObject(
  {
    mode: modeSchema.nullish(),
    replicas: count.nullish(),
    resources: strictObject({ limits: resourceSchema(LIMITS_POLICY), reservations: resourceSchema(RESERVATIONS_POLICY) }).nullish(),
    placement: strictObject(
      {
        constraints: constraintsSchema.nullish(),
        // Swarm's placement preferences: `- spread: node.labels.zone`, hierarchical in list order.
        preferences: z
          .array(strictObject({ spread: z.string({ error: expected('a label to spread over, such as node.labels.zone') }).transform(parsedBy(parseSpreadDescriptor)) }), {
            error: expected('a list such as [{spread: node.labels.zone}]'),
          })
          .nullish(),
        max_replicas_per_node: count.nullish(),
      },
      PLACEMENT_POLICY,
    ).nullish(),
    restart_policy: strictObject({
      condition: z.enum(['none', 'on-failure', 'any']).nullish(),
      delay: durationSchema.nullish(),
      max_attempts: count.nullish(),
      window: durationSchema.nullish(),
    }).nullish(),
    // Swarm's rollback cannot itself roll back, hence the shorter list.
    update_config: updateConfigSchema(['continue', 'rollback', 'pause'] as const),
    rollback_config: updateConfigSchema(['continue', 'pause'] as const),
    labels: labelsSchema.nullish(),
  },
  DEPLOY_POLICY,
);

/** A target such as `70%` (a bare number is taken as a percentage): above 0, at most 1000%. */
export function parsePercent(value: string | number): Result<number> {
  const m = typeof value === 'number' ? [String(value), String(value)] : /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n)) return fail(`must be a percentage of the reservation such as "70%", got ${quote(value)}`);
  if (n <= 0 || n > 1000) return fail(`must be a percentage above 0% and at most 1000%, got ${quote(value)}`);
  return ok(n);
}

const percentSchema = stringOrNumber('a percentage of the reservation such as "70%"').transform(parsedBy(parsePercent));

/** Stabilisation windows and the cool-down: at most an hour, as the HPA's stabilizationWindowSeconds. */
const windowSchema = durationSchema.refine((ms) => ms <= 3_600_000, { error: 'must be at most 1h' });

/** `x-baton.autoscale`; rules across fields (min <= max, a target, not global) are in normalise-service.ts. */
const autoscaleSchema = strictObject({
  min: z.int({ error: expected('a whole number of replicas, at least 1') }).min(1, { error: 'must be at least 1 (a service at 0 replicas reports no load to scale up from)' }).max(10_000),
  max: z.int({ error: expected('a whole number of replicas, at least 1') }).min(1).max(10_000),
  cpu: percentSchema.nullish(),
  memory: percentSchema.nullish(),
  window: durationSchema.refine((ms) => ms >= 1000 && ms <= 3_600_000, { error: 'must be between 1s and 1h' }).nullish(),
  scale_up_window: windowSchema.nullish(),
  scale_down_window: windowSchema.nullish(),
  cooldown: windowSchema.nullish(),
  max_step: z.int({ error: expected('a whole number of replicas') }).min(1).nullish(),
  tolerance: percentSchema.refine((p) => p < 100, { error: 'must be below 100%' }).nullish(),
});

/** Baton's own settings, under the `x-baton` extension key so other Compose tools ignore them. */
const batonSchema = strictObject({
  placement: z.enum(['binpack', 'spread']).nullish(),
  healthcheck: batonHealthcheckSchema.nullish(),
  // Which nodes serve the service's `mode: ingress` ports, and whether a node prefers its own replicas.
  ingress: strictObject({ prefer: z.enum(['any', 'local']).nullish(), constraints: constraintsSchema.nullish() }).nullish(),
  autoscale: autoscaleSchema.nullish(),
  // How long a replica on a node that went down waits before it is replaced elsewhere (README: Disconnected nodes).
  on_disconnect: strictObject({
    replace_after: stringOrNumber('a duration such as 10m, or never')
      .transform(parsedBy((v: string | number): Result<number | 'never'> => (v === 'never' ? { ok: true, value: 'never' } : parseDuration(v))))
      .nullish(),
    // How long a cut-off agent keeps running its copy before it stops it itself (agent/disconnect-guard.ts).
    stop_after: stringOrNumber('a duration such as 30s').transform(parsedBy(parseDuration)).nullish(),
  }).nullish(),
});

export const serviceSchema = strictObject(
  {
    image: z
      .string({ error: expected('an image reference such as nginx:1.27') })
      .refine((s) => /^\S+$/.test(s), { error: 'must be an image reference such as nginx:1.27 (not empty, no spaces)' }),
    command: argvSchema.nullish(),
    entrypoint: argvSchema.nullish(),
    environment: environmentSchema.nullish(),
    ports: portsSchema.nullish(),
    expose: exposeSchema.nullish(),
    labels: labelsSchema.nullish(),
    healthcheck: healthcheckSchema.nullish(),
    depends_on: dependsOnSchema.nullish(),
    stop_grace_period: durationSchema.nullish(),
    deploy: deploySchema.nullish(),
    'x-baton': batonSchema.nullish(),
    ...containerShape,
    // Checked against the top-level definitions by file-objects.ts.
    secrets: z.unknown().optional(),
    configs: z.unknown().optional(),
    // Checked against the top-level definitions by volumes.ts.
    volumes: z.unknown().optional(),
    // Checked against the top-level definitions by networks.ts.
    networks: z.unknown().optional(),
  },
  SERVICE_POLICY,
);

export type RawService = z.output<typeof serviceSchema>;

/** A tenant's name (usage is accounted per tenant): as a stack name, 1-63 characters. */
export const TENANT_RE = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
export const TENANT_EXPECTED = 'a tenant name: 1-63 lowercase letters, digits, "_", "." or "-", starting with a letter or digit';

/** Baton's stack-wide settings, under the file's top-level `x-baton`. */
const stackBatonSchema = strictObject({
  tenant: z
    .string({ error: expected(TENANT_EXPECTED) })
    .refine((s) => TENANT_RE.test(s), { error: (i) => `must be ${TENANT_EXPECTED}, got ${JSON.stringify(i.input)}` })
    .nullish(),
});

/** The document around the services; each service is validated on its own so one bad service does not hide the others' problems. */
export const documentSchema = strictObject(
  {
    name: z.string({ error: expected('a stack name') }).nullish(),
    // Obsolete since Compose v2 and carries no meaning; accepted without a warning. A string, though,
    // as compose-go and stack deploy require (`version: 3.8` is refused there: "version must be a string").
    version: z.string({ error: expected('a string such as "3.8" (in quotes)') }).nullish(),
    services: z.record(z.string(), z.unknown(), { error: expected('a mapping of service name to service') }),
    // Checked by file-objects.ts.
    secrets: z.unknown().optional(),
    configs: z.unknown().optional(),
    // Checked against the top-level definitions by volumes.ts.
    volumes: z.unknown().optional(),
    // Checked by networks.ts.
    networks: z.unknown().optional(),
    'x-baton': stackBatonSchema.nullish(),
  },
  ROOT_POLICY,
);
