/**
 * A fault as the checkers need it, on the history's clock (ms since run start): the experiment maps its
 * ledger entries to these (wall-clock times minus the run's start).
 */
export interface FaultWindow {
  readonly kind: string;
  readonly target: string;
  readonly injectedAt: number;
  /** Omitted: never healed during the run. */
  readonly healedAt?: number;
  /** The shards it affects; omitted: the whole system (every operation counts). */
  readonly shards?: readonly number[];
}
