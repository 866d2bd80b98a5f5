import type { JetStreamClient, JetStreamManager, PubAck } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { PostgresEventStore, WakeSignal, type Event, type ReadAllResult, type RecordedEvent } from '#libs/event-store';
import type { ShardRouter } from '#libs/shard-router';
import { encodeEvent } from '../bus-event.js';
import { eventBusMetrics, type EventBusMetrics } from '../event-bus.metrics.js';
import { ensureEventStream, eventStreamDefaults, type EventStreamOptions } from '../event-stream.js';
import { backoffDelay, errorMessage, pause, silentLog, type BackoffOptions, type EventBusLog } from '../runtime.js';
import { countEventsAfter, ensureRelaySchema, readRelayCheckpoint, writeRelayCheckpoint } from './relay-checkpoints.js';
import { RelayLock } from './relay-lock.js';

export interface EventRelayOptions {
  readonly shard: number;
  /** Finds the shard's primary: the log is read there, the checkpoint and the lock live there. */
  readonly router: ShardRouter;
  /** A JetStream client on the instance's NATS connection (which should reconnect forever: natsConnectionOptions). */
  readonly js: JetStreamClient;
  /** The stream and its settings (created or updated at start): name, subject prefix, dedup window, limits. */
  readonly stream?: EventStreamOptions;
  /** Names the checkpoint row and the lock (default: the stream name), so relays to two streams never meet. */
  readonly relayName?: string;
  readonly registry?: Registry;
  readonly log?: EventBusLog;
  /** Events read and published per batch; the checkpoint is written after each batch (default 500). */
  readonly batchSize?: number;
  /**
   * Publishes awaiting their ack at once (default 1). 1 keeps the shard's order in the stream under every
   * failure. More is faster, but when the NATS connection breaks with a window in flight, a message may be
   * lost while a later one (buffered during the reconnect) is stored, and the retry then lands after it:
   * nothing is lost or duplicated, but that shard's order in the stream is broken for those messages.
   */
  readonly publishWindow?: number;
  /** How long to wait for one publish's ack (default 5000 ms). */
  readonly publishTimeoutMs?: number;
  /** A caught-up relay reads again after this long without a NOTIFY (default 1000 ms; the fallback if one is lost). */
  readonly pollIntervalMs?: number;
  /** A standby relay tries to take the lock this often (default 2000 ms). */
  readonly lockRetryMs?: number;
  /** The active relay checks its lock connection and that its node is still primary this often (default 5000 ms). */
  readonly lockCheckMs?: number;
  /** After this many failures in a row the relay gives the lock up for a round, so another instance may take over (default 8). */
  readonly releaseAfterFailures?: number;
  /** Retry delays after failures (default 100 ms doubling to 5 s, with jitter). */
  readonly backoff?: BackoffOptions;
  /** The lag gauge is recounted at most this often while busy (default 1000 ms), and whenever the relay catches up. */
  readonly lagIntervalMs?: number;
  /**
   * Called after each ack, before the next publish (the checkpoint is written after the batch). For
   * observation and for tests: `kill()` called from here plays a crash between publish and checkpoint.
   */
  readonly onPublished?: (event: RecordedEvent, ack: PubAck) => void | Promise<void>;
}

export type EventRelayState = 'standby' | 'active' | 'stopped';

export const eventRelayDefaults = {
  batchSize: 500,
  publishWindow: 1,
  publishTimeoutMs: 5_000,
  pollIntervalMs: 1_000,
  lockRetryMs: 2_000,
  lockCheckMs: 5_000,
  releaseAfterFailures: 8,
  backoff: { baseMs: 100, maxMs: 5_000 },
  lagIntervalMs: 1_000,
} as const;

/** Counted exactly up to here; beyond it the lag gauge says "at least this many". */
const LAG_COUNT_CAP = 1_000_000;

/** Stores (for readAll) per node DataSource; they never subscribe, so they hold nothing open. */
const stores = new WeakMap<DataSource, PostgresEventStore<Event>>();
function storeOf(dataSource: DataSource): PostgresEventStore<Event> {
  let store = stores.get(dataSource);
  if (!store) {
    store = new PostgresEventStore<Event>(dataSource, { notify: false });
    stores.set(dataSource, store);
  }
  return store;
}

