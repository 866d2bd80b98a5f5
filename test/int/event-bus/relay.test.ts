import { describe, expect, it } from '@jest/globals';
import { EventHeaders, EventRelay, readRelayCheckpoint, startEventRelays, type BusEventPayload, type EventRelayOptions } from '#libs/event-bus';
import type { RecordedEvent } from '#libs/event-store';
import type { Registry } from 'prom-client';
import {
  appendEvents,
  metricValue,
  newRegistry,
  storedMessages,
  testLog,
  TEST_TIMEOUT_MS,
  useEventBusEnv,
  waitFor,
  type TestNames,
  type TestShards,
} from './support/event-bus-env.js';

const env = useEventBusEnv('bus_relay');

/** A relay on the test's stream, stopped after the test. */
function relay(shards: TestShards, names: TestNames, registry: Registry, options: Partial<EventRelayOptions> = {}): EventRelay {
  const r = new EventRelay({
    shard: 0,
    router: shards.router,
    js: env.js,
    registry,
    stream: names.stream,
    pollIntervalMs: 200,
    lockRetryMs: 200,
    lockCheckMs: 500,
    backoff: { baseMs: 50, maxMs: 500 },
    log: testLog,
    ...options,
  });
  env.onCleanup(() => r.stop());
  return r;
}

/** Every event of every shard, in each shard's log order: `<shard>:<position>`. */
async function logIds(shards: TestShards): Promise<string[]> {
  const ids: string[] = [];
  for (const [shard, store] of shards.stores.entries()) {
    const { events } = await store.readAll({ fromPosition: 0n, limit: 10_000 });
    ids.push(...events.map((e) => `${shard}:${e.metadata.position}`));
  }
  return ids;
}

async function messageIds(names: TestNames): Promise<string[]> {
  return (await storedMessages(env.jsm, names.streamName)).map((m) => m.header.get('Nats-Msg-Id'));
}

const byShard = (ids: readonly string[], shard: number): string[] => ids.filter((id) => id.startsWith(`${shard}:`));

async function checkpointOf(shards: TestShards, names: TestNames, shard = 0): Promise<bigint> {
  return readRelayCheckpoint(shards.dataSources[shard]!, names.streamName, shard);
}

