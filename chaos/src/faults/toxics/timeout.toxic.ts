import type { ToxicPlan } from './toxic-plan.js';

/**
 * Toxiproxy's `timeout` with 0 in both directions: data is dropped and connections stay open until the
 * toxic is removed. That is what a partition looks like to the endpoints (no RST, no FIN): they notice
 * only through their own timeouts and keepalives — the failure mode worth teaching.
 */
export const timeoutToxics: ToxicPlan<'timeout'> = () => [
  { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } },
  { type: 'timeout', stream: 'downstream', attributes: { timeout: 0 } },
];
