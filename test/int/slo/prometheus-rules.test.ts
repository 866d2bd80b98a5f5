import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSlos, renderPrometheusRules, SHIPPED_SLO_DIR } from '#libs/slo';
import { sloFixture } from '../../../libs/slo/src/testing/slo.fixtures.js';

/**
 * The generated rule files against the real Prometheus tooling (Debian's `prometheus` package, which the lab's
 * setup installs): `promtool check rules` parses every expression and template, and `promtool test rules`
 * evaluates the rules over synthetic series, so the error ratios and alerts are checked as Prometheus computes them.
 */
const PROMTOOL = process.env.FAULTLINE_PROMTOOL ?? 'promtool';

function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${PROMTOOL} not found: install Debian's prometheus package (bash scripts/setup.sh does), or set FAULTLINE_PROMTOOL`));
        return;
      }
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const checkout = sloFixture();

/** 10⁵ × a ratio, rounded: the multiplication drops the series name and keeps slo and service. */
const scaled = (selector: string): string => `round(${selector} * 100000)`;
const SERIES_LABELS = '{slo="checkout",service="shop"}';

const labelsOf = (severity: string, long: string, short: string) => ({ slo: 'checkout', service: 'shop', severity, long_window: long, short_window: short });

describe('generated Prometheus rules, checked by promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-slo-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('the shipped SLOs render a rule file promtool accepts, in real time and scaled', async () => {
    const slos = loadSlos(SHIPPED_SLO_DIR);
    for (const [timeScale, scrapeIntervalSeconds] of [
      [1, 15],
      [720, 5],
      [43_200, 1],
    ] as const) {
      const file = write(`shipped-${timeScale}.rules.yaml`, renderPrometheusRules(slos, { timeScale, scrapeIntervalSeconds }));
      const { code, output } = await promtool(['check', 'rules', file]);
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining(`SUCCESS: ${slos.length * 9} rules found`) });
    }
  });

  it('promtool refuses a broken rule file (the check can fail)', async () => {
    const broken = renderPrometheusRules([checkout], { timeScale: 1, scrapeIntervalSeconds: 15 }).replace('clamp(1 - ', 'clamp(1 - (');
    const { code, output } = await promtool(['check', 'rules', write('broken.rules.yaml', broken)]);
    expect(code).not.toBe(0);
    expect(output).toMatch(/FAILED/);
  });

  it('evaluated by Prometheus: the error ratio per window, the guards, and the burn-rate alerts', async () => {
    const rules = write('checkout.rules.yaml', renderPrometheusRules([checkout], { timeScale: 1, scrapeIntervalSeconds: 60 }));
    const tests = {
      rule_files: [rules],
      evaluation_interval: '1m',
      tests: [
        {
          // 100 good and 10 failed checkouts a minute for 80 minutes: error ratio 10 / 110 = 0.0909…,
          // a burn rate of 90.9 against the 0.001 budget: both pages and the ticket fire once their windows have data.
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{route="/checkout",status="200"}', values: '0+100x80' },
            { series: 'http_requests_total{route="/checkout",status="503"}', values: '0+10x80' },
          ],
          promql_expr_test: [
            // promtool 2.42 compares floats exactly: compare 10⁵ × the ratio, rounded (10 / 110 × 10⁵ = 9090.9 → 9091).
            { expr: scaled('slo:sli_error:ratio_rate5m{slo="checkout"}'), eval_time: '70m', exp_samples: [{ labels: SERIES_LABELS, value: 9091 }] },
            { expr: scaled('slo:sli_error:ratio_rate30d{slo="checkout"}'), eval_time: '70m', exp_samples: [{ labels: SERIES_LABELS, value: 9091 }] },
            // The recorded series' name and labels, as the dashboard selects them.
            { expr: 'count by (__name__, slo, service) (slo:sli_error:ratio_rate6h)', eval_time: '70m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate6h{slo="checkout",service="shop"}', value: 1 }] },
          ],
          alert_rule_test: [
            {
              eval_time: '70m',
              alertname: 'SloErrorBudgetBurn',
              exp_alerts: everyPolicyFiring('9.091%'),
            },
          ],
        },
        {
          // No traffic at all (the counter stands still): no sample, not 0 and not NaN — "no data", and no alert.
          // Traffic that only ever failed (no good series exists): error ratio 1, not "no data".
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{route="/checkout",status="200"}', values: '5x30' },
            { series: 'http_requests_total{route="/elsewhere",status="500"}', values: '0+1x30' },
          ],
          promql_expr_test: [{ expr: 'slo:sli_error:ratio_rate5m{slo="checkout"}', eval_time: '20m', exp_samples: [] }],
          alert_rule_test: [{ eval_time: '20m', alertname: 'SloErrorBudgetBurn', exp_alerts: [] }],
        },
        {
          interval: '1m',
          input_series: [{ series: 'http_requests_total{route="/checkout",status="500"}', values: '0+3x30' }],
          promql_expr_test: [
            { expr: 'slo:sli_error:ratio_rate5m{slo="checkout"}', eval_time: '20m', exp_samples: [{ labels: 'slo:sli_error:ratio_rate5m{slo="checkout",service="shop"}', value: 1 }] },
          ],
        },
        {
          // 0.05 % errors (1 in 2000): burn rate 0.5, under every threshold.
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{route="/checkout",status="200"}', values: '0+1999x80' },
            { series: 'http_requests_total{route="/checkout",status="500"}', values: '0+1x80' },
          ],
          alert_rule_test: [{ eval_time: '70m', alertname: 'SloErrorBudgetBurn', exp_alerts: [] }],
        },
      ],
    };
    const { code, output } = await promtool(['test', 'rules', write('checkout.test.yaml', stringify(tests))]);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  }, 60_000);

  it('scaled time: at time scale 720 (30 days in an hour) ten minutes of errors page, and the 30d window covers an hour', async () => {
    // Scrapes every 15 s, so ranges are at least 60 s: 5m, 30m, 1h and 6h → 60s, 3d → 6m, 30d → 1h.
    const rules = write('scaled.rules.yaml', renderPrometheusRules([checkout], { timeScale: 720, scrapeIntervalSeconds: 15 }));
    const tests = {
      rule_files: [rules],
      evaluation_interval: '15s',
      tests: [
        {
          // Samples every 15 s: until 50m 1000 good requests a step (199 000 at 49m45s, 200 000 at 50m), then 10 min
          // with 10 % failing: 900 good and 100 failed a step, so at 60m 236 000 good and 4000 failed.
          interval: '15s',
          input_series: [
            { series: 'http_requests_total{route="/checkout",status="200"}', values: '0+1000x199 200000+900x40' },
            { series: 'http_requests_total{route="/checkout",status="500"}', values: '0x199 0+100x40' },
          ],
          promql_expr_test: [
            // The nominal 1h window spans 60 s of real time, all in the failing period: 400 / 4000 = 0.1 → 10 000.
            { expr: scaled('slo:sli_error:ratio_rate1h{slo="checkout"}'), eval_time: '60m', exp_samples: [{ labels: SERIES_LABELS, value: 10_000 }] },
            // The nominal 30d window spans the last real hour: 4000 failed of 240 000 = 1/60 → 1666.7 → 1667.
            { expr: scaled('slo:sli_error:ratio_rate30d{slo="checkout"}'), eval_time: '60m', exp_samples: [{ labels: SERIES_LABELS, value: 1667 }] },
          ],
          alert_rule_test: [
            { eval_time: '49m', alertname: 'SloErrorBudgetBurn', exp_alerts: [] },
            {
              eval_time: '60m',
              alertname: 'SloErrorBudgetBurn',
              exp_alerts: everyPolicyFiring('10%'),
            },
          ],
        },
      ],
    };
    const { code, output } = await promtool(['test', 'rules', write('scaled.test.yaml', stringify(tests))]);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  }, 60_000);
});

/** The three burn-rate alerts, all firing, with the long window's error ratio as Prometheus prints it. */
function everyPolicyFiring(errorRatio: string) {
  return [
    { exp_labels: labelsOf('page', '1h', '5m'), exp_annotations: annotations(14.4, '1h', '5m', '2d2h', errorRatio) },
    { exp_labels: labelsOf('page', '6h', '30m'), exp_annotations: annotations(6, '6h', '30m', '5d', errorRatio) },
    { exp_labels: labelsOf('ticket', '3d', '6h'), exp_annotations: annotations(1, '3d', '6h', '30d', errorRatio) },
  ];
}

function annotations(factor: number, long: string, short: string, lasts: string, value: unknown) {
  return {
    summary: `Checkout availability: error budget burning over ${factor}x (${long} and ${short})`,
    description: `Error ratio ${String(value)} over ${long} (nominal), above ${factor} x (1 - 0.999). At a burn rate of ${factor} the 30d error budget lasts ${lasts}.`,
  };
}
