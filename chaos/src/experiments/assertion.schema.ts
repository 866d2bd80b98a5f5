import { z } from 'zod';
import { OPERATION_KINDS } from '../history/operation.js';
import { documented } from './schema-docs.js';

/**
 * `violated` turns a checker around, for experiments whose lesson is the failure itself (kill-primary-async: the
 * run passes when the checker shows the acknowledged writes that were lost, and fails when it finds none).
 */
const expect = z.enum(['holds', 'violated']).default('holds');

const plainCheck = <Name extends string>(name: Name) => z.strictObject({ check: z.literal(name), expect });

export const experimentAssertionSchema = documented(
  z.discriminatedUnion('check', [
    plainCheck('noLostAcknowledgedWrites'),
    plainCheck('noDuplicates'),
    plainCheck('versionsGapless'),
    plainCheck('projectionsConverge'),
    plainCheck('noSplitBrain'),
    plainCheck('noLostJobs'),
    z.strictObject({
      check: z.literal('readYourWrites'),
      expect,
      /** false only reports violations: for runs that move clients to another DC, which loses the position by design. */
      failOn: z.boolean().default(true),
    }),
    z.strictObject({ check: z.literal('recoveryWithin'), expect, seconds: z.number().positive().max(600) }),
    z.strictObject({
      check: z.literal('errorBudget'),
      expect,
      /** The SLO, e.g. 0.99: 1 % of requests may fail. */
      target: z.number().gt(0).lt(1),
      /** Share of that budget the run may spend, 0..1. */
      maxSpent: z.number().gt(0).max(1),
      /**
       * The operation kinds the SLO covers (default: all). For a fault that makes some requests fail by
       * design — media no edge ever cached, while the edges cannot reach their origin — the budget judges the rest.
       */
      operations: z.array(z.enum(OPERATION_KINDS)).min(1).optional(),
    }),
  ]),
  {
    id: 'ExperimentAssertion',
    description: 'A checker run over the workload history after the run; expect: violated when the lesson is the failure itself.',
  },
);
export type ExperimentAssertion = z.output<typeof experimentAssertionSchema>;
export type AssertionCheckName = ExperimentAssertion['check'];
