import { describe, expect, it } from '@jest/globals';
import { userStreamId } from '../../../apps/user/src/domain/stream-ids.js';
import { settle, waitUntil } from '../event-store/support/concurrency.js';
import { newEmail, newRequestId, SETUP_TIMEOUT_MS, useUserTestEnv, type TestInstance } from './support/user-test-env.js';

const env = useUserTestEnv('user_profile');

const PASSWORD = 'correct horse battery';
const STRANGER = '00000000-0000-4000-8000-00000000dead';

async function registered(instance: TestInstance, name = 'Ada', email = newEmail(name.toLowerCase())) {
  const { userId, write } = await instance.service.register({ email, password: PASSWORD, name, requestId: newRequestId() });
  return { userId, email, write };
}

async function userStream(instance: TestInstance, userId: string): Promise<{ version: number; type: string; name: string | null }[]> {
  return (await instance.shards[instance.router.shardFor(userId)]!.query(
    `SELECT version, type, data->>'name' AS name FROM events WHERE stream_id = $1 ORDER BY version`,
    [userStreamId(userId)],
  )) as { version: number; type: string; name: string | null }[];
}

async function profileRow(instance: TestInstance, userId: string): Promise<{ version: number; name: string; email: string } | undefined> {
  const rows = (await instance.shards[instance.router.shardFor(userId)]!.query('SELECT version, name, email FROM user_profiles WHERE user_id = $1', [userId])) as {
    version: number;
    name: string;
    email: string;
  }[];
  return rows[0];
}

