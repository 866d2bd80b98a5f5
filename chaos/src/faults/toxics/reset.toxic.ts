import type { ToxicPlan } from './toxic-plan.js';

/** Toxiproxy's `reset_peer` at once: every connection is reset when data comes back. */
export const resetToxics: ToxicPlan<'reset'> = () => [{ type: 'reset_peer', stream: 'downstream', attributes: { timeout: 0 } }];
