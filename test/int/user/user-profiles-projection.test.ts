import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { catchUpUserProfiles, rebuildUserProfiles } from '../../../apps/user/src/users/user-profiles.rebuild.js';
import { newEmail, newRequestId, useUserTestEnv, type TestInstance } from './support/user-test-env.js';

const env = useUserTestEnv('user_projection');

const PASSWORD = 'correct horse battery';

const rowsOf = (shard: DataSource) =>
  shard.query(
    `SELECT user_id, email, name, password_hash, version, registered_at, updated_at FROM user_profiles ORDER BY user_id`,
  ) as Promise<Record<string, unknown>[]>;

const checkpointOf = async (shard: DataSource): Promise<string | undefined> =>
  ((await shard.query(`SELECT position::text AS position FROM projection_checkpoints WHERE name = 'user_profiles'`)) as { position: string }[])[0]?.position;

const headOf = async (shard: DataSource): Promise<string> =>
  ((await shard.query('SELECT COALESCE(max(position), 0)::text AS head FROM events')) as { head: string }[])[0]!.head;

/** Users on both shards with renames, address changes, and an abandoned registration taken over. */
async function history(a: TestInstance): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < 8; n++) {
    const { userId } = await a.service.register({ email: newEmail(`u${n}`), password: PASSWORD, name: `User ${n}`, requestId: newRequestId() });
    ids.push(userId);
    if (n % 2 === 0) await a.service.updateProfile({ userId, actorId: userId, name: `User ${n} renamed`, requestId: newRequestId() });
    if (n % 3 === 0) await a.service.changeEmail({ userId, actorId: userId, email: newEmail(`moved${n}`), requestId: newRequestId() });
  }
  return ids;
}

describe('user_profiles projection', () => {
  it('rebuilds from the log into exactly the rows the writes left, and checkpoints the end of the log', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const ids = await history(a);
    expect(new Set(ids.map((id) => a.router.shardFor(id)))).toEqual(new Set([0, 1]));

    for (const shard of a.shards) {
      const before = await rowsOf(shard);
      expect(before.length).toBeGreaterThan(0);
      // Something to repair: a row that drifted from the log, and one that is missing.
      await shard.query(`UPDATE user_profiles SET name = 'drifted' WHERE user_id = $1`, [before[0]!.user_id]);
      await shard.query(`DELETE FROM user_profiles WHERE user_id = $1`, [before.at(-1)!.user_id]);

      const result = await rebuildUserProfiles(shard, { batchSize: 3 });
      expect(await rowsOf(shard)).toEqual(before);
      // Every event was replayed (a user whose events span batches is written once per batch).
      const events = ((await shard.query('SELECT count(*)::int AS n FROM events')) as { n: number }[])[0]!.n;
      expect(result.events).toBe(events);
      expect(result.rows).toBeGreaterThanOrEqual(before.length);
      expect(result.position.toString()).toBe(await headOf(shard));
      expect(await checkpointOf(shard)).toBe(await headOf(shard));
    }
  });

  it('catches up from its checkpoint: only what came after it is replayed, and replaying what a write saved changes nothing', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const [first] = await history(a);
    const shard = a.shards[a.router.shardFor(first!)]!;
    await rebuildUserProfiles(shard);
    const checkpoint = await checkpointOf(shard);

    // Written (and saved) after the rebuild; then the row of one of them is lost, as in a crash after the append.
    const ids: string[] = [];
    while (!ids.some((id) => a.router.shardFor(id) === a.router.shardFor(first!))) {
      ids.push((await a.service.register({ email: newEmail('late'), password: PASSWORD, name: 'Late', requestId: newRequestId() })).userId);
    }
    const lost = ids.find((id) => a.router.shardFor(id) === a.router.shardFor(first!))!;
    const expected = await rowsOf(shard);
    await shard.query('DELETE FROM user_profiles WHERE user_id = $1', [lost]);

    const result = await catchUpUserProfiles(shard);
    expect(result.rows).toBe(1);
    expect(await rowsOf(shard)).toEqual(expected);
    expect(BigInt((await checkpointOf(shard))!)).toBeGreaterThan(BigInt(checkpoint!));
    // Nothing new: nothing replayed.
    expect(await catchUpUserProfiles(shard)).toMatchObject({ events: 0, rows: 0 });
  });

  it('heals a row lost between the append and its save when the command is retried', async () => {
    const a = await (await env.world()).instance('a', { redis: false });
    const request = { email: newEmail('heal'), password: PASSWORD, name: 'Heal', requestId: newRequestId() };
    const { userId } = await a.service.register(request);
    const shard = a.shards[a.router.shardFor(userId)]!;
    await shard.query('DELETE FROM user_profiles WHERE user_id = $1', [userId]);
    await expect(a.service.getProfile({ userId })).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect((await a.service.register(request)).userId).toBe(userId);
    expect((await a.service.getProfile({ userId })).profile).toMatchObject({ id: userId, version: 1 });
  });
});
