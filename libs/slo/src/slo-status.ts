import { BURN_RATE_POLICIES, sloWindows, type BurnRatePolicy } from './burn-rate-policies.js';
import type { Slo } from './slo.model.js';

export interface SloAlertStatus {
  readonly severity: BurnRatePolicy['severity'];
  readonly longWindow: string;
  readonly shortWindow: string;
  /** The burn rate both windows must exceed (the policy's factor, e.g. 14.4). */
  readonly threshold: number;
  /** The same as an error ratio: factor × (1 − target), what the Prometheus alert compares with. */
  readonly errorRatioThreshold: number;
  readonly firing: boolean;
}

export interface SloStatus {
  readonly slo: string;
  /** 1 − the error ratio over the SLO's window; null without data. */
  readonly sli: number | null;
  readonly target: number;
  /** Fraction of the window's error budget left: 1 − errorRatio / (1 − target); below 0 once overspent. */
  readonly budgetRemaining: number | null;
  /** Per nominal window (5m … 3d, then the SLO's window): errorRatio / (1 − target); 1 spends the budget in exactly one window. */
  readonly burnRates: readonly { readonly window: string; readonly burnRate: number | null }[];
  readonly alerts: readonly SloAlertStatus[];
  /** Real seconds until the budget is gone at the current 1 h burn rate (nominal time / timeScale); 0 when already spent; null if not burning or unknown. */
  readonly timeToExhaustionSeconds: number | null;
  /** The most severe firing alert; `no-data` when no window has data. */
  readonly alertState: 'ok' | 'ticket' | 'page' | 'no-data';
}

/** The window whose burn rate predicts the time to exhaustion: long enough to be steady, short enough to be current. */
export const EXHAUSTION_WINDOW = '1h';

/** A recorded error ratio; anything that is not a finite number (missing, null, NaN from a 0/0) is "no data". */
const ratioOf = (errorRatios: Readonly<Record<string, number | null>>, window: string): number | null => {
  const value = errorRatios[window];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/**
 * Everything the dashboard shows of one SLO, from its recorded error ratios by nominal window
 * (`{ '5m': 0.002, …, '30d': 0.0004 }`, as `errorRatioSeries` selects them; null or absent = no data).
 * An alert fires when both its windows' error ratios exceed factor × (1 − target), computed as the
 * rule file's PromQL computes it, so the page and Prometheus agree even exactly at a threshold.
 */
export function sloStatus(slo: Slo, errorRatios: Readonly<Record<string, number | null>>, options: { timeScale: number }): SloStatus {
  const budget = 1 - slo.target;
  const windows = sloWindows(slo);
  const windowRatio = ratioOf(errorRatios, slo.window);
  const budgetRemaining = windowRatio === null ? null : 1 - windowRatio / budget;
  const burnRates = windows.map((window) => {
    const ratio = ratioOf(errorRatios, window);
    return { window, burnRate: ratio === null ? null : ratio / budget };
  });
  const alerts = BURN_RATE_POLICIES.map((policy): SloAlertStatus => {
    const errorRatioThreshold = policy.factor * (1 - slo.target);
    const long = ratioOf(errorRatios, policy.longWindow);
    const short = ratioOf(errorRatios, policy.shortWindow);
    const firing = long !== null && short !== null && long > errorRatioThreshold && short > errorRatioThreshold;
    return { severity: policy.severity, longWindow: policy.longWindow, shortWindow: policy.shortWindow, threshold: policy.factor, errorRatioThreshold, firing };
  });
  const burning = burnRates.find((b) => b.window === EXHAUSTION_WINDOW)!.burnRate;
  const timeToExhaustionSeconds =
    budgetRemaining === null || burning === null || burning <= 0 ? null : Math.max(0, budgetRemaining) * (slo.windowSeconds / burning) / options.timeScale;
  const firing = (severity: SloAlertStatus['severity']) => alerts.some((a) => a.severity === severity && a.firing);
  const alertState = firing('page') ? 'page' : firing('ticket') ? 'ticket' : windows.every((w) => ratioOf(errorRatios, w) === null) ? 'no-data' : 'ok';
  return { slo: slo.name, sli: windowRatio === null ? null : 1 - windowRatio, target: slo.target, budgetRemaining, burnRates, alerts, timeToExhaustionSeconds, alertState };
}
