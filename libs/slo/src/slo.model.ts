/**
 * One service level objective, as loaded from an OpenSLO-shaped document (see ../README.md). The indicator is a
 * ratio of two Prometheus counters: `good` events over `total` events, each a series selector that faultline
 * wraps in `sum(rate(<selector>[<range>]))`.
 */
export interface Slo {
  /** `metadata.name`: unique, a DNS label (`api-availability`); the `slo` label of every series and alert. */
  readonly name: string;
  readonly displayName: string;
  readonly service: string;
  readonly description: string;
  /** The objective: the share of good events over the window, 0 < target < 1 (e.g. 0.999). */
  readonly target: number;
  /** The nominal rolling window in seconds (30d = 2 592 000). */
  readonly windowSeconds: number;
  /** The same window in Prometheus syntax (`30d`): the name of its recorded series, `slo:sli_error:ratio_rate30d`. */
  readonly window: string;
  /** PromQL series selector of the counter of good events, e.g. `http_requests_total{app="gateway",status!~"5.."}`. */
  readonly good: string;
  /** PromQL series selector of the counter of all events. */
  readonly total: string;
  /** A latency SLI's bound (`objectives[0].op`/`value`): good events are those at most `value` (the histogram bucket `le`). */
  readonly threshold?: SloThreshold;
  /** Where it was loaded from. */
  readonly file: string;
}

export interface SloThreshold {
  readonly op: 'lte';
  readonly value: number;
}
