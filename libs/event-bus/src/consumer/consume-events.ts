import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  ReplayPolicy,
  type Consumer,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Registry } from 'prom-client';
import type { Event } from '#libs/event-store';
import { decodeEventMessage, type DeliveredEvent } from '../bus-event.js';
import { eventBusMetrics, type ConsumerOutcome, type EventBusMetrics } from '../event-bus.metrics.js';
import { ensureEventStream, eventStreamDefaults, isConsumerNotFound, isStreamNotFound, type EventStreamOptions } from '../event-stream.js';
import { backoffDelay, errorMessage, pause, silentLog, type BackoffOptions, type EventBusLog } from '../runtime.js';
import type { ProcessedStore } from './processed-store.js';

export type EventHandler<E extends Event, Ctx> = (event: DeliveredEvent<E>, context: Ctx) => Promise<void> | void;

export interface ConsumeEventsOptions<E extends Event, Ctx> {
  readonly js: JetStreamClient;
  /** The durable consumer's name (letters, digits, `-`, `_`): one per logical consumer, shared by its instances. */
  readonly durableName: string;
  /**
   * Subjects to receive, e.g. `eventSubjectFilter({ category: 'user', type: 'UserRegistered' })` →
   * `events.*.user.UserRegistered`. More than one needs nats-server ≥ 2.10 (the lab's Debian 2.9 takes one:
   * use one consumer per subject there, or a wildcard).
   */
  readonly filterSubjects: readonly string[];
  /** Runs once per event in effect (see `processed`); throwing means "retry later" (nak with backoff). */
  readonly handler: EventHandler<E, NoInfer<Ctx>>;
  /** Where processed events are recorded; its context (e.g. a transaction) is passed to the handler. */
  readonly processed: ProcessedStore<Ctx>;
  /** The stream (created with these settings if it does not exist yet). */
  readonly stream?: EventStreamOptions;
  /** A delivery not acked within this long is redelivered (default 30 s); the consumer keeps a running handler's message alive meanwhile. */
  readonly ackWaitMs?: number;
  /** Deliveries per message before JetStream gives up on it (default 10); the last failure terms it and logs an error. */
  readonly maxDeliver?: number;
  /** Unacknowledged messages JetStream lets this consumer have at once, over all its instances (default 1000). */
  readonly maxAckPending?: number;
  /** Messages each instance pulls ahead (default 20); a graceful stop finishes them. */
  readonly maxMessages?: number;
  /** Delay before a failed event is delivered again, per delivery (default 1 s doubling to 60 s). */
  readonly retryBackoff?: BackoffOptions;
  /** Where a new durable consumer starts (default `all`: every event in the stream). Ignored once it exists. */
  readonly deliverPolicy?: 'all' | 'new';
  /** The idempotency key of an event (default: its event id). */
  readonly eventKey?: (event: DeliveredEvent<E>) => string;
  readonly registry?: Registry;
  readonly log?: EventBusLog;
  /** The lag gauges are refreshed from consumer info this often (default 5000 ms), and from every delivery. */
  readonly lagIntervalMs?: number;
  /** Retry delays when the consumer cannot be set up or its subscription ends (default 200 ms doubling to 5 s). */
  readonly reconnectBackoff?: BackoffOptions;
}

/** A running consumer. */
export interface EventConsumer {
  readonly durableName: string;
  /** Resolves once the durable consumer exists and messages are being pulled (or it was stopped first). */
  readonly ready: Promise<void>;
  /** Resolves when the consumer has stopped. */
  readonly done: Promise<void>;
  /**
   * Graceful stop: no more pulls; messages already pulled are handled and acked; then resolves. With
   * `graceMs`, resolves after that long at the latest: what is still pulled but unhandled then is nak'ed
   * (redelivered to another instance), and a handler still running is left to finish on its own (its
   * message is redelivered if it does not) — a shutdown deadline beats draining a slow handler's backlog.
   */
  stop(options?: { readonly graceMs?: number }): Promise<void>;
  /** A fresh `num_pending` from JetStream (the lag gauge is updated with it). */
  lag(): Promise<number>;
}

