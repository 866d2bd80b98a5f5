import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { closeRedisConnection, createRedisConnection } from '#libs/health';
import { SessionTokens } from '../../../apps/gateway/src/sessions/session-token.js';
import { SessionStore } from '../../../apps/gateway/src/sessions/session.store.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

/**
 * Sessions across two data centers: each DC has its own Redis (here: two real redis-servers), the
 * gateways of both share the signing secret, as the lab sets them up.
 */
describe('sessions in two data centers', () => {
  let servers: RedisServer[];
  let redis: Redis[];
  let dcA: SessionStore;
  let dcB: SessionStore;
  beforeAll(async () => {
    servers = await Promise.all([startRedisServer(), startRedisServer()]);
    // Connections made as the gateway makes its own.
    redis = servers.map((server, index) => createRedisConnection({ url: server.url, connectionName: `test-dc-${index}` }, pino({ level: 'silent' })));
    const tokens = new SessionTokens('the-lab-wide-session-secret-0123456789');
    [dcA, dcB] = redis.map((client) => new SessionStore(client, tokens, 3600)) as [SessionStore, SessionStore];
    await Promise.all(redis.map((client) => (client.status === 'ready' ? undefined : new Promise((resolve) => client.once('ready', resolve)))));
  }, 30_000);
  afterAll(async () => {
    await Promise.all(redis?.map((client) => closeRedisConnection(client)) ?? []);
    await Promise.all(servers?.map((server) => server.stop()) ?? []);
  });

  it('accepts in the other DC a session made in one, without the other DC having seen it', async () => {
    const { token } = await dcA.create('user-1');
    expect(await redis[1]!.dbsize()).toBe(0);
    const session = await dcB.resolve(token);
    expect(session).toMatchObject({ userId: 'user-1' });
    // Adopted: the record now exists in dc-b's Redis, with the token's remaining lifetime.
    expect(await redis[1]!.ttl(`faultline:session:${session!.sid}`)).toBeGreaterThan(3500);
  });

  it('keeps the read-your-writes position of a session in its DC', async () => {
    const { token } = await dcA.create('user-2');
    const session = (await dcA.resolve(token))!;
    await dcA.recordWrite(session, { shard: 0, lsn: '0/16B3748' });
    expect((await dcA.resolve(token))!.lastWrite).toEqual({ shard: 0, lsn: '0/16B3748' });
  });

  it('refuses a logged-out token at once in its own DC, and in the other once the revocation arrives', async () => {
    const { token } = await dcA.create('user-3');
    const session = (await dcA.resolve(token))!;
    expect(await dcB.resolve(token)).toBeDefined();
    await dcA.destroy(session);
    expect(await dcA.resolve(token)).toBeUndefined();
    // The revocation log is what SessionRevocations re-announces to the other DCs.
    const recent = await dcA.recentRevocations(Date.now() - 60_000);
    expect(recent).toContainEqual({ sid: session.sid, expiresAt: session.expiresAt });
    for (const revocation of recent) await dcB.applyRevocation(revocation.sid, revocation.expiresAt);
    expect(await dcB.resolve(token)).toBeUndefined();
  });

  it('refuses a token signed by another lab', async () => {
    const foreign = new SessionTokens('some-other-labs-secret-0123456789abcdef').issue('user-1', 3600).token;
    expect(await dcA.resolve(foreign)).toBeUndefined();
  });

  it('answers "unavailable", not "logged out", while its Redis is down', async () => {
    const { token } = await dcA.create('user-4');
    servers[0]!.pause();
    try {
      const started = Date.now();
      await expect(dcA.resolve(token)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // Bounded by the connection's command timeout: a request never hangs on a silent Redis.
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      servers[0]!.resume();
    }
  }, 20_000);
});
