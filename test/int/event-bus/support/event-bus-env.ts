import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventStreamOptions } from '#libs/event-bus';
import { createEventStoreDataSource, ensureEventStoreSchema, PostgresEventStore, type Event } from '#libs/event-store';
import { startNatsServer, type NatsServer } from '../../../support/nats-server.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../../support/postgres-server.js';
import { TestShardRouter } from '../../user/support/test-shard-router.js';
export { waitFor } from '../../../support/wait-for.js';

export const SETUP_TIMEOUT_MS = 90_000;
/** Generous: the machine has 2 cores and is loaded. */
export const TEST_TIMEOUT_MS = 120_000;

export type TestEvent = Event<'ItemAdded', { n: number }> | Event<'ItemRemoved', { n: number }>;
export const itemAdded = (n: number): TestEvent => ({ type: 'ItemAdded', data: { n } });
export const itemRemoved = (n: number): TestEvent => ({ type: 'ItemRemoved', data: { n } });

/** One test's shards: a fresh database each, with the event store schema, behind a TestShardRouter. */
export interface TestShards {
  readonly router: TestShardRouter;
  readonly dataSources: readonly DataSource[];
  /** An appending store per shard (NOTIFY on: relays are woken by it). */
  readonly stores: readonly PostgresEventStore<TestEvent>[];
  /** Another router over new pools to the same databases: a second instance of a service. */
  secondRouter(name: string): Promise<TestShardRouter>;
}

/** Names no other test of the run uses: stream, subject prefix, durable names. */
export interface TestNames {
  readonly streamName: string;
  readonly subjectPrefix: string;
  /** Stream options for relays and consumers: these names, and a small size (JetStream reserves max_bytes of its store per stream). */
  readonly stream: EventStreamOptions;
  durable(name: string): string;
}

export interface EventBusEnv {
  readonly nats: NatsServer;
  /** The test file's NATS connection (reconnects forever, as the apps' do). */
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** A new NATS connection (closed after the test). */
  connection(name: string): Promise<NatsConnection>;
  shards(count: number): Promise<TestShards>;
  names(): TestNames;
  /** Runs after the current test, in reverse order of registration. */
  onCleanup(step: () => unknown): void;
}

let sequence = 0;

export function natsTestOptions(servers: string, name: string) {
  return {
    servers: [servers],
    name,
    timeout: 1_000,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
    pingInterval: 2_000,
    maxPingOut: 2,
  };
}

/**
 * A throwaway Postgres (a fresh database per shard per test) and a throwaway nats-server with JetStream
 * for one test file. FAULTLINE_TEST_POSTGRES_URL points at an existing Postgres server instead.
 */