class LockLost extends Error {}

type ResolvedRelayOptions = Required<Omit<EventRelayOptions, 'stream' | 'relayName' | 'registry' | 'log' | 'onPublished'>>;

/**
 * Publishes one shard's event log to JetStream, in position order, each event once.
 *
 *   standby ──(advisory lock on the primary)──▶ active: read a batch after the checkpoint (readAll),
 *   publish each with Nats-Msg-Id <shard>:<position>, write the checkpoint, wait for a NOTIFY ──▶ …
 *
 * Correctness comes from the message id and the checkpoint, not from the lock: the checkpoint is written
 * only after JetStream acknowledged every event up to it, so a relay that dies in between republishes
 * from the old checkpoint, and JetStream drops what it stored already (within its duplicate window).
 * Failures — the primary failing over, NATS away, the lock connection lost — are retried with backoff
 * until `stop()`.
 */
export class EventRelay {
  readonly shard: number;
  readonly streamName: string;
  readonly relayName: string;
  /** Resolves when the relay has stopped (after `stop()` or `kill()`); never rejects. */
  readonly done: Promise<void>;

  private readonly o: ResolvedRelayOptions;
  private readonly streamOptions: EventStreamOptions;
  private readonly subjectPrefix: string;
  private readonly log: EventBusLog;
  private readonly metrics: EventBusMetrics;
  private readonly labels: { shard: string };
  private readonly onPublished: EventRelayOptions['onPublished'];
  private readonly wake = new WakeSignal();
  private readonly halt = new AbortController();
  private stopping = false;
  private killed = false;
  private lock: RelayLock | undefined;
  private jsm: JetStreamManager | undefined;
  private streamReady = false;
  private position: bigint | undefined;
  private currentState: EventRelayState = 'standby';
  private lagCountedAt = 0;
  private published = 0;

  constructor(options: EventRelayOptions) {
    const { stream = {}, relayName, registry, log, onPublished, ...rest } = options;
    this.o = { ...eventRelayDefaults, ...definedOnly(rest) } as ResolvedRelayOptions;
    if (!Number.isInteger(this.o.shard) || this.o.shard < 0) throw new RangeError(`shard must be a non-negative integer, got ${this.o.shard}`);
    if (this.o.batchSize < 1 || this.o.publishWindow < 1) throw new RangeError('batchSize and publishWindow must be at least 1');
    this.shard = this.o.shard;
    this.streamOptions = stream;
    this.streamName = stream.streamName ?? eventStreamDefaults.streamName;
    this.subjectPrefix = stream.subjectPrefix ?? eventStreamDefaults.subjectPrefix;
    this.relayName = relayName ?? this.streamName;
    this.log = log ?? silentLog;
    this.metrics = eventBusMetrics(registry);
    this.labels = { shard: String(this.shard) };
    this.onPublished = onPublished;
    this.metrics.relayActive.set(this.labels, 0);
    this.done = this.run().catch((error: unknown) => {
      this.log('error', 'event relay crashed', { shard: this.shard, error: errorMessage(error) });
    });
  }

  /** `active` while it holds the shard's lock and publishes; `standby` while another instance does (or it retries). */
  get state(): EventRelayState {
    return this.currentState;
  }

  /** The last position JetStream acknowledged and the relay wrote as its checkpoint (undefined until it was read). */
  get checkpoint(): bigint | undefined {
    return this.position;
  }

  /** Messages this relay had acknowledged (stored or duplicate) since it started. */
  get publishedCount(): number {
    return this.published;
  }

  /** The node the relay's lock is on, while active. */
  get lockNode(): string | undefined {
    return this.lock?.node;
  }

  /**
   * Graceful stop: the publish under way finishes, the checkpoint is written for what JetStream
   * acknowledged, the lock is released. Resolves when the relay has stopped.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.halt.abort();
    await this.done;
  }

  /**
   * Hard stop, as a crash would: nothing more is published, **no checkpoint is written**, the lock
   * connection is destroyed at once (another instance may take over). Does not wait for `done` (so it
   * can be called from `onPublished`).
   */
  async kill(): Promise<void> {
    this.killed = true;
    this.halt.abort();
    await this.lock?.release();
  }

