export interface RetryBudgetOptions {
  /** Retries allowed as a share of first attempts (0.2: one retry per five calls). */
  readonly ratio: number;
  /** Retries always allowed per second, so a quiet gateway can still retry. */
  readonly minPerSecond: number;
  readonly now?: () => number;
}

/**
 * Bounds retries across all calls (Finagle's retry budget): when a service is overloaded, per-call
 * retries would multiply its load exactly when it can least take it. Calls deposit `ratio` tokens;
 * a retry withdraws one. The reserve of `minPerSecond` refills over time.
 */
export class RetryBudget {
  private balance: number;
  private reserve: number;
  private reserveRefilledAt: number;
  private readonly now: () => number;

  constructor(private readonly options: RetryBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.balance = 0;
    this.reserve = options.minPerSecond;
    this.reserveRefilledAt = this.now();
  }

  recordCall(): void {
    // Capped so a long quiet spell of successes cannot fund a retry storm later.
    this.balance = Math.min(this.balance + this.options.ratio, Math.max(10, this.options.minPerSecond * 10));
  }

  tryRetry(): boolean {
    this.refillReserve();
    if (this.balance >= 1) {
      this.balance -= 1;
      return true;
    }
    if (this.reserve >= 1) {
      this.reserve -= 1;
      return true;
    }
    return false;
  }

  private refillReserve(): void {
    const now = this.now();
    const elapsedSeconds = (now - this.reserveRefilledAt) / 1000;
    this.reserve = Math.min(this.options.minPerSecond, this.reserve + elapsedSeconds * this.options.minPerSecond);
    this.reserveRefilledAt = now;
  }
}
