import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  consumeEvents,
  decodeEventMessage,
  ensureEventConsumer,
  ensureEventStream,
  ensureProcessedEventsSchema,
  eventSubjectFilter,
  EventRelay,
  PostgresProcessedStore,
  readConsumerLag,
  RedisProcessedStore,
  type ConsumeEventsOptions,
  type DeliveredEvent,
  type EventConsumer,
  type ProcessedStore,
  type RunOnceRequest,
} from '#libs/event-bus';
import type { RecordedEvent } from '#libs/event-store';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import {
  appendEvents,
  metricValue,
  newRegistry,
  SETUP_TIMEOUT_MS,
  testLog,
  TEST_TIMEOUT_MS,
  useEventBusEnv,
  waitFor,
  type TestEvent,
  type TestNames,
  type TestShards,
} from './support/event-bus-env.js';

const env = useEventBusEnv('bus_consumer');
let redisServer: RedisServer;
let redis: Redis;

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  redis?.disconnect();
  await redisServer?.stop();
}, SETUP_TIMEOUT_MS);

let prefixes = 0;
const redisStore = (): RedisProcessedStore => new RedisProcessedStore(redis, { keyPrefix: `test:${process.pid}:${++prefixes}` });

/** A running relay for shard 0 of `shards`: events appended there reach the test's stream. */
function startRelay(shards: TestShards, names: TestNames): EventRelay {
  const relay = new EventRelay({
    shard: 0,
    router: shards.router,
    js: env.js,
    stream: names.stream,
    pollIntervalMs: 200,
    lockRetryMs: 200,
    backoff: { baseMs: 50, maxMs: 500 },
    log: testLog,
  });
  env.onCleanup(() => relay.stop());
  return relay;
}

/** Appends and waits until the relay has published up to the last one; returns the recorded events. */
async function publish(shards: TestShards, relay: EventRelay, streamId: string, count: number, first = 1): Promise<RecordedEvent<TestEvent>[]> {
  const last = await appendEvents(shards.stores[0]!, streamId, count, 1, first);
  await waitFor('the relay to publish', () => relay.checkpoint !== undefined && relay.checkpoint >= last);
  return (await shards.stores[0]!.readStream(streamId)).events.filter((e) => e.metadata.position <= last).slice(-count);
}

function consumer<Ctx>(names: TestNames, options: Partial<ConsumeEventsOptions<TestEvent, Ctx>> & Pick<ConsumeEventsOptions<TestEvent, Ctx>, 'handler' | 'processed'>): EventConsumer {
  const c = consumeEvents<TestEvent, Ctx>({
    js: env.js,
    durableName: names.durable('c'),
    filterSubjects: [eventSubjectFilter({ prefix: names.subjectPrefix })],
    stream: names.stream,
    log: testLog,
    retryBackoff: { baseMs: 100, maxMs: 200 },
    ...options,
  });
  env.onCleanup(() => c.stop());
  return c;
}

const outcome = (registry: Registry, names: TestNames, value: string): Promise<number | undefined> =>
  metricValue(registry, 'faultline_consumer_processed_total', { consumer: names.durable('c'), outcome: value });

/** Wraps a store to see every delivery that reached it. */
function observed<Ctx>(store: ProcessedStore<Ctx>): ProcessedStore<Ctx> & { deliveries: { key: string; deliveryCount: number; result?: string }[] } {
  const deliveries: { key: string; deliveryCount: number; result?: string }[] = [];
  return {
    deliveries,
    has: (consumerName, key) => store.has(consumerName, key),
    async runOnce(request: RunOnceRequest, work: (context: Ctx) => Promise<void>) {
      const entry: { key: string; deliveryCount: number; result?: string } = { key: request.key, deliveryCount: request.event.delivery.deliveryCount };
      deliveries.push(entry);
      const result = await store.runOnce(request, work);
      entry.result = result;
      return result;
    },
  };
}

