import { z } from 'zod';
import { durationSchema } from './duration.schema.js';
import { documented } from './schema-docs.js';
import { componentTargetSchema, shardIndexSchema } from './targets.schema.js';

/** What the workload measures over a sliding window; the runner computes each from the workload's own records. */
export const sliNames = [
  'errorRate',
  'availability',
  'p50LatencyMs',
  'p95LatencyMs',
  'p99LatencyMs',
  'throughput',
  'staleReadRate',
  'edgeStaleRate',
] as const;
export type SliName = (typeof sliNames)[number];
export const sliSchema = documented(z.enum(sliNames), {
  id: 'SliName',
  description:
    'errorRate and availability (0..1), p50/p95/p99LatencyMs, throughput (operations per second), staleReadRate (reads older than the last acknowledged write, 0..1), edgeStaleRate (media reads the CDN edge answered STALE, 0..1).',
});

const bounds = { min: z.number().optional(), max: z.number().optional() };

function checkBounds(value: { min?: number | undefined; max?: number | undefined }, ctx: z.RefinementCtx, example: string): void {
  if (value.min === undefined && value.max === undefined) ctx.addIssue({ code: 'custom', message: `give min, max or both, e.g. ${example}` });
  if (value.min !== undefined && value.max !== undefined && value.min > value.max)
    ctx.addIssue({ code: 'custom', path: ['min'], message: `must not be above max (${value.max})` });
}

/** Inclusive bounds a measured number must stay within. */
export const toleranceSchema = documented(
  z.strictObject(bounds).superRefine((t, ctx) => checkBounds(t, ctx, '{ max: 0.01 }')),
  { id: 'Tolerance', description: 'Inclusive bounds: { max: 0.01 }, { min: 0.99 }, or both.' },
);
export type Tolerance = z.output<typeof toleranceSchema>;

const scalarSchema = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, a number, true or false' });

/** The first column of the first row: equal to a value, or a number within bounds. */
const valueExpectationSchema = z.strictObject({ equals: scalarSchema.optional(), ...bounds }).superRefine((v, ctx) => {
  if (v.equals === undefined) checkBounds(v, ctx, '{ equals: true } or { max: 100 }');
  else if (v.min !== undefined || v.max !== undefined)
    ctx.addIssue({ code: 'custom', message: 'give either equals or min/max, not both' });
});

const probeName = z.string().min(1).optional();

export const sliProbeSchema = z.strictObject({
  type: z.literal('sli'),
  name: probeName,
  sli: sliSchema,
  window: durationSchema.prefault('10s'),
  /** Without one the probe only records its value (in a method); steady states and waits require one. */
  tolerance: toleranceSchema.optional(),
});

export const healthProbeSchema = z.strictObject({
  type: z.literal('health'),
  name: probeName,
  /** Omitted: every component of the lab. */
  component: componentTargetSchema.optional(),
  expect: z.enum(['healthy', 'unhealthy']).default('healthy'),
  /** For Postgres nodes: the role the node must have now, e.g. to show that no failover happened. */
  role: z.enum(['primary', 'replica']).optional(),
});

const httpStatusSchema = z.number().int().min(100).max(599);

export const httpProbeSchema = z
  .strictObject({
    type: z.literal('http'),
    name: probeName,
    /** A path on the lab's entrypoint (the geo front on `full`)… */
    path: z.string().regex(/^\//, 'must start with /, like /v1/openapi.json').optional(),
    /** …or any URL. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string(), z.string()).optional(),
    /** A string is sent as is; a mapping as JSON. */
    body: z.union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a string or a mapping (sent as JSON)' }).optional(),
    status: z
      .union([httpStatusSchema, z.array(httpStatusSchema).min(1)], { error: 'must be an HTTP status like 200, or a list like [200, 204]' })
      .default(200)
      .transform((s) => (Array.isArray(s) ? s : [s])),
    latencyMs: toleranceSchema.optional(),
    timeout: durationSchema.prefault('5s'),
  })
  .superRefine((probe, ctx) => {
    if ((probe.path === undefined) === (probe.url === undefined))
      ctx.addIssue({ code: 'custom', message: 'give either path (on the entrypoint, like /v1/openapi.json) or url, not both' });
  });

export const sqlProbeSchema = z.strictObject({
  type: z.literal('sql'),
  name: probeName,
  shard: shardIndexSchema,
  role: z.enum(['primary', 'replica']).default('primary'),
  query: z.string().trim().min(1),
  /** Without one the probe only records the rows it got. */
  expect: z.strictObject({ rows: toleranceSchema.optional(), value: valueExpectationSchema.optional() }).optional(),
  timeout: durationSchema.prefault('5s'),
});

export const probeSchema = documented(z.discriminatedUnion('type', [sliProbeSchema, healthProbeSchema, httpProbeSchema, sqlProbeSchema]), {
  id: 'Probe',
  description: 'A measurement with its tolerance: type sli, health, http or sql.',
});
export type Probe = z.output<typeof probeSchema>;
export type SliProbe = z.output<typeof sliProbeSchema>;
export type HealthProbe = z.output<typeof healthProbeSchema>;
export type HttpProbe = z.output<typeof httpProbeSchema>;
export type SqlProbe = z.output<typeof sqlProbeSchema>;

/**
 * The field a probe lacks to be a condition (true or false) rather than a measurement, with an example; undefined
 * when it has one. Steady-state hypotheses and `wait until` need conditions.
 */
export function missingTolerance(probe: Probe): { field: string; example: string } | undefined {
  if (probe.type === 'sli' && !probe.tolerance) return { field: 'tolerance', example: 'tolerance: { max: 0.01 }' };
  if (probe.type === 'sql' && !probe.expect?.rows && !probe.expect?.value) return { field: 'expect', example: 'expect: { value: { equals: true } }' };
  return undefined;
}
