import type { ToxicPlan } from './toxic-plan.js';

/** Toxiproxy's `bandwidth` (`rate` in KB/s) in both directions: a thin pipe, not just slow downloads. */
export const bandwidthToxics: ToxicPlan<'bandwidth'> = (spec) => [
  { type: 'bandwidth', stream: 'upstream', attributes: { rate: spec.rateKBps } },
  { type: 'bandwidth', stream: 'downstream', attributes: { rate: spec.rateKBps } },
];
