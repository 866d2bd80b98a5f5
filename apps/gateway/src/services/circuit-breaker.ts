export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  readonly openMs: number;
  readonly now?: () => number;
}

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };

/**
 * Fails fast while a service is unreachable: after `failureThreshold` consecutive failures every call
 * is refused for `openMs`; then one probe goes through (half-open) and its outcome closes or reopens
 * the circuit. Other calls are refused while the probe is out, so a dead service sees one request
 * per period, not the whole load.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  admit(): Admission {
    const state = this.state;
    if (state === 'closed') return { admitted: true };
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return { admitted: true };
    }
    const remaining = this.openedAt! + this.options.openMs - this.now();
    return { admitted: false, retryAfterMs: Math.max(remaining, 0) || this.options.openMs };
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  onFailure(): void {
    this.failures += 1;
    if (this.probing || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      this.probing = false;
    }
  }
}