export function useEventBusEnv(prefix: string): EventBusEnv {
  let postgres: PostgresServer | undefined;
  let postgresUrl: string | undefined;
  let nats: NatsServer | undefined;
  let nc: NatsConnection | undefined;
  let jsm: JetStreamManager | undefined;
  let js: JetStreamClient | undefined;
  const cleanups: (() => unknown)[] = [];
  const databases: FreshDatabase[] = [];

  beforeAll(async () => {
    const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
    [postgres, nats] = await Promise.all([external ? Promise.resolve(undefined) : startPostgresServer({ maxConnections: 200 }), startNatsServer({ jetstream: true, labPings: true })]);
    postgresUrl = external ?? postgres!.url;
    nc = await connect(natsTestOptions(nats.url, `${prefix}-test`));
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  }, SETUP_TIMEOUT_MS);

  afterEach(async () => {
    const steps = cleanups.splice(0).reverse();
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        // eslint-disable-next-line no-console
        console.warn('cleanup step failed', error);
      }
    }
    await Promise.allSettled(databases.splice(0).map((database) => database.drop()));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    await nats?.stop();
    await postgres?.stop();
  }, SETUP_TIMEOUT_MS);

  const onCleanup = (step: () => unknown): void => void cleanups.push(step);

  async function openShard(url: string, applicationName: string): Promise<DataSource> {
    const dataSource = await createEventStoreDataSource({ url, applicationName, poolSize: 6 });
    onCleanup(() => dataSource.destroy());
    return dataSource;
  }

  return {
    get nats() {
      return nats!;
    },
    get nc() {
      return nc!;
    },
    get js() {
      return js!;
    },
    get jsm() {
      return jsm!;
    },
    async connection(name: string) {
      const connection = await connect(natsTestOptions(nats!.url, name));
      onCleanup(() => connection.close().catch(() => undefined));
      return connection;
    },
    async shards(count: number): Promise<TestShards> {
      const created = await Promise.all(Array.from({ length: count }, () => withFreshDatabase({ url: postgresUrl! }, prefix)));
      databases.push(...created);
      const dataSources = await Promise.all(created.map((database, i) => openShard(database.url, `${prefix}-shard${i}`)));
      for (const dataSource of dataSources) await ensureEventStoreSchema(dataSource);
      const stores = dataSources.map((dataSource) => new PostgresEventStore<TestEvent>(dataSource));
      onCleanup(() => Promise.all(stores.map((store) => store.close())));
      return {
        router: new TestShardRouter(dataSources, `${prefix}-a`),
        dataSources,
        stores,
        async secondRouter(name: string) {
          const more = await Promise.all(created.map((database, i) => openShard(database.url, `${prefix}-${name}-shard${i}`)));
          return new TestShardRouter(more, `${prefix}-${name}`);
        },
      };
    },
    names(): TestNames {
      const id = `${process.pid}_${++sequence}_${Math.random().toString(36).slice(2, 7)}`;
      const streamName = `T_${prefix}_${id}`.toUpperCase();
      const subjectPrefix = `ev_${id}`;
      onCleanup(() => jsm!.streams.delete(streamName).catch(() => undefined));
      return {
        streamName,
        subjectPrefix,
        stream: { streamName, subjectPrefix, maxBytes: 16 * 1024 * 1024 },
        durable: (name: string) => `${name}_${id}`,
      };
    },
    onCleanup,
  };
}

/** Every message stored in the stream, in stream order. */
export async function storedMessages(jsm: JetStreamManager, streamName: string): Promise<StoredMsg[]> {
  const info = await jsm.streams.info(streamName);
  const messages: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(streamName, { seq });
    if (message) messages.push(message);
  }
  return messages;
}

/** The value of a metric series on a registry (undefined when the series does not exist). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, value]) => String(v.labels[k]) === value));
  return match?.value;
}

/** Appends `count` events to `streamId` in appends of `perAppend`; returns every appended position's last. */
export async function appendEvents(store: PostgresEventStore<TestEvent>, streamId: string, count: number, perAppend = 1, first = 1): Promise<bigint> {
  let last = 0n;
  for (let i = 0; i < count; i += perAppend) {
    const events = Array.from({ length: Math.min(perAppend, count - i) }, (_, j) => ((first + i + j) % 5 === 0 ? itemRemoved(first + i + j) : itemAdded(first + i + j)));
    const result = await store.appendToStream(streamId, events, { expectedVersion: 'any', correlationId: `corr-${streamId}-${i}` });
    last = result.lastPosition;
  }
  return last;
}

/** Bus logs on stderr with FAULTLINE_TEST_BUS_LOG=1 (warnings and up; `debug` for everything). */
export const testLog = (level: string, message: string, fields?: Readonly<Record<string, unknown>>): void => {
  const wanted = process.env.FAULTLINE_TEST_BUS_LOG;
  if (!wanted || (wanted !== 'debug' && (level === 'debug' || level === 'info'))) return;
  process.stderr.write(`[bus ${level}] ${message} ${JSON.stringify(fields ?? {})}\n`);
};

export const newRegistry = (): Registry => new Registry();
