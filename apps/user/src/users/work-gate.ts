/**
 * At most `concurrency` pieces of work at a time, the rest waiting in arrival order; a waiter whose signal
 * aborts leaves the queue without running. For CPU-bound work handed to libuv's thread pool (scrypt): the
 * pool would take every job at once and spread the cores over all of them, so under overload none finishes
 * in time; here the work runs a few at a time and a request whose caller already gave up is never started.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  /** How many wait for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` once a slot is free; rejects with the signal's reason if it aborts first (work not run). */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      // The slot is handed over by release(): `running` stays counted across the hand-over.
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