export const consumeEventsDefaults = {
  ackWaitMs: 30_000,
  maxDeliver: 10,
  maxAckPending: 1_000,
  maxMessages: 20,
  retryBackoff: { baseMs: 1_000, maxMs: 60_000 },
  lagIntervalMs: 5_000,
  reconnectBackoff: { baseMs: 200, maxMs: 5_000 },
} as const;

export interface EventConsumerConfig {
  readonly streamName?: string;
  readonly durableName: string;
  readonly filterSubjects: readonly string[];
  readonly ackWaitMs?: number;
  readonly maxDeliver?: number;
  readonly maxAckPending?: number;
  readonly deliverPolicy?: 'all' | 'new';
}

/**
 * Creates the durable pull consumer (explicit ack), or updates its ack wait, max deliver, max ack pending
 * and filter when they differ. Safe to call from every instance.
 */
export async function ensureEventConsumer(jsm: JetStreamManager, config: EventConsumerConfig): Promise<ConsumerInfo> {
  const streamName = config.streamName ?? eventStreamDefaults.streamName;
  if (config.filterSubjects.length === 0) throw new RangeError('filterSubjects must name at least one subject');
  const filter: Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> =
    config.filterSubjects.length === 1 ? { filter_subject: config.filterSubjects[0]! } : { filter_subjects: [...config.filterSubjects] };
  const wanted = {
    ack_wait: nanos(config.ackWaitMs ?? consumeEventsDefaults.ackWaitMs),
    max_deliver: config.maxDeliver ?? consumeEventsDefaults.maxDeliver,
    max_ack_pending: config.maxAckPending ?? consumeEventsDefaults.maxAckPending,
    ...filter,
  };
  let existing: ConsumerInfo | undefined;
  try {
    existing = await jsm.consumers.info(streamName, config.durableName);
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error;
  }
  if (!existing) {
    try {
      return await jsm.consumers.add(streamName, {
        durable_name: config.durableName,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: config.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
        replay_policy: ReplayPolicy.Instant,
        ...wanted,
      });
    } catch (error) {
      // Another instance created it meanwhile (with other settings): fall through to the update.
      if (!(error instanceof JetStreamApiError)) throw error;
      existing = await jsm.consumers.info(streamName, config.durableName).catch(() => {
        throw error;
      });
    }
  }
  const c = existing.config;
  const sameFilter =
    wanted.filter_subject !== undefined
      ? (c.filter_subject === wanted.filter_subject && !c.filter_subjects?.length) || (c.filter_subjects?.length === 1 && c.filter_subjects[0] === wanted.filter_subject)
      : c.filter_subjects?.length === wanted.filter_subjects!.length && c.filter_subjects.every((s, i) => s === wanted.filter_subjects![i]);
  const same = sameFilter && c.ack_wait === wanted.ack_wait && c.max_deliver === wanted.max_deliver && c.max_ack_pending === wanted.max_ack_pending;
  return same ? existing : jsm.consumers.update(streamName, config.durableName, wanted);
}

/** JetStream `num_pending` of a durable consumer: events in the stream matching its filter not delivered to it yet. */
export async function readConsumerLag(jsm: JetStreamManager, durableName: string, streamName: string = eventStreamDefaults.streamName): Promise<number> {
  return (await jsm.consumers.info(streamName, durableName)).num_pending;
}

/**
 * Consumes events from a durable pull consumer, at least once, and runs `handler` once per event in
 * effect: `processed.runOnce` skips events already recorded as processed (a redelivery after a lost
 * ack, a crash before the ack, a relay republish beyond the dedup window). Events are handled one at a
 * time per instance, in delivery order; redeliveries come out of order. Resumes where the durable
 * consumer's acks stopped; survives NATS restarts (the subscription is set up again with backoff).
 *
 * Outcomes: processed / duplicate → ack; handler or store failure → nak with backoff (after
 * `maxDeliver` deliveries: term, logged as an error); malformed message → term; `busy` (the event is
 * being processed elsewhere) → nak after a while.
 */
export function consumeEvents<E extends Event = Event, Ctx = void>(options: ConsumeEventsOptions<E, Ctx>): EventConsumer {
  return new JetStreamEventConsumer<E, Ctx>(options);
}

