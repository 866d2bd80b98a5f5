/**
 * The PromQL behind the dashboard's charts and SLO table. The apps export `http_requests_total` and
 * `http_request_duration_seconds` (libs/observability, labels route, method, status; every series also
 * carries app, instance and dc): the charts show what the public API (the gateways) served.
 */

/** A label value inside a PromQL string literal: backslash, double quote and newline escaped. */
export const promqlString = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export interface ChartQueryOptions {
  /** Which app's requests: `gateway` (the public API). */
  readonly app: string;
  /** The rate() range, e.g. `10s`; at least a few scrape intervals. */
  readonly rateWindow: string;
}

const RANGE = /^\d+(ms|s|m|h|d|w|y)$/;
const checkRange = (range: string): string => {
  if (!RANGE.test(range)) throw new Error(`not a PromQL range: "${range}"`);
  return range;
};

const requests = (o: ChartQueryOptions, extra = ''): string => `http_requests_total{app=${promqlString(o.app)}${extra}}`;

/** Requests per second. */
export const throughputQuery = (o: ChartQueryOptions): string => `sum(rate(${requests(o)}[${checkRange(o.rateWindow)}]))`;

/** Share of answers that were server errors (5xx), 0..1. */
export const errorRatioQuery = (o: ChartQueryOptions): string =>
  `sum(rate(${requests(o, ',status=~"5.."')}[${checkRange(o.rateWindow)}])) / sum(rate(${requests(o)}[${checkRange(o.rateWindow)}]))`;

/** The latency quantile (0.5, 0.95, 0.99) in seconds, from the histogram's buckets across instances. */
export function latencyQuantileQuery(quantile: number, o: ChartQueryOptions): string {
  if (!(quantile > 0 && quantile < 1)) throw new Error(`a quantile is between 0 and 1 (got ${quantile})`);
  return `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{app=${promqlString(o.app)}}[${checkRange(o.rateWindow)}])))`;
}

/**
 * Several queries in one: each result series tagged with `key` (label `fl_key`), so one request to
 * Prometheus answers them all and each answer can be told apart. The tag also makes every part's
 * label set distinct, so `or` keeps them all.
 */
export function taggedUnion(parts: readonly { readonly key: string; readonly query: string }[]): string {
  return parts.map((part) => `label_replace(${part.query}, "fl_key", ${promqlString(part.key)}, "", "")`).join(' or ');
}
