import { z } from 'zod';
import { experimentAssertionSchema } from './assertion.schema.js';
import { durationSchema } from './duration.schema.js';
import { experimentFaultSchema } from './fault.schema.js';
import { missingTolerance, probeSchema, sliSchema, type Probe } from './probe.schema.js';
import { documented } from './schema-docs.js';
import { componentTargetSchema } from './targets.schema.js';

/** The gateway limits each client (session) to 100 requests per second; a workload above it measures the limiter. */
const GATEWAY_RATE_LIMIT_PER_CLIENT = 100;

const weight = z.number().min(0).default(0);

export const workloadSpecSchema = z
  .strictObject({
    clients: z.number().int().min(1).max(256).default(8),
    ratePerSecond: z.number().gt(0).max(5_000).default(40),
    /** Relative weights of the operations; omitted ones are 0. `fetch` reads an uploaded media item through the CDN edge. */
    mix: z
      .strictObject({ register: weight, login: weight, update: weight, read: weight, upload: weight, fetch: weight })
      .superRefine((mix, ctx) => {
        if (Object.values(mix).every((w) => w === 0)) ctx.addIssue({ code: 'custom', message: 'give at least one operation a weight, e.g. { read: 1 }' });
      })
      .prefault({ register: 1, login: 2, update: 2, read: 6, upload: 1 }),
    /** Fixes the workload's random choices; `chaos run --seed` overrides it. */
    seed: z.number().int().min(0).optional(),
  })
  .superRefine((workload, ctx) => {
    if (workload.ratePerSecond > workload.clients * GATEWAY_RATE_LIMIT_PER_CLIENT)
      ctx.addIssue({
        code: 'custom',
        path: ['ratePerSecond'],
        message: `is above the gateway's limit of ${GATEWAY_RATE_LIMIT_PER_CLIENT} per second per client for ${workload.clients} clients: add clients or lower the rate`,
      });
  });
export type WorkloadSpec = z.output<typeof workloadSpecSchema>;

const stepName = z.string().min(1).optional();

function requireCondition(probe: Probe, ctx: z.RefinementCtx, path: PropertyKey[], why: string): void {
  const missing = missingTolerance(probe);
  if (missing) ctx.addIssue({ code: 'custom', path: [...path, missing.field], message: `${why} needs a condition: add ${missing.example}` });
}

export const workloadStepSchema = z.strictObject({ type: z.literal('workload'), name: stepName, action: z.enum(['start', 'stop']) });

/**
 * Waits for the method's clock to reach `at` (from the start of the method; omitted: now), injects the fault and
 * goes on at once. The fault is undone after `duration` (a killed component is started again), or by the
 * rollbacks when omitted.
 */
export const faultStepSchema = z
  .strictObject({
    type: z.literal('fault'),
    name: stepName,
    at: durationSchema.optional(),
    duration: durationSchema.optional(),
    fault: experimentFaultSchema,
  })
  .superRefine((step, ctx) => {
    if (step.fault.type === 'restart' && step.duration !== undefined)
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'a restart has no duration: use type kill with a duration to keep a component down' });
  });

/** Blocks: `for` a fixed time, or `until` a probe holds (checked `every` interval, failing the run after `timeout`). */
export const waitStepSchema = z
  .strictObject({
    type: z.literal('wait'),
    name: stepName,
    for: durationSchema.optional(),
    until: probeSchema.optional(),
    timeout: durationSchema.optional(),
    every: durationSchema.optional(),
  })
  .superRefine((step, ctx) => {
    if ((step.for === undefined) === (step.until === undefined))
      ctx.addIssue({ code: 'custom', message: 'give either for: <duration> (like 10s) or until: <probe> with a timeout' });
    if (step.until) {
      requireCondition(step.until, ctx, ['until'], 'a wait until');
      if (step.timeout === undefined) ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'is required with until: write a duration like 30s' });
    } else {
      for (const field of ['timeout', 'every'] as const)
        if (step[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only applies with until: <probe>' });
    }
  });

/** Measures and records; out of its tolerance (when it has one) the run fails. */
export const probeStepSchema = z.strictObject({ type: z.literal('probe'), name: stepName, probe: probeSchema });

