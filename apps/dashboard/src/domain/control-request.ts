import { z } from 'zod';
import { DashboardRequestError } from '../dashboard.errors.js';

const duration = z.number().int().min(1).max(3600).optional();

/** POST /api/faults/latency: added latency on the links a selector picks (`faultline fault inject latency`). */
export const latencyRequestSchema = z.strictObject({
  link: z.string().min(1).max(200),
  ms: z.number().int().min(0).max(60_000),
  jitterMs: z.number().int().min(0).max(60_000).default(0),
  /** Healed after this many seconds (by the dashboard, or by the next faultline command if the dashboard is gone). */
  durationSeconds: duration,
});

/** POST /api/faults/partition: every link between two data centers blackholed (`faultline fault partition`). */
export const partitionRequestSchema = z.strictObject({
  a: z.string().min(1).max(100),
  b: z.string().min(1).max(100),
  oneWay: z.boolean().default(false),
  durationSeconds: duration,
});

/** POST /api/faults/heal: one fault by id, or every active fault. */
export const healRequestSchema = z
  .strictObject({ id: z.string().min(1).max(100).optional(), all: z.literal(true).optional() })
  .refine((body) => (body.id === undefined) !== (body.all === undefined), { message: 'give either "id" (a fault id) or "all": true', path: ['id'] });

export type LatencyRequest = z.infer<typeof latencyRequestSchema>;
export type PartitionRequest = z.infer<typeof partitionRequestSchema>;
export type HealRequest = z.infer<typeof healRequestSchema>;

/** Validates a request body; a 400 that names the first wrong field (`body.ms`) and what it should be. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new DashboardRequestError(400, 'body', 'the body must be a JSON object');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = ['body', ...path.map(String)].join('.');
  throw new DashboardRequestError(400, field, `${field}: ${issue.message}`);
}