  private get halted(): boolean {
    return this.stopping || this.killed;
  }

  private async run(): Promise<void> {
    let failures = 0;
    try {
      while (!this.halted) {
        const lock = await this.acquire();
        if (!lock) break;
        this.lock = lock;
        this.setState('active');
        this.log('info', 'event relay active', { shard: this.shard, node: lock.node, relay: this.relayName });
        let lostReason: string | undefined;
        try {
          failures = await this.relayWhileLocked(lock);
        } catch (error) {
          if (this.halted) break;
          failures++;
          this.metrics.relayErrors.inc(this.labels);
          this.log('warn', 'event relay gives its lock up after repeated failures', { shard: this.shard, error: errorMessage(error), failures });
        } finally {
          lostReason = lock.lost;
          this.lock = undefined;
          await lock.release();
          this.setState('standby');
        }
        if (this.halted) break;
        if (lostReason) this.log('warn', 'event relay lost its lock', { shard: this.shard, node: lock.node, reason: lostReason });
        // Give other instances a chance at the lock before trying again.
        await pause(backoffDelay(Math.max(1, failures), this.o.backoff), this.halt.signal);
      }
    } finally {
      this.setState('stopped');
      this.metrics.relayLag.remove(this.labels);
    }
  }

  private setState(state: EventRelayState): void {
    this.currentState = state;
    this.metrics.relayActive.set(this.labels, state === 'active' ? 1 : 0);
    if (state !== 'active') this.metrics.relayLag.remove(this.labels);
  }

  /** Takes the shard's lock, waiting as a standby while another instance holds it; undefined once halted. */
  private async acquire(): Promise<RelayLock | undefined> {
    let failures = 0;
    while (!this.halted) {
      try {
        const { value: lock } = await this.o.router.read(
          this.shard,
          (node) => RelayLock.tryAcquire(node.name, node.dataSource, this.relayName, this.shard, () => this.wake.notify()),
          { consistency: 'primary', signal: this.halt.signal },
        );
        if (lock && this.halted) await lock.release();
        else if (lock) return lock;
        failures = 0;
        await pause(Math.round(this.o.lockRetryMs * (0.75 + Math.random() / 2)), this.halt.signal);
      } catch (error) {
        if (this.halted) break;
        failures++;
        this.metrics.relayErrors.inc(this.labels);
        this.log('warn', 'event relay could not try its lock', { shard: this.shard, error: errorMessage(error), failures });
        await pause(backoffDelay(failures, this.o.backoff), this.halt.signal);
      }
    }
    return undefined;
  }

  /**
   * Relays until halted or the lock is lost (returns the failures in a row at that point), or throws after
   * `releaseAfterFailures` failures in a row.
   */
  private async relayWhileLocked(lock: RelayLock): Promise<number> {
    const shard = this.shard;
    let prepared = false;
    this.lagCountedAt = 0;
    let failures = 0;
    let verifiedAt = Date.now();
    while (!this.halted) {
      if (lock.lost) return failures;
      if (Date.now() - verifiedAt >= this.o.lockCheckMs) {
        verifiedAt = Date.now();
        if (await lock.verify()) return failures;
      }
      const seen = this.wake.current;
      try {
        if (!prepared) {
          await this.o.router.write(shard, ({ dataSource }) => ensureRelaySchema(dataSource));
          const { value: stored } = await this.o.router.read(shard, ({ dataSource }) => readRelayCheckpoint(dataSource, this.relayName, shard), {
            consistency: 'primary',
            signal: this.halt.signal,
          });
          // Never behind what this instance acknowledged itself (the row only moves forward anyway).
          this.position = this.position !== undefined && this.position > stored ? this.position : stored;
          prepared = true;
          await this.updateLag(true);
        }
        const { hasMore } = await this.relayBatch(lock);
        failures = 0;
        await this.updateLag(!hasMore);
        if (!hasMore) await this.wake.wait(seen, Math.min(this.o.pollIntervalMs, this.o.lockCheckMs), this.halt.signal);
      } catch (error) {
        if (this.halted || error instanceof LockLost) return failures;
        failures++;
        this.metrics.relayErrors.inc(this.labels);
        this.log('warn', 'event relay step failed; retrying', { shard, error: errorMessage(error), failures });
        if (failures >= this.o.releaseAfterFailures) throw error;
        await pause(backoffDelay(failures, this.o.backoff), this.halt.signal);
      }
    }
    return failures;
  }

