import type { ToxicPlan } from './toxic-plan.js';

/** Toxiproxy's `latency` on the answers: a request/response pays it once per round trip, as a far DC would. */
export const latencyToxics: ToxicPlan<'latency'> = (spec) => [
  { type: 'latency', stream: 'downstream', attributes: { latency: spec.ms, jitter: spec.jitterMs } },
];
