import { Document } from 'yaml';
import { BURN_RATE_POLICIES, sloWindows } from './burn-rate-policies.js';
import { formatPrometheusDuration, parsePrometheusDuration } from './prometheus-duration.js';
import { SloRuleOptionsError } from './slo.errors.js';
import type { Slo } from './slo.model.js';

export interface SloRuleOptions {
  /** How much faster than real time the SLO windows pass: 1 is real time; 720 makes 30 days pass in an hour. */
  readonly timeScale: number;
  /** Prometheus's scrape interval: no range is shorter than a few of them. */
  readonly scrapeIntervalSeconds: number;
}

/**
 * rate() needs at least two samples in its range and returns nothing with fewer; a range of exactly two scrape
 * intervals can hold only one or two as scrape times jitter. Four intervals (Prometheus's own advice) always hold
 * at least three, so a scaled-down window never turns into "no data" just for being short.
 */
export const MIN_SCRAPES_PER_RANGE = 4;

/**
 * A window whose real range is at least this many scrape intervals is recorded in the SLO's second, slower group:
 * a long range (a 30-day window at time scale 1 covers all the data Prometheus keeps) is the costly query, and
 * between two evaluations LONG_GROUP_EVERY_SCRAPES apart it moves by a few percent of its range at most.
 * Evaluating it every second made rule groups overrun their interval on a busy lab.
 */
export const LONG_RANGE_SCRAPES = 600;
/** How often the slow group is evaluated, in scrape intervals, and never less often than once a minute. */
export const LONG_GROUP_EVERY_SCRAPES = 30;
const LONG_GROUP_MAX_INTERVAL_SECONDS = 60;

/** The alert every burn-rate policy raises; labels slo, severity, long_window, short_window tell them apart. */
export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';

/** The recorded series' name for a nominal window: `slo:sli_error:ratio_rate5m`. */
export const errorRatioRecord = (nominalWindow: string): string => `slo:sli_error:ratio_rate${nominalWindow}`;

/** PromQL selecting the recorded error ratio of one SLO over a nominal window: `slo:sli_error:ratio_rate1h{slo="api-availability"}`. */
export function errorRatioSeries(sloName: string, nominalWindow: string): string {
  return `${errorRatioRecord(nominalWindow)}{slo="${sloName.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"}`;
}

function checkOptions({ timeScale, scrapeIntervalSeconds }: SloRuleOptions): void {
  if (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale < 1)
    throw new SloRuleOptionsError('timeScale', timeScale, 'must be a number ≥ 1 (1 is real time, 720 makes 30 days pass in an hour)');
  if (typeof scrapeIntervalSeconds !== 'number' || !Number.isFinite(scrapeIntervalSeconds) || scrapeIntervalSeconds <= 0)
    throw new SloRuleOptionsError('scrapeIntervalSeconds', scrapeIntervalSeconds, 'must be a positive number of seconds');
}

/**
 * The range a nominal window really covers: nominal / timeScale, but at least MIN_SCRAPES_PER_RANGE scrape
 * intervals. `5m` at time scale 60 with 5 s scrapes is `20s` (5 s, clamped); `3d` at 720 is `6m`.
 */
export function scaledRange(nominalWindow: string, options: SloRuleOptions): string {
  checkOptions(options);
  const nominal = parsePrometheusDuration(nominalWindow);
  if (nominal === undefined) throw new RangeError(`"${nominalWindow}" is not a Prometheus duration like 5m or 30d`);
  return formatPrometheusDuration(Math.max(nominal / options.timeScale, MIN_SCRAPES_PER_RANGE * options.scrapeIntervalSeconds));
}

/**
 * 1 − good/total over a range, for the recording rules. Guards: no traffic at all (total 0, or no series) gives
 * no sample — "no data", not 0 % or NaN; total traffic but no good series gives 1 (all bad); the result is clamped
 * to [0, 1] because rate() extrapolates each series on its own, so good may exceed total by a hair.
 */
