import { describe, expect, it } from '@jest/globals';
import type { AfterQueryEvent, EntitySubscriberInterface } from 'typeorm';
import type { RegisterUserReply } from '#libs/contracts';
import { emailReservationStreamId, userStreamId } from '../../../apps/user/src/domain/stream-ids.js';
import { userIdFor } from '../../../apps/user/src/domain/user-id.js';
import { settle } from '../event-store/support/concurrency.js';
import { newEmail, newRequestId, SETUP_TIMEOUT_MS, useUserTestEnv, type TestInstance } from './support/user-test-env.js';

const env = useUserTestEnv('user_registration');

const PASSWORD = 'correct horse battery';

/** The events of a stream, as types, read on the shard the instance's router names. */
async function streamTypes(instance: TestInstance, shardKey: string, streamId: string): Promise<string[]> {
  const shard = instance.router.shardFor(shardKey);
  const rows = (await instance.shards[shard]!.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [streamId])) as { type: string }[];
  return rows.map((row) => row.type);
}

const reservationTypes = (instance: TestInstance, email: string) => streamTypes(instance, `email:${email}`, emailReservationStreamId(email));
const userTypes = (instance: TestInstance, userId: string) => streamTypes(instance, userId, userStreamId(userId));

/** user_profiles rows with this address, on every shard. */
async function profilesWithEmail(instance: TestInstance, email: string): Promise<string[]> {
  const ids: string[] = [];
  for (const shard of instance.shards) {
    const rows = (await shard.query('SELECT user_id FROM user_profiles WHERE email = $1', [email])) as { user_id: string }[];
    ids.push(...rows.map((row) => row.user_id));
  }
  return ids;
}

