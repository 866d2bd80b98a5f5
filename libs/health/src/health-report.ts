/** One check's outcome as served by `GET /health`. */
export interface CheckResult {
  readonly ok: boolean;
  /** How long the check took, in milliseconds (the timeout, when it timed out). */
  readonly latencyMs: number;
  /** Why it failed; absent when ok. */
  readonly error?: string;
  /** Machine-readable failure code when the error had one (`HEALTH_CHECK_TIMEOUT`, `ECONNREFUSED`, …). */
  readonly code?: string;
  readonly [detail: string]: unknown;
}

/** Body of `GET /health`: 200 when every check is ok, 503 otherwise. */
export interface HealthReport {
  readonly status: 'ok' | 'error';
  readonly checks: Readonly<Record<string, CheckResult>>;
}
