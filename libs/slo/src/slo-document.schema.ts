import { z } from 'zod';
import { ALERT_WINDOWS } from './burn-rate-policies.js';
import { formatPrometheusDuration, parsePrometheusDuration } from './prometheus-duration.js';

// An SLO document is an OpenSLO v1 `SLO` (https://github.com/OpenSLO/OpenSLO#slo) narrowed to what faultline
// can turn into Prometheus rules: an inline ratio indicator over two Prometheus counters, one rolling window,
// the Occurrences budgeting method and one objective.

/** A fixed value: "is required: write …" when missing, the given reason (or the document error map's words) when wrong. */
function fixed<const V extends string | boolean>(value: V, why?: string) {
  return z.literal(value, { error: (issue) => (issue.input === undefined ? `is required: write ${String(value)}` : why) });
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

// A PromQL series selector: a metric name and optional label matchers with double-quoted values.
const LABEL_MATCHER = String.raw`[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"`;
const SELECTOR = new RegExp(String.raw`^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{\s*(?:${LABEL_MATCHER}(?:\s*,\s*${LABEL_MATCHER})*\s*,?\s*)?\})?$`);
const SELECTOR_HINT =
  'must be a PromQL series selector of a counter, like http_requests_total{app="gateway",status!~"5.."}: faultline wraps it in sum(rate(…[window])), so write no function and no range';

const query = z.string().trim().regex(SELECTOR, SELECTOR_HINT);

const metricSource = z.strictObject({
  metricSource: z.strictObject({
    type: fixed('Prometheus', 'must be "Prometheus": faultline generates Prometheus rules'),
    spec: z.strictObject({ query }),
  }),
});

const MIN_WINDOW_SECONDS = parsePrometheusDuration(ALERT_WINDOWS[ALERT_WINDOWS.length - 1]!)!;

const windowDuration = z
  .string()
  .superRefine((text, ctx) => {
    if (/^\d+[MQY]$/.test(text)) ctx.addIssue({ code: 'custom', message: 'calendar units (M, Q, Y) are not supported: write days, like 30d' });
    else if (!/^[1-9]\d*[mhdw]$/.test(text)) ctx.addIssue({ code: 'custom', message: 'must be a duration like 30d or 4w (units m, h, d, w)' });
    else if (parsePrometheusDuration(text)! <= MIN_WINDOW_SECONDS)
      ctx.addIssue({ code: 'custom', message: `must be longer than ${ALERT_WINDOWS[ALERT_WINDOWS.length - 1]}, the longest alert window; the alerts are tuned for 30d` });
  })
  .transform((text) => parsePrometheusDuration(text)!);

const objective = z
  .strictObject({
    displayName: z.string().min(1).optional(),
    target: z.number().gt(0, 'must be more than 0, like 0.999').lt(1, 'must be less than 1, like 0.999 (a target of 1 leaves no error budget)'),
    /** A latency SLI's bound: good events are at most `value` (the histogram bucket `le="<value>"` of the good query). */
    op: fixed('lte', 'must be "lte": a histogram bucket counts the events at most its bound (le)').optional(),
    value: z.number().gt(0).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.op !== undefined && o.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required with op: write the bound, like value: 0.25' });
    if (o.value !== undefined && o.op === undefined) ctx.addIssue({ code: 'custom', path: ['op'], message: 'is required with value: write op: lte' });
  });

export const sloDocumentSchema = z
  .strictObject({
    apiVersion: fixed('openslo/v1'),
    kind: fixed('SLO'),
    metadata: z.strictObject({
      name: z.string().regex(NAME, 'must be lowercase letters, digits and dashes, like api-availability (at most 63 characters)'),
      displayName: z.string().min(1).optional(),
    }),
    spec: z.strictObject({
      service: z.string().min(1),
      description: z.string().trim().min(1, 'must say what the SLO means: what counts as good, and why').max(1050),
      indicator: z.strictObject({
        metadata: z.strictObject({ name: z.string().regex(NAME, 'must be lowercase letters, digits and dashes'), displayName: z.string().min(1).optional() }).optional(),
        spec: z.strictObject({
          ratioMetric: z.strictObject({
            counter: fixed(true, 'must be true: good and total are counters (faultline takes their rate)'),
            good: metricSource,
            total: metricSource,
          }),
        }),
      }),
      timeWindow: z
        .array(z.strictObject({ duration: windowDuration, isRolling: fixed(true, 'must be true: only rolling windows are supported') }))
        .length(1, 'must have exactly one entry, like [{ duration: 30d, isRolling: true }]'),
      budgetingMethod: fixed('Occurrences', 'must be "Occurrences": the budget is a share of events (Timeslices and RatioTimeslices are not supported)'),
      objectives: z.array(objective).length(1, 'must have exactly one objective, like [{ target: 0.999 }]'),
    }),
  })
  .superRefine((doc, ctx) => {
    const value = doc.spec.objectives[0]!.value;
    const good = doc.spec.indicator.spec.ratioMetric.good.metricSource.spec.query;
    if (value !== undefined && !good.includes(`le="${value}"`))
      ctx.addIssue({
        code: 'custom',
        path: ['spec', 'indicator', 'spec', 'ratioMetric', 'good', 'metricSource', 'spec', 'query'],
        message: `must count the events under the objective's bound ${value}: select the histogram bucket le="${value}"`,
      });
  });

export type SloDocument = z.output<typeof sloDocumentSchema>;

/** The nominal window's name for an SLO window of that many seconds (`30d`). */
export const windowName = (seconds: number): string => formatPrometheusDuration(seconds);