/** Undoes every fault this run injected that is still active: removes toxics, resumes, starts again, re-syncs. */
export const healStepSchema = z.strictObject({ type: z.literal('heal'), name: stepName });

/** Starts a component that is down; nothing when it runs already. */
export const startStepSchema = z.strictObject({ type: z.literal('start'), name: stepName, component: componentTargetSchema });

export const methodStepSchema = documented(z.discriminatedUnion('type', [workloadStepSchema, faultStepSchema, waitStepSchema, probeStepSchema]), {
  id: 'MethodStep',
  description: 'A step of the method, run in order: type workload, fault, wait or probe.',
});
export type MethodStep = z.output<typeof methodStepSchema>;

export const rollbackStepSchema = documented(z.discriminatedUnion('type', [healStepSchema, startStepSchema, waitStepSchema, probeStepSchema]), {
  id: 'RollbackStep',
  description: 'A rollback step, run after the method whatever happened: type heal, start, wait or probe.',
});
export type RollbackStep = z.output<typeof rollbackStepSchema>;

/** Aborts the method (the rollbacks still run) once the SLI has been past the threshold for `for`. */
export const stopConditionSchema = z
  .strictObject({ sli: sliSchema, above: z.number().optional(), below: z.number().optional(), for: durationSchema.prefault('0s') })
  .superRefine((condition, ctx) => {
    if ((condition.above === undefined) === (condition.below === undefined))
      ctx.addIssue({ code: 'custom', message: 'give either above or below, e.g. { sli: errorRate, above: 0.5, for: 10s }' });
  });
export type StopCondition = z.output<typeof stopConditionSchema>;

/** Checked before the method (the lab must be steady to start) and after the rollbacks (it must be steady again). */
export const steadyStateHypothesisSchema = z
  .strictObject({ title: z.string().trim().min(1), probes: z.array(probeSchema).min(1) })
  .superRefine((hypothesis, ctx) => {
    hypothesis.probes.forEach((probe, i) => requireCondition(probe, ctx, ['probes', i], 'a steady-state probe'));
  });

const nameLike = (what: string) => z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, `must be ${what}: lower-case letters, digits and dashes`);

export const experimentSchema = documented(
  z
    .strictObject({
      version: z.literal(1, { error: 'must be 1, the only version of the experiment format so far' }),
      title: z.string().trim().min(1),
      description: z.string().trim().default(''),
      lesson: z
        .string()
        .trim()
        .min(1)
        .max(160)
        .regex(/^[^\n]*$/, 'must be one line: `faultline chaos list` shows it next to the name'),
      profile: nameLike('a topology profile like full').default('full'),
      tags: z.array(nameLike('a tag like failover')).default([]),
      workload: workloadSpecSchema.prefault({}),
      steadyStateHypothesis: steadyStateHypothesisSchema.optional(),
      method: z.array(methodStepSchema).min(1),
      rollbacks: z.array(rollbackStepSchema).default([]),
      assertions: z.array(experimentAssertionSchema).default([]),
      stopConditions: z.array(stopConditionSchema).default([]),
    })
    .superRefine((experiment, ctx) => {
      const workloadActions = experiment.method.flatMap((step) => (step.type === 'workload' ? [step.action] : []));
      // The checkers read the workload's history: without a workload they have nothing to judge.
      if (experiment.assertions.length > 0 && !workloadActions.includes('start'))
        ctx.addIssue({ code: 'custom', path: ['method'], message: 'the assertions need a workload: add a step { type: workload, action: start }' });
      if (workloadActions[0] === 'stop') ctx.addIssue({ code: 'custom', path: ['method'], message: 'stops the workload before starting it' });
    }),
  {
    id: 'Experiment',
    description:
      'A faultline chaos experiment: steady-state hypothesis, method (workload, faults, waits, probes), rollbacks (always run), assertions and stop conditions.',
  },
);

/** A parsed experiment: defaults filled in, every duration in milliseconds. */
export type Experiment = z.output<typeof experimentSchema>;
/** An experiment as written (YAML, JSON or `defineExperiment`): durations as text like `10s`, defaults optional. */
export type ExperimentDocument = z.input<typeof experimentSchema>;