describe('consumeEvents', () => {
  it(
    'handles every event of its filter once, in order, and records each as processed (Redis)',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      const users = await publish(shards, relay, 'user-1', 8);
      await publish(shards, relay, 'media-1', 4);

      const registry = newRegistry();
      const store = redisStore();
      const seen: DeliveredEvent<TestEvent>[] = [];
      const c = consumer(names, {
        filterSubjects: [eventSubjectFilter({ prefix: names.subjectPrefix, category: 'user' })],
        processed: store,
        registry,
        handler: (event) => void seen.push(event),
      });
      await c.ready;
      await waitFor('8 handled', () => seen.length === 8);
      const more = await publish(shards, relay, 'user-1', 2, 9);
      await waitFor('10 handled', () => seen.length === 10);

      expect(seen.map((e) => e.metadata.eventId)).toEqual([...users, ...more].map((e) => e.metadata.eventId));
      expect(seen.every((e) => e.metadata.streamId === 'user-1' && e.delivery.shard === 0 && e.delivery.deliveryCount === 1)).toBe(true);
      expect(seen[0]!.metadata.position).toBe(users[0]!.metadata.position);
      expect(seen[0]!.data).toEqual(users[0]!.data);
      expect(seen[0]!.delivery.messageId).toBe(`0:${users[0]!.metadata.position}`);
      for (const e of seen) expect(await store.has(names.durable('c'), e.metadata.eventId)).toBe(true);
      expect(await outcome(registry, names, 'processed')).toBe(10);
      expect(await outcome(registry, names, 'duplicate')).toBeUndefined();
      expect(await outcome(registry, names, 'failed')).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a stop with a grace period returns in time while a handler hangs, and another instance then handles every event',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      const events = await publish(shards, relay, 'user-9', 5);
      const store = redisStore();
      let release!: () => void;
      const stuck = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      const first = consumer(names, {
        ackWaitMs: 1_000,
        processed: store,
        handler: async () => {
          started++;
          await stuck; // a dependency that does not answer
        },
      });
      await waitFor('the first handler to start', () => started === 1);
      const stopAt = performance.now();
      await first.stop({ graceMs: 200 });
      const stopMs = performance.now() - stopAt;
      expect(stopMs).toBeLessThan(1_000);
      release();

      const handled: string[] = [];
      consumer(names, { ackWaitMs: 1_000, processed: store, handler: (event) => void handled.push(event.metadata.eventId) });
      await waitFor('the rest handled by the next instance', () => handled.length >= events.length - 1);
      // The stuck one finished on its own after the release (recorded as processed), or is handled again: never lost.
      const all = new Set([...handled]);
      for (const event of events) if (!all.has(event.metadata.eventId)) expect(await store.has(names.durable('c'), event.metadata.eventId)).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an event redelivered after its ack was lost does not run the handler again',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      const events = await publish(shards, relay, 'user-2', 6);
      const durable = names.durable('c');
      const store = observed(redisStore());
      await ensureEventConsumer(env.jsm, { streamName: names.streamName, durableName: durable, filterSubjects: [`${names.subjectPrefix}.>`], ackWaitMs: 1_000 });

      // A previous instance: pulled 3 events, processed them, died before acking.
      const handled: string[] = [];
      const raw = await env.js.consumers.get(names.streamName, durable);
      const fetched = await raw.fetch({ max_messages: 3, expires: 5_000 });
      for await (const message of fetched) {
        const event = decodeEventMessage<TestEvent>(message);
        await store.runOnce({ consumer: durable, key: event.metadata.eventId, event }, async () => void handled.push(event.metadata.eventId));
      }
      expect(handled).toHaveLength(3);

      const registry = newRegistry();
      consumer(names, { ackWaitMs: 1_000, processed: store, registry, handler: (event) => void handled.push(event.metadata.eventId) });
      await waitFor('all 6 acked', async () => (await outcome(registry, names, 'processed')) === 3 && (await outcome(registry, names, 'duplicate')) === 3);

      expect([...handled].sort()).toEqual(events.map((e) => e.metadata.eventId).sort());
      const redelivered = store.deliveries.filter((d) => d.deliveryCount > 1);
      expect(redelivered.map((d) => d.key).sort()).toEqual(handled.slice(0, 3).sort());
      expect(redelivered.every((d) => d.result === 'duplicate')).toBe(true);
      await waitFor('nothing pending', async () => (await env.jsm.consumers.info(names.streamName, durable)).num_ack_pending === 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Postgres store: the processed row commits with the handler\'s writes; a failing handler is retried with its writes rolled back; a lost ack is a duplicate',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const db = shards.dataSources[0]!;
      await ensureProcessedEventsSchema(db);
      await db.query('CREATE TABLE items (event_id text PRIMARY KEY, n integer NOT NULL)');
      const relay = startRelay(shards, names);
      const events = await publish(shards, relay, 'user-3', 6);
      const durable = names.durable('c');
      const store = observed(new PostgresProcessedStore({ transaction: db }));
      await ensureEventConsumer(env.jsm, { streamName: names.streamName, durableName: durable, filterSubjects: [`${names.subjectPrefix}.>`], ackWaitMs: 1_000 });

      const project = async (event: DeliveredEvent<TestEvent>, manager: EntityManager): Promise<void> => {
        await manager.query('INSERT INTO items (event_id, n) VALUES ($1, $2)', [event.metadata.eventId, event.data.n]);
      };
      // A previous instance processed the first event (committed) and died before its ack.
      const raw = await env.js.consumers.get(names.streamName, durable);
      for await (const message of await raw.fetch({ max_messages: 1, expires: 5_000 })) {
        const event = decodeEventMessage<TestEvent>(message);
        await store.runOnce({ consumer: durable, key: event.metadata.eventId, event }, (manager) => project(event, manager));
      }

      const registry = newRegistry();
      let failedOnce = false;
      consumer<EntityManager>(names, {
        ackWaitMs: 1_000,
        processed: store,
        registry,
        handler: async (event, manager) => {
          await project(event, manager);
          if (event.data.n === 4 && !failedOnce) {
            failedOnce = true;
            throw new Error('handler failed after writing');
          }
        },
      });
      await waitFor('all 6 done', async () => (await outcome(registry, names, 'processed')) === 5 && (await outcome(registry, names, 'duplicate')) === 1);
      expect(await outcome(registry, names, 'failed')).toBe(1);

      const items = (await db.query('SELECT event_id FROM items ORDER BY n')) as { event_id: string }[];
      expect(items.map((r) => r.event_id)).toEqual(events.map((e) => e.metadata.eventId));
      const processed = (await db.query('SELECT event_key FROM processed_events WHERE consumer = $1', [durable])) as { event_key: string }[];
      expect(processed.map((r) => r.event_key).sort()).toEqual(events.map((e) => e.metadata.eventId).sort());
      for (const e of events) expect(await store.has(durable, e.metadata.eventId)).toBe(true);
      // The failed event came back (a nak) and was processed on its second delivery.
      const fourth = store.deliveries.filter((d) => d.key === events[3]!.metadata.eventId);
      expect(fourth.map((d) => d.deliveryCount)).toEqual([1, 2]);
      expect(fourth[1]!.result).toBe('processed');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'resumes after a restart where it stopped: a new instance on the same durable gets only what came after',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      const before = await publish(shards, relay, 'user-4', 6);

      const firstSeen: string[] = [];
      const first = consumer(names, { processed: redisStore(), handler: (event) => void firstSeen.push(event.metadata.eventId) });
      await waitFor('6 handled', () => firstSeen.length === 6);
      await first.stop();

      const after = await publish(shards, relay, 'user-4', 4, 7);
      // A fresh key prefix: the idempotency records cannot hide redeliveries here, only the durable consumer's position can.
      const secondSeen: DeliveredEvent<TestEvent>[] = [];
      const registry = newRegistry();
      consumer(names, { processed: redisStore(), registry, handler: (event) => void secondSeen.push(event) });
      await waitFor('4 handled', () => secondSeen.length === 4);
      await waitFor('nothing pending', async () => (await env.jsm.consumers.info(names.streamName, names.durable('c'))).num_ack_pending === 0);

      expect(firstSeen).toEqual(before.map((e) => e.metadata.eventId));
      expect(secondSeen.map((e) => e.metadata.eventId)).toEqual(after.map((e) => e.metadata.eventId));
      expect(secondSeen.every((e) => !e.delivery.redelivered)).toBe(true);
      expect(await outcome(registry, names, 'processed')).toBe(4);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports its lag: num_pending of the durable consumer, down to 0 as it catches up',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      const durable = names.durable('c');
      // The durable consumer exists before the events (no instance runs yet).
      await ensureEventStream(env.jsm, names.stream);
      await ensureEventConsumer(env.jsm, { streamName: names.streamName, durableName: durable, filterSubjects: [`${names.subjectPrefix}.>`] });
      expect(await readConsumerLag(env.jsm, durable, names.streamName)).toBe(0);
      await publish(shards, relay, 'user-5', 7);
      expect(await readConsumerLag(env.jsm, durable, names.streamName)).toBe(7);

      const registry = newRegistry();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let handled = 0;
      const c = consumer(names, {
        processed: redisStore(),
        registry,
        maxMessages: 2,
        handler: async () => {
          await gate;
          handled++;
        },
      });
      await c.ready;
      expect(await metricValue(registry, 'faultline_consumer_lag_events', { consumer: durable })).toBe(7);
      release();
      await waitFor('7 handled', () => handled === 7);
      await waitFor('lag 0', async () => (await metricValue(registry, 'faultline_consumer_lag_events', { consumer: durable })) === 0);
      expect(await c.lag()).toBe(0);

      await publish(shards, relay, 'user-5', 3, 8);
      await waitFor('10 handled', () => handled === 10);
      expect(await c.lag()).toBe(0);
      expect(await metricValue(registry, 'faultline_consumer_lag_events', { consumer: durable })).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'throughput: events handled per second with the Redis and the Postgres store',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const db = shards.dataSources[0]!;
      await ensureProcessedEventsSchema(db);
      const relay = startRelay(shards, names);
      const total = 2_000;
      const last = await appendEvents(shards.stores[0]!, 'user-bench', total, 100);
      await waitFor('the relay to publish', () => relay.checkpoint === last, 120_000);

      const rates: Record<string, number> = {};
      const stores: [string, ProcessedStore<unknown>][] = [
        ['redis', redisStore() as ProcessedStore<unknown>],
        ['postgres', new PostgresProcessedStore({ transaction: db }) as ProcessedStore<unknown>],
      ];
      for (const [name, store] of stores) {
        let handled = 0;
        const started = performance.now();
        const c = consumer<unknown>(names, { durableName: names.durable(`bench-${name}`), maxMessages: 100, processed: store, handler: () => void handled++ });
        await waitFor(`${name}: ${total} handled`, () => handled === total, 120_000, 10);
        rates[name] = Math.round(total / ((performance.now() - started) / 1000));
        await c.stop();
      }
      // eslint-disable-next-line no-console
      console.log(`consumer throughput (events/s, ${total} events, one instance, ack confirmed per event): ${JSON.stringify(rates)}`);
      expect(rates.redis).toBeGreaterThan(20);
    },
    TEST_TIMEOUT_MS * 2,
  );

  it(
    'stops gracefully: messages already pulled are handled and acked before stop() resolves',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const relay = startRelay(shards, names);
      await publish(shards, relay, 'user-6', 10);
      const registry = newRegistry();
      let handled = 0;
      let started!: () => void;
      const firstStarted = new Promise<void>((resolve) => (started = resolve));
      const c = consumer(names, {
        processed: redisStore(),
        registry,
        maxMessages: 10,
        handler: async () => {
          started();
          await new Promise((resolve) => setTimeout(resolve, 30));
          handled++;
        },
      });
      await firstStarted;
      await c.stop();
      const info = await env.jsm.consumers.info(names.streamName, names.durable('c'));
      expect(info.num_ack_pending).toBe(0);
      expect(handled).toBe(info.ack_floor.stream_seq);
      expect(handled).toBeGreaterThan(0);
      expect(await outcome(registry, names, 'processed')).toBe(handled);
    },
    TEST_TIMEOUT_MS,
  );
});
