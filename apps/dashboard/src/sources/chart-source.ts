import type { ChartsValue } from '../domain/build-snapshot.js';
import { errorRatioQuery, latencyQuantileQuery, taggedUnion, throughputQuery, type ChartQueryOptions } from '../domain/promql.js';
import type { ChartSeries } from '../domain/snapshot.model.js';
import type { MatrixSeries, PrometheusClient } from './prometheus-client.js';

const QUANTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

/** Prometheus's points on a regular time grid (seconds), null where it had none or a non-finite value (no traffic). */
export function onGrid(series: MatrixSeries | undefined, times: readonly number[]): ChartSeries {
  const byTime = new Map((series?.points ?? []).map(([t, v]) => [Math.round(t), v]));
  return { times, values: times.map((t) => { const v = byTime.get(t); return v === undefined || !Number.isFinite(v) ? null : v; }) };
}

/** The live charts: throughput, error ratio and latency quantiles of the public API over the last minutes, in one range query. */
export class ChartSource {
  constructor(
    private readonly options: ChartQueryOptions & { readonly rangeSeconds: number; readonly stepSeconds: number },
  ) {}

  get rangeSeconds(): number {
    return this.options.rangeSeconds;
  }

  async read(prometheus: PrometheusClient, nowMs: number): Promise<ChartsValue> {
    const { stepSeconds, rangeSeconds } = this.options;
    const end = Math.floor(nowMs / 1000 / stepSeconds) * stepSeconds;
    const start = end - rangeSeconds;
    const query = taggedUnion([
      { key: 'throughput', query: throughputQuery(this.options) },
      { key: 'errorRatio', query: errorRatioQuery(this.options) },
      ...Object.entries(QUANTILES).map(([key, q]) => ({ key, query: latencyQuantileQuery(q, this.options) })),
    ]);
    const result = await prometheus.queryRange(query, { start, end, stepSeconds });
    const times: number[] = [];
    for (let t = start; t <= end; t += stepSeconds) times.push(t);
    const of = (key: string): ChartSeries => onGrid(result.find((s) => s.labels.fl_key === key), times);
    return { rangeSeconds, throughput: of('throughput'), errorRatio: of('errorRatio'), latency: { p50: of('p50'), p95: of('p95'), p99: of('p99') } };
  }
}
