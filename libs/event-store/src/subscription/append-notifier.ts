/**
 * Sends the cross-process wake-up after appends, coalesced: at most one NOTIFY in flight, and one more after
 * it if appends happened meanwhile — so the last append is always followed by a NOTIFY sent after its commit.
 *
 * Why not NOTIFY inside the append: Postgres serializes the commits of notifying transactions on one lock
 * held through the WAL flush, which would undo group commit for every append. Here only the small NOTIFY
 * transactions queue on it. A failed NOTIFY is ignored: subscribers poll anyway, this only makes them prompt.
 */
export class AppendNotifier {
  private inFlight: Promise<void> | undefined;
  private pending = false;

  constructor(
    private readonly send: () => Promise<void>,
    /** At least this long between two NOTIFYs: under load one per interval wakes everyone just as well. */
    private readonly minIntervalMs = 5,
  ) {}

  signal(): void {
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = this.drain();
  }

  /** Resolves when no NOTIFY is in flight (for a clean shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    do {
      this.pending = false;
      const started = performance.now();
      try {
        await this.send();
      } catch {
        // A hint only (see above); the pool reports broken connections to whoever uses them next.
      }
      const rest = this.minIntervalMs - (performance.now() - started);
      if (this.pending && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    } while (this.pending);
    this.inFlight = undefined;
  }
}
