import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { errorRatioSeries, MIN_SCRAPES_PER_RANGE, renderPrometheusRules, scaledRange } from './render-prometheus-rules.js';
import type { Slo } from './slo.model.js';
import { sloFixture } from './testing/slo.fixtures.js';

const slo = sloFixture();

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}
const groupsOf = (text: string) => (parse(text) as { groups: { name: string; interval: string; rules: Rule[] }[] }).groups;

/** The recording rule's expression as written by hand: 1 − good/total over the range, guarded and clamped. */
const ratio = (range: string) =>
  `clamp(1 - ((sum(rate(http_requests_total{route="/checkout",status!~"5.."}[${range}])) or vector(0)) / (sum(rate(http_requests_total{route="/checkout"}[${range}])) > 0)), 0, 1)`;

describe('renderPrometheusRules', () => {
  it('in real time: the error ratio recorded per nominal window, short ranges every scrape, long ones (600 scrapes or more) in a slower group', () => {
    // 15 s scrapes: a range is long from 600 × 15 s = 2.5 h, so 6h, 3d and 30d; the slow group runs every
    // min(30 × 15 s, 60 s) = 60 s.
    const [group, long, ...rest] = groupsOf(renderPrometheusRules([slo], { timeScale: 1, scrapeIntervalSeconds: 15 }));
    expect(rest).toEqual([]);
    const recordOf = (w: string) => ({ record: `slo:sli_error:ratio_rate${w}`, expr: ratio(w), labels: { slo: 'checkout', service: 'shop' } });
    expect(group!.name).toBe('slo-checkout');
    expect(group!.interval).toBe('15s');
    expect(group!.rules.filter((r) => r.record)).toEqual(['5m', '30m', '1h'].map(recordOf));
    expect(long).toEqual({ name: 'slo-checkout-long', interval: '1m', rules: ['6h', '3d', '30d'].map(recordOf) });
    // 1 s scrapes: long from 600 s, so 30m and up, every 30 s.
    const [fast, slow] = groupsOf(renderPrometheusRules([slo], { timeScale: 1, scrapeIntervalSeconds: 1 }));
    expect(fast!.rules.filter((r) => r.record).map((r) => r.record)).toEqual(['slo:sli_error:ratio_rate5m']);
    expect(slow!.interval).toBe('30s');
    expect(slow!.rules.map((r) => r.record)).toEqual(['30m', '1h', '6h', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`));
  });

  it('raises the SRE Workbook alerts: 14.4x over 1h and 5m, 6x over 6h and 30m (page), 1x over 3d and 6h (ticket)', () => {
    const alerts = groupsOf(renderPrometheusRules([slo], { timeScale: 1, scrapeIntervalSeconds: 15 }))[0]!.rules.filter((r) => r.alert);
    expect(alerts.map(({ alert, expr, labels }) => ({ alert, expr, labels }))).toEqual([
      {
        alert: 'SloErrorBudgetBurn',
        expr: 'slo:sli_error:ratio_rate1h{slo="checkout"} > (14.4 * (1 - 0.999)) and slo:sli_error:ratio_rate5m{slo="checkout"} > (14.4 * (1 - 0.999))',
        labels: { slo: 'checkout', severity: 'page', long_window: '1h', short_window: '5m' },
      },
      {
        alert: 'SloErrorBudgetBurn',
        expr: 'slo:sli_error:ratio_rate6h{slo="checkout"} > (6 * (1 - 0.999)) and slo:sli_error:ratio_rate30m{slo="checkout"} > (6 * (1 - 0.999))',
        labels: { slo: 'checkout', severity: 'page', long_window: '6h', short_window: '30m' },
      },
      {
        alert: 'SloErrorBudgetBurn',
        expr: 'slo:sli_error:ratio_rate3d{slo="checkout"} > (1 * (1 - 0.999)) and slo:sli_error:ratio_rate6h{slo="checkout"} > (1 * (1 - 0.999))',
        labels: { slo: 'checkout', severity: 'ticket', long_window: '3d', short_window: '6h' },
      },
    ]);
    // 30 d / 14.4 = 2.083 d = 2 d 2 h: how long the budget lasts at the page's burn rate.
    expect(alerts[0]!.annotations!.description).toBe(
      'Error ratio {{ $value | humanizePercentage }} over 1h (nominal), above 14.4 x (1 - 0.999). At a burn rate of 14.4 the 30d error budget lasts 2d2h.',
    );
  });

  it('scales each range by the time scale, clamped to 4 scrape intervals; the series keep their nominal names', () => {
    // Time scale 720 (30 days in an hour), 5 s scrapes, so no range below 4 × 5 s = 20 s:
    //   5m/720 = 0.4167 s → 20s;  30m/720 = 2.5 s → 20s;  1h/720 = 5 s → 20s;  6h/720 = 30 s;  3d/720 = 360 s = 6m;  30d/720 = 3600 s = 1h.
    // Long from 600 × 5 s = 50 min: only 30d's 1h range is in the slow group.
    const records = groupsOf(renderPrometheusRules([slo], { timeScale: 720, scrapeIntervalSeconds: 5 })).flatMap((g) => g.rules.filter((r) => r.record));
    expect(records.map((r) => [r.record, r.expr])).toEqual([
      ['slo:sli_error:ratio_rate5m', ratio('20s')],
      ['slo:sli_error:ratio_rate30m', ratio('20s')],
      ['slo:sli_error:ratio_rate1h', ratio('20s')],
      ['slo:sli_error:ratio_rate6h', ratio('30s')],
      ['slo:sli_error:ratio_rate3d', ratio('6m')],
      ['slo:sli_error:ratio_rate30d', ratio('1h')],
    ]);
    expect(MIN_SCRAPES_PER_RANGE).toBe(4);
    // Time scale 7 with 1 s scrapes: 5m/7 = 42.857 s, kept to the millisecond; 1h/7 = 514.286 s = 8m34s286ms.
    expect(scaledRange('5m', { timeScale: 7, scrapeIntervalSeconds: 1 })).toBe('42s857ms');
    expect(scaledRange('1h', { timeScale: 7, scrapeIntervalSeconds: 1 })).toBe('8m34s286ms');
    // Exactly at the clamp: 1h/240 = 15 s = 4 × 3.75 s.
    expect(scaledRange('1h', { timeScale: 240, scrapeIntervalSeconds: 3.75 })).toBe('15s');
    expect(scaledRange('1h', { timeScale: 240, scrapeIntervalSeconds: 3.76 })).toBe('15s40ms');
  });

  it('groups per SLO, in the order given; the alert expressions select the recorded series by slo label', () => {
    const other: Slo = { ...slo, name: 'search', target: 0.99, window: '28d', windowSeconds: 2_419_200 };
    const groups = groupsOf(renderPrometheusRules([slo, other], { timeScale: 1, scrapeIntervalSeconds: 30 }));
    // 30 s scrapes: long from 5 h.
    expect(groups.map((g) => g.name)).toEqual(['slo-checkout', 'slo-checkout-long', 'slo-search', 'slo-search-long']);
    expect(groups[3]!.rules.map((r) => r.record)).toEqual(['slo:sli_error:ratio_rate6h', 'slo:sli_error:ratio_rate3d', 'slo:sli_error:ratio_rate28d']);
    expect(groups[2]!.rules.map((r) => r.record ?? r.alert).slice(2, 4)).toEqual(['slo:sli_error:ratio_rate1h', 'SloErrorBudgetBurn']);
    expect(groups[2]!.rules[3]!.expr).toBe('slo:sli_error:ratio_rate1h{slo="search"} > (14.4 * (1 - 0.99)) and slo:sli_error:ratio_rate5m{slo="search"} > (14.4 * (1 - 0.99))');
    expect(errorRatioSeries('search', '28d')).toBe('slo:sli_error:ratio_rate28d{slo="search"}');
  });

  it('starts with a comment saying it is generated and how time is scaled', () => {
    expect(renderPrometheusRules([], { timeScale: 60, scrapeIntervalSeconds: 2 }).split('\n').slice(0, 3)).toEqual([
      '# Generated by faultline from SLO documents (faultline slo rules); edit the documents, not this file.',
      "# Time scale 60: each window's range is nominal / 60, at least 4 scrape intervals of 2s;",
      '# recorded series keep the nominal window in their names.',
    ]);
  });

  it('refuses a time scale below 1 and a scrape interval that is not positive, with a coded error', () => {
    expect(() => renderPrometheusRules([slo], { timeScale: 0.5, scrapeIntervalSeconds: 5 })).toThrow(
      expect.objectContaining({ code: 'SLO_RULE_OPTIONS_INVALID', option: 'timeScale', message: expect.stringMatching(/^timeScale must be a number ≥ 1/) }),
    );
    expect(() => renderPrometheusRules([slo], { timeScale: Number.NaN, scrapeIntervalSeconds: 5 })).toThrow(expect.objectContaining({ option: 'timeScale' }));
    expect(() => renderPrometheusRules([slo], { timeScale: 1, scrapeIntervalSeconds: 0 })).toThrow(expect.objectContaining({ option: 'scrapeIntervalSeconds' }));
  });
});
