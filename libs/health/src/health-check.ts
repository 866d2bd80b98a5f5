/** What a check gets: its time budget, and a signal that aborts when the budget is spent. */
export interface HealthCheckContext {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** Extra facts a check reports next to `ok` and `latencyMs` (the NATS server, each Postgres node, …). */
export type HealthDetails = Readonly<Record<string, unknown>>;

/**
 * One dependency, checked for real (a PING, a round trip, a query). `run` resolves when the
 * dependency answered and rejects with the reason when it did not; it may return details.
 */
export interface HealthCheck {
  /** The key in the report's `checks` and the `check` label of `health_check_up`. */
  readonly name: string;
  run(context: HealthCheckContext): Promise<HealthDetails | void>;
  /** Releases what the check keeps open between runs (a probe connection), when the app shuts down. */
  close?(): Promise<void>;
}
