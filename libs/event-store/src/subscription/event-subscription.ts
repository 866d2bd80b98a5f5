import type { Event } from '../event.js';
import type { RecordedEvent } from '../recorded-event.js';
import type { WakeSignal } from './wake-signal.js';

export type SubscriptionHandler<E extends Event> = (event: RecordedEvent<E>) => void | Promise<void>;

export interface SubscribeOptions {
  /** Events read per query (default 500). */
  readonly batchSize?: number;
  /** The longest a caught-up subscriber waits before reading again without a wake-up (default 250 ms). */
  readonly pollIntervalMs?: number;
  /** Aborting it stops the subscription, like `stop()`. */
  readonly signal?: AbortSignal;
  /** Reads that fail (e.g. during a failover) are retried after the poll interval; this hears about them. */
  readonly onReadError?: (error: unknown) => void;
}

/** How a subscription ended: stopped (no error), or its handler threw (`error`, not retried). */
export interface SubscriptionEnd {
  /** The position of the last event the handler finished: resume from here. */
  readonly position: bigint;
  readonly error?: unknown;
}

export interface EventSubscription {
  /** The position of the last event the handler finished. */
  readonly position: bigint;
  /** Resolves (never rejects) when the subscription has ended. */
  readonly done: Promise<SubscriptionEnd>;
  /** Stops after the event being handled, if any; resolves when the loop has ended. Not to be awaited inside the handler. */
  stop(): Promise<SubscriptionEnd>;
}

interface SubscriptionSource<E extends Event> {
  readAll(after: bigint, limit: number): Promise<readonly RecordedEvent<E>[]>;
  readonly wake: WakeSignal;
  /** Called before a caught-up subscriber waits (the store starts its LISTEN, without waiting for it). */
  beforeIdle(): void;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 250;

/**
 * Delivers every event after a position, in position order, one at a time: read a batch, hand each event
 * to the handler, and when caught up wait for a wake-up (an append in this process, a NOTIFY from another)
 * or the poll interval. Reads only ever go up to the xmin horizon, so no event is skipped (global-position.ts).
 */
export class PollingSubscription<E extends Event> implements EventSubscription {
  readonly done: Promise<SubscriptionEnd>;
  private current: bigint;
  private readonly stopper = new AbortController();

  constructor(
    private readonly source: SubscriptionSource<E>,
    fromPosition: bigint,
    private readonly handler: SubscriptionHandler<E>,
    private readonly options: SubscribeOptions = {},
  ) {
    this.current = fromPosition;
    options.signal?.addEventListener('abort', () => this.stopper.abort(), { once: true });
    if (options.signal?.aborted) this.stopper.abort();
    this.done = this.run();
  }

  get position(): bigint {
    return this.current;
  }

  stop(): Promise<SubscriptionEnd> {
    this.stopper.abort();
    return this.done;
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async run(): Promise<SubscriptionEnd> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const pollIntervalMs = this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const { wake } = this.source;
    while (!this.stopped) {
      const seen = wake.current;
      let batch: readonly RecordedEvent<E>[];
      try {
        batch = await this.source.readAll(this.current, batchSize);
      } catch (error) {
        this.options.onReadError?.(error);
        await wake.wait(wake.current, pollIntervalMs, this.stopper.signal);
        continue;
      }
      for (const event of batch) {
        if (this.stopped) break;
        try {
          await this.handler(event);
        } catch (error) {
          this.stopper.abort();
          return { position: this.current, error };
        }
        this.current = event.metadata.position;
      }
      if (batch.length < batchSize && !this.stopped) {
        this.source.beforeIdle();
        await wake.wait(seen, pollIntervalMs, this.stopper.signal);
      }
    }
    return { position: this.current };
  }
}
