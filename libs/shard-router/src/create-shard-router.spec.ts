import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { ShardConfig } from '#libs/config';
import { createShardRouter, type ShardRouterOptions } from './create-shard-router.js';
import { classifyNodeFailure } from './pg-failure.js';
import { shardForKey } from './shard-hash.js';
import {
  isShardRouterClosedError,
  isShardRouterConfigError,
  isShardUnavailableError,
  isUnknownShardError,
  ShardRouterConfigError,
  ShardUnavailableError,
} from './shard-router.errors.js';
import type { ShardRouter } from './shard-router.js';
import { closedPort, startFakePgServer, type FakePgServer } from './testing/fake-pg-server.js';

/** The router without any Postgres: unreachable and blackholed nodes, options, errors, metrics. */
describe('createShardRouter without a database', () => {
  let refused: number;
  let blackhole: FakePgServer;
  const routers: ShardRouter[] = [];
  const make = (options: Partial<ShardRouterOptions> & Pick<ShardRouterOptions, 'shards'>): ShardRouter => {
    const router = createShardRouter({ probeIntervalMs: 0, ...options });
    routers.push(router);
    return router;
  };
  const refusedShard = (id: number, monitor = false): ShardConfig => ({
    id,
    nodes: [
      { name: `shard${id}-1`, url: `postgres://postgres@127.0.0.1:${refused}/app` },
      { name: `shard${id}-2`, url: `postgres://postgres@127.0.0.1:${refused}/app` },
    ],
    ...(monitor ? { monitorUrl: `postgres://autoctl_node@127.0.0.1:${refused}/pg_auto_failover`, formation: `shard${id}` } : {}),
  });

  beforeAll(async () => {
    refused = await closedPort();
    blackhole = await startFakePgServer('blackhole');
  });
  afterEach(async () => {
    await Promise.all(routers.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await blackhole.close();
  });

  it('lists every problem with the options at once', () => {
    const error = (() => {
      try {
        createShardRouter({
          shards: [
            { id: 1, nodes: [{ name: 'a', url: 'postgres://x/app' }, { name: 'a', url: 'mysql://x' }] },
            { id: 1, nodes: [], monitorUrl: 'postgres://m/pg_auto_failover' },
          ],
          connectTimeoutMs: -5,
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isShardRouterConfigError(error)).toBe(true);
    expect((error as ShardRouterConfigError).issues).toEqual([
      'shards[0].nodes[1].name: "a" appears twice',
      'shards[0].nodes[1].url: must be a postgres:// URL',
      'shards[1].id: shard 1 appears twice',
      'shards[1].nodes: at least one node is needed',
      'shards[1].formation: needed with monitorUrl (the monitor is asked about that formation)',
      'connectTimeoutMs: must be a positive number',
    ]);
    expect(() => createShardRouter({ shards: [] })).toThrow(ShardRouterConfigError);
  });

  it('shard ids ascending; shardFor is the documented hash over them; unknown ids are refused', async () => {
    const router = make({ shards: [refusedShard(7), refusedShard(3), refusedShard(5)] });
    expect(router.shardIds).toEqual([3, 5, 7]);
    for (const key of ['a', 'user-1', 'alice@example.com']) expect(router.shardFor(key)).toBe(shardForKey(key, [3, 5, 7]));
    expect(router.shardFor('shard-key-42')).toBe(7); // bucket 2 of 3
    expect(router.currentPrimary(3)).toBeUndefined();
    expect(() => router.currentPrimary(4)).toThrow(expect.objectContaining({ code: 'UNKNOWN_SHARD' }));
    expect(isUnknownShardError(await router.write(4, async () => 1).catch((e: unknown) => e))).toBe(true);
    expect(isUnknownShardError(await router.read(4, async () => 1).catch((e: unknown) => e))).toBe(true);
  });

  it('a write to a shard with no reachable node retries until the deadline, then throws SHARD_UNAVAILABLE', async () => {
    const registry = new Registry();
    const router = make({ shards: [refusedShard(0, true)], metrics: registry });
    let ran = 0;
    const t0 = Date.now();
    const error = await router.write(0, async () => ++ran, { deadlineMs: 500 }).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(isShardUnavailableError(error)).toBe(true);
    const unavailable = error as ShardUnavailableError;
    expect(unavailable).toMatchObject({ code: 'SHARD_UNAVAILABLE', shardId: 0, operation: 'write', attempts: 0 });
    expect(unavailable.message).toMatch(/no primary known: no node answered/);
    expect(unavailable.cause).toBeInstanceOf(Error);
    expect(ran).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(3000);
    const retries = await registry.getSingleMetric('faultline_shard_write_retries_total')!.get();
    expect(retries.values.find((v) => v.labels.shard === '0')!.value).toBeGreaterThan(1);
    const up = await registry.getSingleMetric('faultline_shard_node_up')!.get();
    expect(up.values.map((v) => v.value)).toEqual([0, 0]);
    // The write SLO's counter: one write, unavailable; the other outcomes exist at 0 so their rates do too.
    const writes = await registry.getSingleMetric('faultline_shard_writes_total')!.get();
    expect(Object.fromEntries(writes.values.map((v) => [v.labels.outcome, v.value]))).toEqual({ ok: 0, rejected: 0, unavailable: 1, aborted: 0 });
  });

  it('a blackholed node (accepts, never answers) fails requests within the connect timeout instead of hanging', async () => {
    const router = make({
      shards: [{ id: 0, nodes: [{ name: 'n1', url: blackhole.url }] }],
      connectTimeoutMs: 200,
    });
    const t0 = Date.now();
    const error = await router.write(0, async () => 1, { deadlineMs: 100 }).catch((e: unknown) => e);
    expect(isShardUnavailableError(error)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2500);
    const read = await router.read(0, async () => 1, { deadlineMs: 100 }).catch((e: unknown) => e);
    expect(read).toMatchObject({ code: 'SHARD_UNAVAILABLE', operation: 'read' });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a read with no replica and no primary answering ends in SHARD_UNAVAILABLE too', async () => {
    const router = make({ shards: [refusedShard(0)] });
    const error = await router.read(0, async () => 1, { deadlineMs: 200 }).catch((e: unknown) => e);
    expect(isShardUnavailableError(error)).toBe(true);
    expect((error as ShardUnavailableError).operation).toBe('read');
  });

  it('aborting a write rejects with the signal\'s reason, without waiting for the deadline', async () => {
    const registry = new Registry();
    const router = make({ shards: [refusedShard(0)], metrics: registry });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client went away')), 100);
    const t0 = Date.now();
    await expect(router.write(0, async () => 1, { deadlineMs: 30_000, signal: controller.signal })).rejects.toThrow('client went away');
    expect(Date.now() - t0).toBeLessThan(3000);
    const writes = await registry.getSingleMetric('faultline_shard_writes_total')!.get();
    expect(writes.values.find((v) => v.labels.outcome === 'aborted')!.value).toBe(1);
    expect(writes.values.find((v) => v.labels.outcome === 'unavailable')!.value).toBe(0);
  });

  it('a write still retrying when the router closes ends with SHARD_ROUTER_CLOSED', async () => {
    const registry = new Registry();
    const router = make({ shards: [refusedShard(0)], metrics: registry });
    const pending = router.write(0, async () => 1, { deadlineMs: 30_000 }).catch((e: unknown) => e);
    const retries = async () => (await registry.getSingleMetric('faultline_shard_write_retries_total')!.get()).values[0]?.value ?? 0;
    while ((await retries()) < 1) await new Promise((r) => setTimeout(r, 5)); // until it is retrying
    const t0 = Date.now();
    await router.close();
    expect(isShardRouterClosedError(await pending)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    const writes = await registry.getSingleMetric('faultline_shard_writes_total')!.get();
    expect(writes.values.find((v) => v.labels.outcome === 'aborted')!.value).toBe(1);
  });

  it('rejects a malformed `after` LSN before doing anything', async () => {
    const router = make({ shards: [refusedShard(0)] });
    let ran = false;
    await expect(router.read(0, async () => (ran = true), { after: 'not-an-lsn' })).rejects.toThrow(TypeError);
    expect(ran).toBe(false);
  });

  it('registers its metrics on the given registry (two routers can share it) and refuses work after close', async () => {
    const registry = new Registry();
    const a = make({ shards: [refusedShard(0)], metrics: registry, probeIntervalMs: 50 });
    const b = make({ shards: [refusedShard(1)], metrics: registry });
    const text = await registry.metrics();
    for (const name of [
      'faultline_shard_primary_info',
      'faultline_replica_lag_bytes',
      'faultline_replica_lag_seconds',
      'faultline_shard_rediscoveries_total',
      'faultline_shard_write_retries_total',
      'faultline_shard_writes_total',
      'faultline_db_pool_connections',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toContain('faultline_shard_primary_info{shard="0",node="shard0-1"} 0');
    expect(text).toContain('faultline_shard_primary_info{shard="1",node="shard1-2"} 0');
    expect(text).toContain('faultline_shard_rediscoveries_total{shard="1"} 0');
    expect(text).toContain('faultline_shard_writes_total{shard="1",outcome="unavailable"} 0');
    expect(text).toContain('faultline_db_pool_connections{shard="0",node="shard0-1",state="total"} 0');
    await a.close();
    await a.close(); // idempotent
    expect(isShardRouterClosedError(await a.write(0, async () => 1).catch((e: unknown) => e))).toBe(true);
    expect(isShardRouterClosedError(await a.read(0, async () => 1).catch((e: unknown) => e))).toBe(true);
    // A closed router's pools leave the gauge; the other router's stay.
    const after = await registry.metrics();
    expect(after).not.toContain('faultline_db_pool_connections{shard="0"');
    expect(after).toContain('faultline_db_pool_connections{shard="1",node="shard1-1",state="idle"} 0');
    await b.close();
  });

  it('what an unreachable node throws is classified as a connection failure', async () => {
    const router = make({ shards: [{ id: 0, nodes: [{ name: 'n', url: `postgres://postgres@127.0.0.1:${refused}/app` }] }] });
    let seen: unknown;
    await router
      .read(0, async () => 1, { deadlineMs: 50 })
      .catch((e: unknown) => {
        seen = e;
      });
    expect(seen).toBeInstanceOf(ShardUnavailableError);
    // The discovery's probes failed with ECONNREFUSED, which the classifier must call a connection failure.
    const refusedError = await import('pg').then(async ({ default: pg }) => {
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${refused}/app`, connectionTimeoutMillis: 500 });
      return client.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    expect(classifyNodeFailure(refusedError)).toBe('connection');
  });
});