type ResolvedConsumeOptions<E extends Event, Ctx> = ConsumeEventsOptions<E, Ctx> &
  Required<Pick<ConsumeEventsOptions<E, Ctx>, 'ackWaitMs' | 'maxDeliver' | 'maxAckPending' | 'maxMessages' | 'retryBackoff' | 'lagIntervalMs' | 'reconnectBackoff'>>;

class JetStreamEventConsumer<E extends Event, Ctx> implements EventConsumer {
  readonly durableName: string;
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  private markReady!: () => void;
  private readonly streamName: string;
  private readonly o: ResolvedConsumeOptions<E, Ctx>;
  private readonly log: EventBusLog;
  private readonly metrics: EventBusMetrics;
  private readonly labels: { consumer: string };
  private readonly halt = new AbortController();
  private stopping = false;
  /** Set when a stop's grace period ran out: pulled messages are handed back instead of handled. */
  private abandoned = false;
  private messages: ConsumerMessages | undefined;
  private consumer: Consumer | undefined;
  private jsm: JetStreamManager | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private lagRefresh: Promise<number> | undefined;

  constructor(options: ConsumeEventsOptions<E, Ctx>) {
    this.o = { ...consumeEventsDefaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedConsumeOptions<E, Ctx>;
    this.durableName = options.durableName;
    this.streamName = options.stream?.streamName ?? eventStreamDefaults.streamName;
    this.log = options.log ?? silentLog;
    this.metrics = eventBusMetrics(options.registry);
    this.labels = { consumer: this.durableName };
    this.ready = new Promise<void>((resolve) => (this.markReady = resolve));
    this.done = this.run().catch((error: unknown) => {
      this.log('error', 'event consumer crashed', { consumer: this.durableName, error: errorMessage(error) });
    });
  }

  async stop(options: { readonly graceMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.halt.abort();
    // Closing resolves only once the handler in progress has returned: part of what the grace bounds.
    const stopped = Promise.all([this.messages?.close(), this.done]).then(() => 'stopped' as const);
    if (options.graceMs === undefined) {
      await stopped;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), options.graceMs)));
    const outcome = await Promise.race([stopped, graceOver]);
    clearTimeout(timer);
    if (outcome === 'grace over') {
      this.abandoned = true;
      this.log('warn', 'event consumer stopped before handling everything it had pulled; the rest will be redelivered', { consumer: this.durableName });
    }
  }

  async lag(): Promise<number> {
    const consumer = this.consumer ?? (await this.setUp());
    return this.refreshLag(consumer);
  }

  private async run(): Promise<void> {
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          const consumer = await this.setUp();
          await this.refreshLag(consumer).catch(() => undefined);
          const messages = await consumer.consume({ max_messages: this.o.maxMessages, abort_on_missing_resource: true });
          this.messages = messages;
          if (this.stopping) await messages.close();
          this.markReady();
          this.startLagTimer(consumer);
          failures = 0;
          for await (const message of messages) {
            if (this.abandoned) {
              message.nak();
              continue;
            }
            await this.handle(message);
            failures = 0;
          }
          const ended = await messages.closed();
          if (this.stopping) break;
          throw ended instanceof Error ? ended : new Error('the consumer subscription ended');
        } catch (error) {
          if (this.stopping) break;
          failures++;
          this.consumer = undefined;
          this.log('warn', 'event consumer interrupted; setting up again', {
            consumer: this.durableName,
            error: errorMessage(error),
            failures,
          });
          await pause(backoffDelay(failures, this.o.reconnectBackoff), this.halt.signal);
        } finally {
          this.stopLagTimer();
          this.messages = undefined;
        }
      }
    } finally {
      this.markReady();
      this.metrics.consumerLag.remove(this.labels);
      this.metrics.consumerAckPending.remove(this.labels);
    }
  }

  /** The stream (if missing) and the durable consumer, then a handle on it. */
  private async setUp(): Promise<Consumer> {
    this.jsm ??= await this.o.js.jetstreamManager();
    const config: EventConsumerConfig = {
      streamName: this.streamName,
      durableName: this.durableName,
      filterSubjects: this.o.filterSubjects,
      ackWaitMs: this.o.ackWaitMs,
      maxDeliver: this.o.maxDeliver,
      maxAckPending: this.o.maxAckPending,
      ...(this.o.deliverPolicy !== undefined && { deliverPolicy: this.o.deliverPolicy }),
    };
    try {
      await ensureEventConsumer(this.jsm, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      await ensureEventStream(this.jsm, this.o.stream);
      await ensureEventConsumer(this.jsm, config);
    }
    this.consumer = await this.o.js.consumers.get(this.streamName, this.durableName);
    return this.consumer;
  }

  private async handle(message: JsMsg): Promise<void> {
    const started = performance.now();
    this.setLag(message.info.pending);
    let event: DeliveredEvent<E>;
    try {
      event = decodeEventMessage<E>(message);
    } catch (error) {
      message.term(errorMessage(error));
      this.count('failed');
      this.log('error', 'event consumer dropped a malformed message', { consumer: this.durableName, subject: message.subject, seq: message.seq, error: errorMessage(error) });
      return;
    }
    // Keeps a long handler's message from being redelivered to another instance meanwhile.
    const keepAlive = setInterval(() => message.working(), Math.max(500, Math.floor(this.o.ackWaitMs / 3)));
    keepAlive.unref();
    const key = this.o.eventKey ? this.o.eventKey(event) : event.metadata.eventId;
    try {
      const result = await this.o.processed.runOnce({ consumer: this.durableName, key, event }, async (context) => {
        await this.o.handler(event, context);
      });
      if (result === 'busy') {
        message.nak(Math.max(1_000, Math.floor(this.o.ackWaitMs / 2)));
        this.log('debug', 'event is being processed elsewhere; retrying later', { consumer: this.durableName, key });
        return;
      }
      await this.ack(message);
      this.count(result);
    } catch (error) {
      this.count('failed');
      const deliveries = message.info.deliveryCount;
      if (deliveries >= this.o.maxDeliver) {
        message.term(`failed ${deliveries} times: ${errorMessage(error)}`.slice(0, 200));
        this.log('error', 'event consumer gave up on an event', { consumer: this.durableName, key, type: event.type, deliveries, error: errorMessage(error) });
      } else {
        message.nak(backoffDelay(deliveries, this.o.retryBackoff));
        this.log('warn', 'event handler failed; will retry', { consumer: this.durableName, key, type: event.type, deliveries, error: errorMessage(error) });
      }
    } finally {
      clearInterval(keepAlive);
      this.metrics.consumerHandlerSeconds.observe(this.labels, (performance.now() - started) / 1000);
    }
  }

  /** Waits for the server to confirm the ack, so a restart right after does not see the event again. */
  private async ack(message: JsMsg): Promise<void> {
    try {
      await message.ackAck();
    } catch (error) {
      // The event is recorded as processed: its redelivery will be a duplicate.
      this.log('debug', 'ack not confirmed', { consumer: this.durableName, seq: message.seq, error: errorMessage(error) });
    }
  }

  private count(outcome: ConsumerOutcome): void {
    this.metrics.consumerProcessed.inc({ ...this.labels, outcome });
  }

  private setLag(pending: number): void {
    if (Number.isFinite(pending)) this.metrics.consumerLag.set(this.labels, pending);
  }

  private refreshLag(consumer: Consumer): Promise<number> {
    this.lagRefresh ??= consumer
      .info()
      .then((info) => {
        this.setLag(info.num_pending);
        this.metrics.consumerAckPending.set(this.labels, info.num_ack_pending);
        return info.num_pending;
      })
      .finally(() => (this.lagRefresh = undefined));
    return this.lagRefresh;
  }

  private startLagTimer(consumer: Consumer): void {
    this.stopLagTimer();
    this.lagTimer = setInterval(() => {
      this.refreshLag(consumer).catch((error: unknown) => this.log('debug', 'consumer info failed', { consumer: this.durableName, error: errorMessage(error) }));
    }, this.o.lagIntervalMs);
    this.lagTimer.unref();
  }

  private stopLagTimer(): void {
    if (this.lagTimer) clearInterval(this.lagTimer);
    this.lagTimer = undefined;
  }
}
