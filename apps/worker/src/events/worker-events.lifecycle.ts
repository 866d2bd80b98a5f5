import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { WorkerConfig } from '#libs/config';
import { consumeEvents, eventSubjectFilter, RedisProcessedStore, startEventRelays, type EventConsumer, type EventRelays } from '#libs/event-bus';
import { describeError, natsConnectionOptions } from '#libs/health';
import { withDeadline } from '#libs/jobs';
import { APP_CONFIG, PINO_LOGGER } from '#libs/observability';
import type { ShardRouter } from '#libs/shard-router';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { JobEnqueuer } from '../jobs/job-enqueuer.js';
import { isMalformedEventError } from '../jobs/job-events.js';
import { SHARD_ROUTER } from '../jobs/worker-jobs.options.js';

/**
 * The events that become jobs, one durable consumer each: the lab's nats-server (2.9) takes one filter
 * subject per consumer. Durable names are shared by every worker instance, in every DC, so each event is
 * delivered to one of them.
 */
export const WORKER_EVENT_CONSUMERS = [
  { durableName: 'worker-thumbnail-jobs', filter: eventSubjectFilter({ category: 'media', type: 'MediaUploaded' }) },
  { durableName: 'worker-welcome-jobs', filter: eventSubjectFilter({ category: 'user', type: 'UserRegistered' }) },
] as const;

/** Delay between attempts at the first NATS connection (NATS may start after the worker, or be partitioned away). */
const FIRST_CONNECT_RETRY_MS = 500;
/** The runner allows an app 1.5 s to shut down in all; the job workers need their share of it. */
const CONSUMER_STOP_GRACE_MS = 300;
const STOP_DEADLINE_MS = 500;
const DRAIN_DEADLINE_MS = 200;

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
const settleWithin = (work: Promise<unknown>, ms: number): Promise<unknown> => withDeadline(work.catch(() => undefined), ms, () => undefined);

/**
 * Runs the event bus inside the worker: a relay per shard (publishing the shards' event logs to
 * JetStream; per shard one instance of all workers holds the relay lock) and the consumers that turn
 * events into BullMQ jobs. A job's id is derived from the entity the event is about, so an event
 * delivered twice (another DC's worker, a redelivery after a crash) still makes one job.
 *
 * NATS may be down when the worker starts: connecting is retried in the background, so readiness
 * (`/health`, which checks NATS itself) and not startup decides when the worker takes traffic.
 */
@Injectable()
export class WorkerEventsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private nats: NatsConnection | undefined;
  private relays: EventRelays | undefined;
  private consumers: EventConsumer[] = [];
  private starting: Promise<void> | undefined;
  private stopped = false;
  private readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
    @Inject(SHARD_ROUTER) private readonly router: ShardRouter,
    @Inject(JobEnqueuer) private readonly enqueuer: JobEnqueuer,
    @Inject(Redis) private readonly redis: Redis,
    @Inject(Registry) private readonly registry: Registry,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.log = (level, message, fields) => logger[level](fields ?? {}, message);
  }

  onApplicationBootstrap(): void {
    this.starting = this.start();
  }

  /**
   * Stops pulling and publishing before the queues and connections close (WorkerJobsLifecycle closes
   * them), within the runner's shutdown deadline: events pulled but not handled by then are handed back to
   * JetStream (redelivered, and deduplicated by the processed store and the job ids), and a relay cut off
   * mid-batch republishes from its checkpoint, deduplicated by the message ids.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await settleWithin(
      Promise.all([...this.consumers.map((consumer) => consumer.stop({ graceMs: CONSUMER_STOP_GRACE_MS })), this.relays?.stop()]),
      STOP_DEADLINE_MS,
    );
    await settleWithin(this.nats?.drain() ?? Promise.resolve(), DRAIN_DEADLINE_MS);
    await this.nats?.close();
  }

  private async start(): Promise<void> {
    const nats = await this.connectUntilStopped();
    if (!nats) return;
    this.nats = nats;
    const js = jetstream(nats);
    this.relays = startEventRelays({ router: this.router, js, registry: this.registry, log: this.log });
    const processed = new RedisProcessedStore(this.redis);
    this.consumers = WORKER_EVENT_CONSUMERS.map(({ durableName, filter }) =>
      consumeEvents({
        js,
        durableName,
        filterSubjects: [filter],
        processed,
        registry: this.registry,
        log: this.log,
        handler: async (event) => {
          try {
            await this.enqueuer.enqueueForEvent(event);
          } catch (error) {
            // A poison event would fail the same way on every delivery: record it as handled and say so.
            if (!isMalformedEventError(error)) throw error;
            this.logger.error({ eventId: event.metadata.eventId, type: event.type, error: error.message }, 'event dropped: its data is malformed');
          }
        },
      }),
    );
  }

  private async connectUntilStopped(): Promise<NatsConnection | undefined> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        return await connect(natsConnectionOptions({ servers: this.config.nats.servers, name: `${this.config.instanceId}-events` }));
      } catch (error) {
        if (attempt === 1 || attempt % 20 === 0) this.logger.warn({ attempt, error: describeError(error).message }, 'event bus: NATS not reachable yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, FIRST_CONNECT_RETRY_MS));
      }
    }
    return undefined;
  }
}