export function errorRatioExpression(slo: Pick<Slo, 'good' | 'total'>, range: string): string {
  return `clamp(1 - ((sum(rate(${slo.good}[${range}])) or vector(0)) / (sum(rate(${slo.total}[${range}])) > 0)), 0, 1)`;
}

/** The error ratio above which a policy fires, as PromQL computes it (so the dashboard's arithmetic matches bit for bit). */
export const thresholdExpression = (factor: number, target: number): string => `(${factor} * (1 - ${target}))`;

function rulesOf(slo: Slo, options: SloRuleOptions) {
  const rangeSeconds = (window: string): number => parsePrometheusDuration(scaledRange(window, options))!;
  const record = (window: string) => ({
    record: errorRatioRecord(window),
    expr: errorRatioExpression(slo, scaledRange(window, options)),
    labels: { slo: slo.name, service: slo.service },
  });
  const isLong = (window: string): boolean => rangeSeconds(window) >= LONG_RANGE_SCRAPES * options.scrapeIntervalSeconds;
  const windows = sloWindows(slo);
  const records = windows.filter((w) => !isLong(w)).map(record);
  const longRecords = windows.filter(isLong).map(record);
  const alerts = BURN_RATE_POLICIES.map((policy) => {
    const threshold = thresholdExpression(policy.factor, slo.target);
    const lasts = formatPrometheusDuration(slo.windowSeconds / policy.factor);
    return {
      alert: SLO_ALERT_NAME,
      expr: `${errorRatioSeries(slo.name, policy.longWindow)} > ${threshold} and ${errorRatioSeries(slo.name, policy.shortWindow)} > ${threshold}`,
      labels: { slo: slo.name, severity: policy.severity, long_window: policy.longWindow, short_window: policy.shortWindow },
      annotations: {
        summary: `${slo.displayName}: error budget burning over ${policy.factor}x (${policy.longWindow} and ${policy.shortWindow})`,
        description:
          `Error ratio {{ $value | humanizePercentage }} over ${policy.longWindow} (nominal), above ${policy.factor} x (1 - ${slo.target}). ` +
          `At a burn rate of ${policy.factor} the ${slo.window} error budget lasts ${lasts}.`,
      },
    };
  });
  const every = options.scrapeIntervalSeconds;
  const longEvery = Math.max(every, Math.min(LONG_GROUP_EVERY_SCRAPES * every, LONG_GROUP_MAX_INTERVAL_SECONDS));
  return [
    { name: `slo-${slo.name}`, interval: formatPrometheusDuration(every), rules: [...records, ...alerts] },
    ...(longRecords.length > 0 ? [{ name: `slo-${slo.name}-long`, interval: formatPrometheusDuration(longEvery), rules: longRecords }] : []),
  ];
}

/**
 * A Prometheus rule file (YAML) for the SLOs: per SLO one group with the error ratio recorded for every nominal
 * window (`slo:sli_error:ratio_rate<window>{slo}`, 5m … 3d and the SLO's window) and the SRE Workbook's
 * multi-window, multi-burn-rate alerts (`SloErrorBudgetBurn`). Each window's range is nominal / timeScale,
 * clamped to MIN_SCRAPES_PER_RANGE scrape intervals; the series keep the nominal name so queries never change
 * with the time scale. The first group is evaluated every scrape interval (a scaled window can be a few seconds long);
 * windows of LONG_RANGE_SCRAPES scrape intervals or more go in a second group, `slo-<name>-long`, evaluated every
 * LONG_GROUP_EVERY_SCRAPES scrapes (at most a minute apart).
 */
export function renderPrometheusRules(slos: readonly Slo[], options: SloRuleOptions): string {
  checkOptions(options);
  const doc = new Document({ groups: slos.flatMap((slo) => rulesOf(slo, options)) });
  doc.commentBefore = [
    ' Generated by faultline from SLO documents (faultline slo rules); edit the documents, not this file.',
    ` Time scale ${options.timeScale}: each window's range is nominal / ${options.timeScale}, at least ${MIN_SCRAPES_PER_RANGE} scrape intervals of ${formatPrometheusDuration(options.scrapeIntervalSeconds)};`,
    ' recorded series keep the nominal window in their names.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