describe('registration', () => {
  it('registers a user whose profile can then be read, with a write token of the user shard', async () => {
    const { service, router } = await (await env.world()).instance('a', { redis: false });
    const email = newEmail('ada');
    const { userId, write } = await service.register({ email: ` ${email.toUpperCase()} `, password: PASSWORD, name: 'Ada', requestId: newRequestId() });
    expect(write).toEqual({ shard: router.shardFor(userId), lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
    const { profile } = await service.getProfile({ userId, after: write });
    expect(profile).toMatchObject({ id: userId, email, name: 'Ada', version: 1 });
  });

  it('is idempotent: the same request id again, in sequence or concurrently, gives the same user and appends nothing more', async () => {
    const world = await env.world();
    const [a, b] = [await world.instance('a', { redis: false }), await world.instance('b', { redis: false })];
    const email = newEmail('retry');
    const requestId = newRequestId();
    const request = { email, password: PASSWORD, name: 'Retry', requestId };
    const first = await a.service.register(request);
    const again = await b.service.register(request);
    const racing = await Promise.all([a.service.register(request), b.service.register(request), a.service.register(request)]);
    for (const reply of [again, ...racing]) expect(reply.userId).toBe(first.userId);
    expect(await userTypes(a, first.userId)).toEqual(['UserRegistered']);
    expect(await reservationTypes(a, email)).toEqual(['EmailReserved']);
    expect(await profilesWithEmail(a, email)).toEqual([first.userId]);
  });

  it(
    'lets exactly one of 20 concurrent registrations of one address win, across two instances and two shards',
    async () => {
      const world = await env.world();
      const gateways = [await world.instance('gw1', { redis: false }), await world.instance('gw2', { redis: false })];
      const email = newEmail('contested');
      const requestIds = Array.from({ length: 20 }, (_, n) => newRequestId(`c${n}`));
      const attempts = requestIds.map((requestId, n) => gateways[n % 2]!.service.register({ email, password: PASSWORD, name: `Contender ${n}`, requestId }));
      const { fulfilled, rejected } = await settle(attempts);
      expect(fulfilled).toHaveLength(1);
      expect(rejected).toHaveLength(19);
      for (const error of rejected) expect(error).toMatchObject({ code: 'EMAIL_TAKEN', message: 'this email address is already in use' });
      const winner = fulfilled[0]!.userId;
      expect(await reservationTypes(gateways[0]!, email)).toEqual(['EmailReserved']);
      expect(await profilesWithEmail(gateways[0]!, email)).toEqual([winner]);
      // The contenders' user streams would have been on both shards: one reservation stream decided for all.
      const userShards = new Set(requestIds.map((requestId) => gateways[0]!.router.shardFor(userIdFor(requestId, email))));
      expect(userShards).toEqual(new Set([0, 1]));
    },
    SETUP_TIMEOUT_MS,
  );

  it('lets a rival that commits in the middle of a contender reading the reservation stream win alone', async () => {
    const world = await env.world();
    const [contender, rival] = [await world.instance('contender', { redis: false }), await world.instance('rival', { redis: false })];
    const email = newEmail('torn');
    const streamId = emailReservationStreamId(email);
    // Right after the contender's first statement that reads the reservation stream, and before anything it
    // does next, the rival registers the address (TypeORM awaits the hook before the statement returns). A
    // read made of two statements (events, then the head) would see the stream empty, then at version 1 —
    // and the contender would reserve at version 1 as well: two owners. Deterministic, unlike the 20-way race.
    let rivalReply: Promise<RegisterUserReply> | undefined;
    const commitRivalAfterFirstRead: EntitySubscriberInterface = {
      async afterQuery({ query, parameters, success }: AfterQueryEvent) {
        const readsStream = success && Array.isArray(parameters) && parameters.includes(streamId) && !query.includes('faultline_append_events');
        if (rivalReply || !readsStream) return;
        rivalReply = rival.service.register({ email, password: PASSWORD, name: 'Rival', requestId: newRequestId('rival') });
        await rivalReply.catch(() => undefined);
      },
    };
    contender.shards[contender.router.shardFor(`email:${email}`)]!.subscribers.push(commitRivalAfterFirstRead);

    const contended = contender.service.register({ email, password: PASSWORD, name: 'Contender', requestId: newRequestId('contender') });
    await expect(contended).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(rivalReply).toBeDefined();
    const { userId } = await rivalReply!;
    expect(await reservationTypes(contender, email)).toEqual(['EmailReserved']);
    expect(await profilesWithEmail(contender, email)).toEqual([userId]);
  });

  describe('a registration that crashed between reserving the address and starting its user stream', () => {
    const T0 = Date.parse('2026-03-01T12:00:00.000Z');
    const GRACE_MS = 60_000;
    const at = (ms: number) => () => new Date(T0 + ms);

    it('holds the address during the grace period, then loses it to a later registration, and can never complete', async () => {
      const world = await env.world();
      const options = { redis: false as const, reservationGracePeriodMs: GRACE_MS };
      const crashing = await world.instance('crashing', { ...options, clock: at(0) });
      const email = newEmail('orphan');
      const crashedRequest = { email, password: PASSWORD, name: 'Crashed', requestId: newRequestId('crashed') };
      // The reservation is the first write; the process "dies" before the second (the user stream).
      crashing.router.beforeWrite = (_shard, index) => {
        if (index === 2) throw new Error('process crashed');
      };
      await expect(crashing.service.register(crashedRequest)).rejects.toThrow('process crashed');
      crashing.router.beforeWrite = undefined;
      expect(await reservationTypes(crashing, email)).toEqual(['EmailReserved']);

      const early = await world.instance('early', { ...options, clock: at(GRACE_MS - 1_000) });
      await expect(early.service.register({ email, password: PASSWORD, name: 'Early', requestId: newRequestId() })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });

      const late = await world.instance('late', { ...options, clock: at(GRACE_MS + 1_000) });
      const { userId } = await late.service.register({ email, password: PASSWORD, name: 'Late', requestId: newRequestId() });
      expect(await reservationTypes(late, email)).toEqual(['EmailReserved', 'EmailReleased', 'EmailReserved']);

      // The crashed registration comes back (same request id, so the same user id): its stream was closed.
      await expect(crashing.service.register(crashedRequest)).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(await profilesWithEmail(late, email)).toEqual([userId]);
      expect(await late.service.authenticate({ email, password: PASSWORD })).toEqual({ userId });
    });

    it('never takes over an address whose holder registered, however old the reservation', async () => {
      const world = await env.world();
      const first = await world.instance('first', { redis: false, clock: at(0), reservationGracePeriodMs: GRACE_MS });
      const email = newEmail('kept');
      const { userId } = await first.service.register({ email, password: PASSWORD, name: 'Owner', requestId: newRequestId() });
      const muchLater = await world.instance('later', { redis: false, clock: at(GRACE_MS * 100), reservationGracePeriodMs: GRACE_MS });
      await expect(muchLater.service.register({ email, password: PASSWORD, name: 'Squatter', requestId: newRequestId() })).rejects.toMatchObject({
        code: 'EMAIL_TAKEN',
      });
      expect(await reservationTypes(first, email)).toEqual(['EmailReserved']);
      expect(await userTypes(first, userId)).toEqual(['UserRegistered']);
    });
  });
});

describe('authentication', () => {
  it('accepts the right password and refuses a wrong one or an unknown address with one and the same error', async () => {
    const { service } = await (await env.world()).instance('a', { redis: false });
    const email = newEmail('login');
    const { userId } = await service.register({ email, password: PASSWORD, name: 'Login', requestId: newRequestId() });
    expect(await service.authenticate({ email: email.toUpperCase(), password: PASSWORD })).toEqual({ userId });
    const wrong = await service.authenticate({ email, password: 'not the password' }).catch((error: unknown) => error);
    const unknown = await service.authenticate({ email: newEmail('nobody'), password: PASSWORD }).catch((error: unknown) => error);
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(unknown).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((wrong as Error).message).toBe((unknown as Error).message);
  });
});
