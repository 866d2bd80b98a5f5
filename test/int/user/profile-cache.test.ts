import { describe, expect, it } from '@jest/globals';
import type { Registry } from 'prom-client';
import { startRedisServer } from '../../support/redis-server.js';
import { waitUntil } from '../event-store/support/concurrency.js';
import { newEmail, newRequestId, SETUP_TIMEOUT_MS, useUserTestEnv, type TestInstance } from './support/user-test-env.js';

const env = useUserTestEnv('user_cache');

const PASSWORD = 'correct horse battery';

async function cacheCounts(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('faultline_cache_requests_total')!.get();
  return Object.fromEntries(metric.values.filter((v) => v.labels.cache === 'profile').map((v) => [String(v.labels.result), v.value]));
}

async function registered(instance: TestInstance, name = 'Ada') {
  return instance.service.register({ email: newEmail(name.toLowerCase()), password: PASSWORD, name, requestId: newRequestId() });
}

const dbReads = (instance: TestInstance) => instance.router.calls.filter((call) => call.kind === 'read').length;

describe('profile reads through the cache', () => {
  it('misses, reads a replica and fills; then hits without touching the database', async () => {
    const a = await (await env.world()).instance('a');
    const { userId } = await registered(a);
    const first = await a.service.getProfile({ userId });
    expect(first).toMatchObject({ source: 'replica', profile: { id: userId, version: 1 } });
    const readsAfterMiss = dbReads(a);
    const second = await a.service.getProfile({ userId });
    expect(second).toEqual({ source: 'cache', profile: first.profile });
    expect(dbReads(a)).toBe(readsAfterMiss);
    expect(await cacheCounts(a.registry)).toEqual({ hit: 1, miss: 1, error: 0 });
  });

  it('is invalidated by every write: the next read sees the new version, from any instance', async () => {
    const world = await env.world();
    const [a, b] = [await world.instance('a'), await world.instance('b')];
    const { userId } = await registered(a);
    await a.service.getProfile({ userId });
    expect((await b.service.getProfile({ userId })).source).toBe('cache');

    await b.service.updateProfile({ userId, actorId: userId, name: 'Ada L.', requestId: newRequestId() });
    expect(await a.service.getProfile({ userId })).toMatchObject({ source: 'replica', profile: { name: 'Ada L.', version: 2 } });
    const email = newEmail('moved');
    await a.service.changeEmail({ userId, actorId: userId, email, requestId: newRequestId() });
    expect(await b.service.getProfile({ userId })).toMatchObject({ source: 'replica', profile: { email, version: 3 } });
    expect(await a.service.getProfile({ userId })).toMatchObject({ source: 'cache', profile: { email, version: 3 } });
  });

  it('never lets a reader that read before a write put the old version back after the write invalidated it', async () => {
    const world = await env.world();
    const [reader, writer] = [await world.instance('reader'), await world.instance('writer')];
    const { userId } = await registered(writer);

    // The reader misses and reads version 1 … and is held there, like a reader on a lagging replica.
    const held = reader.router.holdNextRead();
    const slowRead = reader.service.getProfile({ userId });
    await held.reached;
    // Meanwhile the writer commits version 2 and invalidates.
    await writer.service.updateProfile({ userId, actorId: userId, name: 'Ada L.', requestId: newRequestId() });
    held.release();
    // The slow reader answers with what it read (an eventual read may be stale) but cannot cache it.
    expect((await slowRead).profile.version).toBe(1);
    expect(await reader.cache!.fill({ ...(await slowRead).profile })).toBe(false);
    expect(await writer.service.getProfile({ userId })).toMatchObject({ source: 'replica', profile: { version: 2 } });
    expect(await reader.service.getProfile({ userId })).toMatchObject({ source: 'cache', profile: { version: 2, name: 'Ada L.' } });
  });

  it('reads with a write token skip the cache, and see that write', async () => {
    const a = await (await env.world()).instance('a');
    const { userId } = await registered(a);
    await a.service.getProfile({ userId });
    const { write } = await a.service.updateProfile({ userId, actorId: userId, name: 'Ada L.', requestId: newRequestId() });
    const read = await a.service.getProfile({ userId, after: write });
    expect(read).toMatchObject({ source: 'replica', profile: { version: 2 } });
    expect(a.router.calls.at(-1)).toEqual({ kind: 'read', shard: write.shard, role: 'replica' });
    expect(await a.service.getProfile({ userId: '00000000-0000-4000-8000-00000000beef' }).catch((e: unknown) => e)).toMatchObject({ code: 'USER_NOT_FOUND' });
  });
});

describe('when Redis fails', () => {
  const FAST_MS = 1_000; // a timeout (75 ms) plus a database read, generously, on a loaded machine

  it(
    'serves reads from the database quickly while Redis is stopped, counting errors, and writes still succeed',
    async () => {
      const redis = await startRedisServer();
      env.onCleanup(() => redis.stop());
      const a = await (await env.world()).instance('a', { redis });
      const { userId } = await registered(a);
      await a.service.getProfile({ userId });
      expect((await a.service.getProfile({ userId })).source).toBe('cache');

      await redis.stop();
      await waitUntil(() => a.redis!.status !== 'ready', 'the client to notice Redis is gone');
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        expect(await a.service.getProfile({ userId })).toMatchObject({ source: 'replica', profile: { id: userId } });
        expect(performance.now() - started).toBeLessThan(FAST_MS);
      }
      const write = await a.service.updateProfile({ userId, actorId: userId, name: 'Ada L.', requestId: newRequestId() });
      expect(write.profile.version).toBe(2);
      expect(await cacheCounts(a.registry)).toMatchObject({ error: 3 });
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    'answers within the command timeout when Redis hangs, then skips it for a while',
    async () => {
      const redis = await startRedisServer();
      env.onCleanup(() => redis.stop());
      const a = await (await env.world()).instance('a', { redis, cache: { commandTimeoutMs: 75, bypassAfterFailureMs: 60_000 } });
      const { userId } = await registered(a);
      await a.service.getProfile({ userId });

      redis.pause();
      env.onCleanup(async () => redis.resume());
      const timed = async () => {
        const started = performance.now();
        const reply = await a.service.getProfile({ userId });
        return { reply, ms: performance.now() - started };
      };
      const first = await timed();
      expect(first.reply.source).toBe('replica');
      expect(first.ms).toBeGreaterThanOrEqual(70);
      expect(first.ms).toBeLessThan(FAST_MS);
      // The next reads do not wait on Redis at all.
      const second = await timed();
      expect(second.reply.source).toBe('replica');
      expect(second.ms).toBeLessThan(first.ms);
      expect(await cacheCounts(a.registry)).toMatchObject({ error: 2 });
    },
    SETUP_TIMEOUT_MS,
  );
});
