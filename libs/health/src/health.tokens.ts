/** The instance's `HealthCheck[]`, built by the factory given to `HealthModule.forRoot`. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** `HealthOptions` of `HealthModule.forRoot`. */
export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

export interface HealthOptions {
  /** Budget of each check; the checks run in parallel, so also roughly that of `GET /health`. */
  readonly timeoutMs: number;
}

/**
 * Short enough that a load balancer's check (about 1–2 s) sees the 503 rather than its own
 * timeout, long enough for a loaded loopback round trip.
 */
export const DEFAULT_HEALTH_TIMEOUT_MS = 1_000;
