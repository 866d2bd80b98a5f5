import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSlos, sloFromText } from './load-slos.js';
import { SHIPPED_SLO_DIR } from './shipped-slo-dir.js';
import { isSloDocumentError, type SloDocumentError } from './slo.errors.js';

// Line numbers matter below: the errors name them.
const GOOD = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
  displayName: Checkout latency
spec:
  service: shop
  description: 99 % of checkouts within 250 ms.
  indicator:
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: http_request_duration_seconds_bucket{route="/checkout",le="0.25"}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_request_duration_seconds_count{route="/checkout"}
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
      op: lte
      value: 0.25
`;

/** The document with one line replaced (1-based), as an author's slip would. */
const withLine = (line: number, text: string): string =>
  GOOD.split('\n')
    .map((l, i) => (i === line - 1 ? text : l))
    .join('\n');

function refusal(text: string): SloDocumentError {
  try {
    sloFromText(text, 'bad.yaml');
  } catch (error) {
    if (isSloDocumentError(error)) return error;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('SLO documents', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-slo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a valid document into an Slo: the window in seconds and by name, the selectors, the latency bound', () => {
    expect(sloFromText(GOOD, 'checkout.yaml')).toEqual({
      name: 'checkout-latency',
      displayName: 'Checkout latency',
      service: 'shop',
      description: '99 % of checkouts within 250 ms.',
      target: 0.99,
      windowSeconds: 28 * 86_400,
      window: '28d',
      good: 'http_request_duration_seconds_bucket{route="/checkout",le="0.25"}',
      total: 'http_request_duration_seconds_count{route="/checkout"}',
      threshold: { op: 'lte', value: 0.25 },
      file: 'checkout.yaml',
    });
    // displayName defaults to the name; no op/value, no threshold.
    const plain = sloFromText(withLine(5, '').replace(/      op: lte\n      value: 0.25\n/, '').replace(',le="0.25"', ''), 'plain.yaml');
    expect(plain).toMatchObject({ displayName: 'checkout-latency' });
    expect(plain).not.toHaveProperty('threshold');
  });

  it('refuses a bad field with a coded error naming the file, the field path, the line and the reason', () => {
    const error = refusal(withLine(28, '    - target: 1'));
    expect(error.code).toBe('SLO_DOCUMENT_INVALID');
    expect(error.file).toBe('bad.yaml');
    expect(error.issues).toEqual([{ path: 'spec.objectives.0.target', line: 28, message: 'must be less than 1, like 0.999 (a target of 1 leaves no error budget)' }]);
    expect(error.message).toBe('invalid SLO document bad.yaml:\n  spec.objectives.0.target (line 28): must be less than 1, like 0.999 (a target of 1 leaves no error budget)');
  });

  it.each([
    [4, '  name: Checkout_Latency', 'metadata.name', 4, 'must be lowercase letters, digits and dashes, like api-availability (at most 63 characters)'],
    [1, 'apiVersion: openslo/v2alpha', 'apiVersion', 1, 'must be "openslo/v1", not the string "openslo/v2alpha"'],
    [2, 'kind: SLI', 'kind', 2, 'must be "SLO", not the string "SLI"'],
    [8, '  description: x\n  descripton: typo', 'spec.descripton', 9, expect.stringMatching(/^unknown field "descripton" — did you mean "description"\?/)],
    [12, '        counter: false', 'spec.indicator.spec.ratioMetric.counter', 12, 'must be true: good and total are counters (faultline takes their rate)'],
    [15, '            type: Datadog', 'spec.indicator.spec.ratioMetric.good.metricSource.type', 15, 'must be "Prometheus": faultline generates Prometheus rules'],
    [
      22,
      '              query: sum(rate(http_request_duration_seconds_count[5m]))',
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
      22,
      expect.stringMatching(/^must be a PromQL series selector of a counter, like .*: faultline wraps it in sum\(rate\(…\[window\]\)\), so write no function and no range$/),
    ],
    [24, '    - duration: 1M', 'spec.timeWindow.0.duration', 24, 'calendar units (M, Q, Y) are not supported: write days, like 30d'],
    [24, '    - duration: 2d', 'spec.timeWindow.0.duration', 24, 'must be longer than 3d, the longest alert window; the alerts are tuned for 30d'],
    [24, '    - duration: 30 days', 'spec.timeWindow.0.duration', 24, 'must be a duration like 30d or 4w (units m, h, d, w)'],
    [25, '      isRolling: false', 'spec.timeWindow.0.isRolling', 25, 'must be true: only rolling windows are supported'],
    [26, '  budgetingMethod: Timeslices', 'spec.budgetingMethod', 26, expect.stringMatching(/^must be "Occurrences"/)],
    [28, '    - target: 0', 'spec.objectives.0.target', 28, 'must be more than 0, like 0.999'],
    [28, '    - target: 99.9', 'spec.objectives.0.target', 28, 'must be less than 1, like 0.999 (a target of 1 leaves no error budget)'],
    [29, '      op: lt', 'spec.objectives.0.op', 29, 'must be "lte": a histogram bucket counts the events at most its bound (le)'],
    [29, '', 'spec.objectives.0.op', 28, 'is required with value: write op: lte'],
    // The bound and the bucket the good query selects must agree.
    [30, '      value: 0.5', 'spec.indicator.spec.ratioMetric.good.metricSource.spec.query', 17, 'must count the events under the objective\'s bound 0.5: select the histogram bucket le="0.5"'],
  ])('line %i as %j: %s (line %i) is refused', (line, text, path, reportedLine, message) => {
    expect(refusal(withLine(line, text)).issues).toEqual([{ path, line: reportedLine, message }]);
  });

  it('says what is missing, and reports every problem of a document at once', () => {
    expect(refusal('kind: SLO\n').issues).toEqual([
      { path: 'apiVersion', line: 1, message: 'is required: write openslo/v1' },
      { path: 'metadata', line: 1, message: 'is required: write a mapping of fields (key: value)' },
      { path: 'spec', line: 1, message: 'is required: write a mapping of fields (key: value)' },
    ]);
    const many = refusal(withLine(28, '    - target: 2').replace('kind: SLO', 'kind: SLI'));
    expect(many.issues.map((i) => `${i.path}:${i.line}`)).toEqual(['kind:2', 'spec.objectives.0.target:28']);
    expect(refusal('metadata: [\n').issues[0]).toMatchObject({ path: '', line: 2 }); // a YAML syntax error, with its line
  });

  it('loads a folder: every .yaml/.yml/.json file, sorted; a file list as given', () => {
    const folder = join(dir, 'good');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.yaml'), GOOD);
    writeFileSync(join(folder, 'a.yml'), GOOD.replace('name: checkout-latency', 'name: another'));
    writeFileSync(join(folder, 'notes.txt'), 'not an SLO');
    expect(loadSlos(folder).map((s) => [s.name, s.file])).toEqual([
      ['another', join(folder, 'a.yml')],
      ['checkout-latency', join(folder, 'b.yaml')],
    ]);
    expect(loadSlos([join(folder, 'b.yaml')]).map((s) => s.name)).toEqual(['checkout-latency']);
    expect(loadSlos(join(folder, 'b.yaml')).map((s) => s.name)).toEqual(['checkout-latency']);
  });

  it('refuses two SLOs of one name, every invalid file of a folder at once, an empty or missing folder', () => {
    const folder = join(dir, 'bad');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), GOOD);
    writeFileSync(join(folder, 'b.yaml'), GOOD);
    writeFileSync(join(folder, 'c.yaml'), withLine(28, '    - target: 1.5'));
    let error: unknown;
    try {
      loadSlos(folder);
    } catch (e) {
      error = e;
    }
    expect(isSloDocumentError(error)).toBe(true);
    expect((error as SloDocumentError).files).toEqual([
      { file: join(folder, 'b.yaml'), issues: [{ path: 'metadata.name', line: 4, message: `"checkout-latency" is already the name of the SLO in ${join(folder, 'a.yaml')}: names must be unique` }] },
      { file: join(folder, 'c.yaml'), issues: [expect.objectContaining({ path: 'spec.objectives.0.target', line: 28 })] },
    ]);
    expect((error as Error).message).toContain(`invalid SLO document ${join(folder, 'c.yaml')}:\n  spec.objectives.0.target (line 28)`);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => loadSlos(empty)).toThrow(/no SLO documents here \(files ending in \.yaml, \.yml, \.json\)/);
    expect(() => loadSlos(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'SLO_DOCUMENT_INVALID', message: expect.stringMatching(/cannot read the folder/) }));
    expect(() => loadSlos([join(dir, 'missing.yaml')])).toThrow(/cannot read the file/);
    expect(() => loadSlos(join(dir, 'missing.yaml'))).toThrow(/cannot read the file/);
  });

  it('ships the five SLOs of the lab, write availability once per shard, each valid', () => {
    const slos = loadSlos(SHIPPED_SLO_DIR);
    expect(slos.map((s) => [s.name, s.service, s.target, s.window, s.threshold?.value])).toEqual([
      ['api-availability', 'public-api', 0.999, '30d', undefined],
      ['api-latency', 'public-api', 0.99, '30d', 0.25],
      ['edge-freshness', 'cdn-edge', 0.99, '30d', undefined],
      ['job-latency', 'jobs', 0.99, '30d', 2.5],
      ['write-availability-shard0', 'sharded-store', 0.999, '30d', undefined],
      ['write-availability-shard1', 'sharded-store', 0.999, '30d', undefined],
    ]);
    for (const slo of slos) expect(slo.description.length).toBeGreaterThan(200);
  });
});