describe('EventRelay', () => {
  it(
    'publishes every appended event once, in log order, with subject, headers and payload; appends after the start wake it',
    async () => {
      const shards = await env.shards(2);
      const names = env.names();
      const registry = newRegistry();
      const before0 = await appendEvents(shards.stores[0]!, 'user-1', 12, 3);
      await appendEvents(shards.stores[1]!, 'media-7', 5, 1);

      // One relay per shard of the router; polls only every 30 s: the appends below must wake them (NOTIFY).
      const group = startEventRelays({
        router: shards.router,
        js: env.js,
        registry,
        stream: names.stream,
        batchSize: 5,
        pollIntervalMs: 30_000,
        lockCheckMs: 30_000,
        log: testLog,
      });
      env.onCleanup(() => group.stop());
      const relays = [group.relays.get(0)!, group.relays.get(1)!];
      await waitFor('17 messages', async () => (await env.jsm.streams.info(names.streamName).catch(() => undefined))?.state.messages === 17);
      await waitFor('both caught up', () => relays.every((r) => r.checkpoint !== undefined) && relays[0]!.checkpoint === before0);

      const last0 = await appendEvents(shards.stores[0]!, 'email-abc', 4, 2, 100);
      await waitFor('relay 0 woken by the NOTIFY', () => relays[0]!.checkpoint === last0, 10_000);
      await waitFor('21 messages', async () => (await env.jsm.streams.info(names.streamName)).state.messages === 21);

      const expected = await logIds(shards);
      const stored = await messageIds(names);
      expect(stored).toHaveLength(21);
      expect(new Set(stored).size).toBe(21);
      // Per shard, the stream has the shard's log order.
      expect(byShard(stored, 0)).toEqual(byShard(expected, 0));
      expect(byShard(stored, 1)).toEqual(byShard(expected, 1));

      const messages = await storedMessages(env.jsm, names.streamName);
      const first = messages.find((m) => m.header.get('Nats-Msg-Id') === byShard(expected, 0)[0])!;
      expect(first.subject).toBe(`${names.subjectPrefix}.0.user.ItemAdded`);
      expect(first.header.get(EventHeaders.StreamId)).toBe('user-1');
      expect(first.header.get(EventHeaders.Version)).toBe('1');
      expect(first.header.get(EventHeaders.Shard)).toBe('0');
      expect(first.header.get(EventHeaders.EventType)).toBe('ItemAdded');
      expect(first.header.get(EventHeaders.CorrelationId)).toBe('corr-user-1-0');
      const payload = first.json<BusEventPayload>();
      const recorded = (await shards.stores[0]!.readStream('user-1')).events[0]! as RecordedEvent;
      expect(payload).toEqual({
        type: 'ItemAdded',
        data: { n: 1 },
        metadata: {
          eventId: recorded.metadata.eventId,
          streamId: 'user-1',
          version: 1,
          position: recorded.metadata.position.toString(),
          recordedAt: recorded.metadata.recordedAt.toISOString(),
          correlationId: 'corr-user-1-0',
        },
      });
      expect(first.header.get(EventHeaders.EventId)).toBe(recorded.metadata.eventId);
      expect(first.header.get(EventHeaders.Position)).toBe(recorded.metadata.position.toString());
      expect(messages.some((m) => m.subject === `${names.subjectPrefix}.1.media.ItemRemoved`)).toBe(true);
      expect(messages.some((m) => m.subject === `${names.subjectPrefix}.0.email.ItemAdded`)).toBe(true);

      // The checkpoint is in the shard's database, at the last position; lag 0; counters.
      expect(await checkpointOf(shards, names, 0)).toBe(last0);
      await waitFor('lag 0', async () => (await metricValue(registry, 'faultline_relay_lag_events', { shard: '0' })) === 0);
      expect(await metricValue(registry, 'faultline_relay_published_total', { shard: '0' })).toBe(16);
      expect(await metricValue(registry, 'faultline_relay_published_total', { shard: '1' })).toBe(5);
      expect(await metricValue(registry, 'faultline_relay_duplicates_total', { shard: '0' })).toBeUndefined();

      const info = await env.jsm.streams.info(names.streamName);
      expect(info.config.subjects).toEqual([`${names.subjectPrefix}.>`]);
      expect(info.config.storage).toBe('file');
      expect(info.config.duplicate_window).toBe(120_000_000_000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'killed mid-batch after 7 publishes, before its checkpoint write: the restarted relay publishes nothing twice',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const last = await appendEvents(shards.stores[0]!, 'user-9', 30, 5);

      const firstRegistry = newRegistry();
      let crashed!: () => void;
      const crash = new Promise<void>((resolve) => (crashed = resolve));
      const first = relay(shards, names, firstRegistry, {
        batchSize: 20,
        onPublished: async () => {
          if (first.publishedCount === 7) {
            await first.kill();
            crashed();
          }
        },
      });
      await crash;
      await first.done;
      expect(first.publishedCount).toBe(7);
      expect(await messageIds(names)).toHaveLength(7);
      // The crash came before the batch's checkpoint write: nothing was recorded.
      expect(await checkpointOf(shards, names)).toBe(0n);

      const secondRegistry = newRegistry();
      const second = relay(shards, names, secondRegistry, { batchSize: 20 });
      await waitFor('the restarted relay to reach the head', () => second.checkpoint === last);

      const stored = await messageIds(names);
      expect(stored).toEqual(await logIds(shards));
      expect(stored).toHaveLength(30);
      // It did publish the first 7 again — JetStream acknowledged them as duplicates and stored nothing.
      expect(await metricValue(secondRegistry, 'faultline_relay_duplicates_total', { shard: '0' })).toBe(7);
      expect(await metricValue(secondRegistry, 'faultline_relay_published_total', { shard: '0' })).toBe(23);
      expect(await checkpointOf(shards, names)).toBe(last);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'crashed between the last publish of a batch and its checkpoint: the earlier batches stay checkpointed, the lost one is deduplicated',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const last = await appendEvents(shards.stores[0]!, 'user-5', 25, 1);
      const { events } = await shards.stores[0]!.readAll({ fromPosition: 0n, limit: 100 });

      let crashed!: () => void;
      const crash = new Promise<void>((resolve) => (crashed = resolve));
      const first = relay(shards, names, newRegistry(), {
        batchSize: 10,
        onPublished: async () => {
          if (first.publishedCount === 20) {
            await first.kill();
            crashed();
          }
        },
      });
      await crash;
      await first.done;
      // Batch 1 (10) was checkpointed; batch 2 was fully published but its checkpoint never written.
      expect(await checkpointOf(shards, names)).toBe(events[9]!.metadata.position);
      expect(await messageIds(names)).toHaveLength(20);

      const registry = newRegistry();
      const second = relay(shards, names, registry, { batchSize: 10 });
      await waitFor('the restarted relay to reach the head', () => second.checkpoint === last);
      expect(await messageIds(names)).toEqual(await logIds(shards));
      expect(await metricValue(registry, 'faultline_relay_duplicates_total', { shard: '0' })).toBe(10);
      expect(await metricValue(registry, 'faultline_relay_published_total', { shard: '0' })).toBe(5);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports its lag: the events after its checkpoint while it is held up, 0 once caught up',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const registry = newRegistry();
      const last = await appendEvents(shards.stores[0]!, 'user-3', 30, 10);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const r = relay(shards, names, registry, { batchSize: 10, onPublished: () => (r.publishedCount === 1 ? gate : undefined) });
      await waitFor('held after its first publish', () => r.publishedCount === 1);
      expect(await metricValue(registry, 'faultline_relay_lag_events', { shard: '0' })).toBe(30);
      release();
      await waitFor('caught up', () => r.checkpoint === last);
      await waitFor('lag 0', async () => (await metricValue(registry, 'faultline_relay_lag_events', { shard: '0' })) === 0);
      await appendEvents(shards.stores[0]!, 'user-3', 3, 3, 31);
      await waitFor('lag 0 again after 3 more', async () => r.publishedCount === 33 && (await metricValue(registry, 'faultline_relay_lag_events', { shard: '0' })) === 0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'one relay per shard: a second instance stands by on the advisory lock and takes over when the first stops',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const other = await shards.secondRouter('b');
      const registryA = newRegistry();
      const registryB = newRegistry();
      const a = relay(shards, names, registryA);
      await waitFor('a active', () => a.state === 'active');
      const b = relay({ ...shards, router: other }, names, registryB);
      const firstLast = await appendEvents(shards.stores[0]!, 'user-1', 10, 2);
      await waitFor('a to publish 10', () => a.checkpoint === firstLast);
      // b tried the lock several times meanwhile (every ~200 ms) and never got it.
      expect(b.state).toBe('standby');
      expect(b.publishedCount).toBe(0);
      expect(await metricValue(registryB, 'faultline_relay_active', { shard: '0' })).toBe(0);
      expect(await metricValue(registryA, 'faultline_relay_active', { shard: '0' })).toBe(1);

      await a.stop();
      const last = await appendEvents(shards.stores[0]!, 'user-2', 10, 2);
      await waitFor('b to take over and publish', () => b.checkpoint === last);
      expect(b.state).toBe('active');
      expect(b.lockNode).toBe('bus_relay-b-shard0-primary');
      expect(await messageIds(names)).toEqual(await logIds(shards));
      expect(await metricValue(registryB, 'faultline_relay_duplicates_total', { shard: '0' })).toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'loses its lock connection (terminated on the server, as in a failover): takes the lock again and goes on',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const registry = newRegistry();
      const r = relay(shards, names, registry);
      const firstLast = await appendEvents(shards.stores[0]!, 'user-1', 5, 1);
      await waitFor('first events', () => r.checkpoint === firstLast);

      const terminated = (await shards.dataSources[0]!.query(
        `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objid = 0 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )) as { ok: boolean }[];
      expect(terminated).toEqual([{ ok: true }]);

      const last = await appendEvents(shards.stores[0]!, 'user-1', 5, 1, 6);
      await waitFor('events after the lost lock', () => r.checkpoint === last);
      expect(r.state).toBe('active');
      expect(await messageIds(names)).toEqual(await logIds(shards));
      const holders = (await shards.dataSources[0]!.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`)) as { n: number }[];
      expect(holders[0]!.n).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rides out a NATS outage: events appended while nats-server is down are published once it is back',
    async () => {
      const shards = await env.shards(1);
      const names = env.names();
      const registry = newRegistry();
      // Its own connection: the test's connection should not be what keeps the relay going.
      const nc = await env.connection('relay-outage');
      const { jetstream } = await import('@nats-io/jetstream');
      const r = relay(shards, names, registry, { js: jetstream(nc), publishTimeoutMs: 1_000 });
      const firstLast = await appendEvents(shards.stores[0]!, 'user-1', 5, 1);
      await waitFor('first events', () => r.checkpoint === firstLast);

      await env.nats.halt();
      const last = await appendEvents(shards.stores[0]!, 'user-1', 10, 2, 6);
      await waitFor('a failed publish', async () => ((await metricValue(registry, 'faultline_relay_errors_total', { shard: '0' })) ?? 0) > 0);
      expect(r.checkpoint).toBe(firstLast);
      await env.nats.start();

      await waitFor('events after the outage', () => r.checkpoint === last);
      // The test's own connection reconnects on its own schedule: its first request may still time out.
      expect(await waitFor('the stream readable on the test connection', () => messageIds(names))).toEqual(await logIds(shards));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'throughput: events relayed per second, one publish in flight and a window of 64',
    async () => {
      const shards = await env.shards(1);
      const total = 3_000;
      const last = await appendEvents(shards.stores[0]!, 'user-bench', total, 100);
      const rates: Record<string, number> = {};
      for (const publishWindow of [1, 64]) {
        const names = env.names();
        const started = performance.now();
        const r = relay(shards, names, newRegistry(), { publishWindow });
        await waitFor(`window ${publishWindow} to relay ${total}`, () => r.checkpoint === last, 120_000, 10);
        rates[`window ${publishWindow}`] = Math.round(total / ((performance.now() - started) / 1000));
        await r.stop();
        expect(await messageIds(names)).toHaveLength(total);
      }
      // eslint-disable-next-line no-console
      console.log(`relay throughput (events/s, ${total} events, incl. start-up and lock): ${JSON.stringify(rates)}`);
      expect(rates['window 1']).toBeGreaterThan(50);
    },
    TEST_TIMEOUT_MS * 2,
  );
});