  /** Reads one batch after the checkpoint, publishes it, writes the checkpoint for what was acknowledged. */
  private async relayBatch(lock: RelayLock): Promise<{ hasMore: boolean }> {
    const from = this.position!;
    const { value: batch } = await this.o.router.read(
      this.shard,
      ({ dataSource }): Promise<ReadAllResult<Event>> => storeOf(dataSource).readAll({ fromPosition: from, limit: this.o.batchSize }),
      { consistency: 'primary', signal: this.halt.signal },
    );
    if (batch.events.length === 0) return { hasMore: false };
    let acked = from;
    let complete = false;
    try {
      acked = await this.publishAll(batch.events, lock, (position) => (acked = position));
      complete = acked === batch.events[batch.events.length - 1]!.metadata.position;
    } finally {
      // A crash writes nothing: that is the case the message ids are for.
      if (!this.killed && acked > from) {
        await this.o.router.write(this.shard, ({ dataSource }) => writeRelayCheckpoint(dataSource, this.relayName, this.shard, acked));
        this.position = acked;
      }
    }
    if (!complete && lock.lost) throw new LockLost(lock.lost);
    return { hasMore: batch.hasMore || !complete };
  }

  /**
   * Publishes in order, at most `publishWindow` awaiting their ack; stops at the first failure (thrown
   * once every publish in flight has settled) or when halted. Reports every acknowledged prefix.
   */
  private async publishAll(events: readonly RecordedEvent[], lock: RelayLock, onAcked: (position: bigint) => void): Promise<bigint> {
    if (!this.streamReady) {
      this.jsm ??= await this.o.js.jetstreamManager();
      await ensureEventStream(this.jsm, this.streamOptions);
      this.streamReady = true;
    }
    let acked = this.position!;
    const inFlight: { event: RecordedEvent; ack: Promise<PubAck> }[] = [];
    let failure: unknown;
    let next = 0;
    while (inFlight.length > 0 || (next < events.length && failure === undefined)) {
      while (failure === undefined && !this.halted && !lock.lost && next < events.length && inFlight.length < this.o.publishWindow) {
        const event = events[next++]!;
        const ack = this.publish(event);
        ack.catch(() => undefined); // observed below, in order
        inFlight.push({ event, ack });
      }
      const head = inFlight.shift();
      if (!head) break;
      try {
        const ack = await head.ack;
        this.published++;
        if (ack.duplicate) this.metrics.relayDuplicates.inc(this.labels);
        else this.metrics.relayPublished.inc(this.labels);
        // Stored, but after an earlier one failed: the checkpoint cannot move past the gap.
        if (failure !== undefined) continue;
        acked = head.event.metadata.position;
        onAcked(acked);
        if (this.onPublished) await this.onPublished(head.event, ack);
      } catch (error) {
        failure ??= error;
        this.streamReady = false;
      }
    }
    if (failure !== undefined) throw failure;
    return acked;
  }

  private publish(event: RecordedEvent): Promise<PubAck> {
    const message = encodeEvent(this.shard, event, this.subjectPrefix);
    return this.o.js.publish(message.subject, message.payload, {
      msgID: message.messageId,
      headers: message.headers,
      timeout: this.o.publishTimeoutMs,
      expect: { streamName: this.streamName },
    });
  }

  /** Recounts the lag when caught up (`force`) or when the last count is older than `lagIntervalMs`; best effort. */
  private async updateLag(force: boolean): Promise<void> {
    if (!force && Date.now() - this.lagCountedAt < this.o.lagIntervalMs) return;
    this.lagCountedAt = Date.now();
    const after = this.position!;
    try {
      const { value } = await this.o.router.read(this.shard, ({ dataSource }) => countEventsAfter(dataSource, after, LAG_COUNT_CAP), {
        consistency: 'primary',
        signal: this.halt.signal,
      });
      if (this.currentState === 'active') this.metrics.relayLag.set(this.labels, value);
    } catch (error) {
      this.log('debug', 'event relay could not count its lag', { shard: this.shard, error: errorMessage(error) });
    }
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