describe('updateProfile', () => {
  it('renames the user, returns the new profile and a write token, and only the user may do it', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const { userId } = await registered(a);
    const reply = await a.service.updateProfile({ userId, actorId: userId, name: 'Ada L.', requestId: newRequestId() });
    expect(reply.profile).toMatchObject({ id: userId, name: 'Ada L.', version: 2 });
    expect(reply.write.shard).toBe(a.router.shardFor(userId));
    expect((await a.service.getProfile({ userId, after: reply.write })).profile).toEqual(reply.profile);

    await expect(a.service.updateProfile({ userId, actorId: STRANGER, name: 'Mallory', requestId: newRequestId() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(a.service.updateProfile({ userId: STRANGER, actorId: STRANGER, name: 'Nobody', requestId: newRequestId() })).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    expect((await userStream(a, userId)).map((event) => event.type)).toEqual(['UserRegistered', 'ProfileUpdated']);
  });

  it('appends nothing for the name the user already has, and nothing twice for a retried request', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const { userId } = await registered(a);
    expect((await a.service.updateProfile({ userId, actorId: userId, name: 'Ada', requestId: newRequestId() })).profile.version).toBe(1);
    const request = { userId, actorId: userId, name: 'Ada B.', requestId: newRequestId() };
    const first = await a.service.updateProfile(request);
    await a.service.updateProfile({ userId, actorId: userId, name: 'Ada C.', requestId: newRequestId() });
    // The retry answers as the first attempt did, even though the user moved on since.
    expect(await a.service.updateProfile(request)).toEqual(first);
    expect((await userStream(a, userId)).map((event) => event.name)).toEqual(['Ada', 'Ada B.', 'Ada C.']);
  });

  it(
    'settles concurrent updates from two instances by expected versions: no update is lost, versions stay dense, the row follows the stream',
    async () => {
      const world = await env.world();
      const [a, b] = [await world.instance('a', { redis: false }), await world.instance('b', { redis: false })];
      const { userId } = await registered(a);
      const shard = a.shards[a.router.shardFor(userId)]!;
      const rollbacks = async () =>
        ((await shard.query('SELECT xact_rollback::int AS n FROM pg_stat_database WHERE datname = current_database()')) as { n: number }[])[0]!.n;
      const rollbacksBefore = await rollbacks();
      const updates = Array.from({ length: 12 }, (_, n) =>
        (n % 2 ? a : b).service.updateProfile({ userId, actorId: userId, name: `Name ${n}`, requestId: newRequestId(`u${n}`) }),
      );
      const { fulfilled, rejected } = await settle(updates);
      // Each lost race is decided again on the new state (handleCommand's retries); past them, a typed conflict.
      for (const error of rejected) expect(error).toMatchObject({ code: 'EXPECTED_VERSION_CONFLICT' });
      expect(fulfilled.length).toBeGreaterThan(0);

      const stream = await userStream(a, userId);
      expect(stream.map((event) => event.version)).toEqual(Array.from({ length: 1 + fulfilled.length }, (_, i) => i + 1));
      // Every successful reply owns its own version: nobody overwrote anybody.
      expect(new Set(fulfilled.map((reply) => reply.profile.version)).size).toBe(fulfilled.length);
      for (const reply of fulfilled) expect(stream[reply.profile.version - 1]!.name).toBe(reply.profile.name);
      const last = stream.at(-1)!;
      expect(await profileRow(a, userId)).toMatchObject({ version: last.version, name: last.name });
      // The races did happen: appends were refused for their expected version (each one a rolled-back
      // append; statistics reach pg_stat_database within a second or so).
      await waitUntil(async () => (await rollbacks()) > rollbacksBefore, 'an append refused for its expected version');
    },
    SETUP_TIMEOUT_MS,
  );
});

describe('changeEmail', () => {
  it('moves the user to the new address and frees the old one for someone else', async () => {
    const world = await env.world();
    const [a, b] = [await world.instance('a', { redis: false }), await world.instance('b', { redis: false })];
    const ada = await registered(a, 'Ada');
    const next = newEmail('next');
    const reply = await a.service.changeEmail({ userId: ada.userId, actorId: ada.userId, email: next.toUpperCase(), requestId: newRequestId() });
    expect(reply.profile).toMatchObject({ email: next, version: 2 });
    expect(await profileRow(a, ada.userId)).toMatchObject({ email: next, version: 2 });

    // The old address is free again — for a registration through the other instance, too.
    const eve = await registered(b, 'Eve', ada.email);
    expect(eve.userId).not.toBe(ada.userId);
    await expect(b.service.register({ email: next, password: PASSWORD, name: 'Copycat', requestId: newRequestId() })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });

    // Logging in follows the address.
    expect(await a.service.authenticate({ email: next, password: PASSWORD })).toEqual({ userId: ada.userId });
    expect(await a.service.authenticate({ email: ada.email, password: PASSWORD })).toEqual({ userId: eve.userId });
  });

  it('refuses an address in use, a stranger, and reserves nothing when it refuses', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const [ada, eve] = [await registered(a, 'Ada'), await registered(a, 'Eve')];
    await expect(a.service.changeEmail({ userId: ada.userId, actorId: ada.userId, email: eve.email, requestId: newRequestId() })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
    const wanted = newEmail('wanted');
    await expect(a.service.changeEmail({ userId: ada.userId, actorId: eve.userId, email: wanted, requestId: newRequestId() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The stranger's attempt did not reserve `wanted`: it can still be registered.
    await registered(a, 'Wanted', wanted);
    expect(await profileRow(a, ada.userId)).toMatchObject({ email: ada.email, version: 1 });
  });

  it('is a no-op for the current address, and a retried change releases the old address exactly once', async () => {
    const world = await env.world();
    const a = await world.instance('a', { redis: false });
    const ada = await registered(a, 'Ada');
    expect((await a.service.changeEmail({ userId: ada.userId, actorId: ada.userId, email: ada.email, requestId: newRequestId() })).profile.version).toBe(1);

    const next = newEmail('next');
    const request = { userId: ada.userId, actorId: ada.userId, email: next, requestId: newRequestId() };
    // The change commits, then the process "dies" before releasing the old address (the next write).
    let writes = 0;
    a.router.beforeWrite = () => {
      // reserve → user stream → release: the third write of this request is the release.
      if (++writes === 3) throw new Error('process crashed');
    };
    await expect(a.service.changeEmail(request)).rejects.toThrow('process crashed');
    a.router.beforeWrite = undefined;
    await expect(a.service.register({ email: ada.email, password: PASSWORD, name: 'Too early', requestId: newRequestId() })).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
    });
    // The retry finds its EmailChanged by its key and finishes the release.
    expect((await a.service.changeEmail(request)).profile).toMatchObject({ email: next, version: 2 });
    await registered(a, 'Eve', ada.email);
    expect((await userStream(a, ada.userId)).map((event) => event.type)).toEqual(['UserRegistered', 'EmailChanged']);
  });
});
