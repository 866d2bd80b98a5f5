import type { Slo } from './slo.model.js';

/** The windows alerts look at, shortest first; every SLO also records its own (e.g. `30d`). */
export const ALERT_WINDOWS = ['5m', '30m', '1h', '6h', '3d'] as const;
export type AlertWindow = (typeof ALERT_WINDOWS)[number];

export interface BurnRatePolicy {
  readonly severity: 'page' | 'ticket';
  readonly longWindow: AlertWindow;
  readonly shortWindow: AlertWindow;
  /** Fires when both windows burn faster than this: error ratio > factor × (1 − target). */
  readonly factor: number;
}

/**
 * The multi-window, multi-burn-rate alerts of the SRE Workbook (chapter 5, "Alerting on SLOs"), for a 30-day
 * window: 14.4× over 1 h spends 2 % of the budget in that hour, 6× over 6 h spends 5 %, 1× over 3 d spends
 * 10 %. The short window (1/12 of the long one) makes an alert stop soon after the burning stops.
 */
export const BURN_RATE_POLICIES: readonly BurnRatePolicy[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', factor: 6 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1 },
];

/** The nominal windows recorded for an SLO: the alert windows, then the SLO's own window. */
export function sloWindows(slo: Pick<Slo, 'window'>): string[] {
  return [...ALERT_WINDOWS, slo.window];
}
