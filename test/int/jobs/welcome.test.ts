import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ThumbnailJobData, UserRegistered, WelcomeMailJobData } from '#libs/contracts';
import { JobQueue, JobWorker, type JobContext } from '#libs/jobs';
import { createShardRouter, type ShardRouter } from '#libs/shard-router';
import pg from 'pg';
import { JobEnqueuer } from '../../../apps/worker/src/jobs/job-enqueuer.js';
import { welcomeProcessor, type WelcomeResult } from '../../../apps/worker/src/mail/welcome.processor.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../support/postgres-server.js';
import { jobEvent, jobsTestEnv, SETUP_TIMEOUT_MS } from './support/jobs-test-env.js';

// The welcome job against real Postgres (a throwaway server, one database per shard, the real
// ShardRouter) and a real Redis: the mail sink gets each message exactly once.

const env = jobsTestEnv();
let server: PostgresServer | undefined;
const shards: FreshDatabase[] = [];
let router: ShardRouter;

beforeAll(async () => {
  const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
  if (!external) server = await startPostgresServer();
  for (let shard = 0; shard < 2; shard++) shards.push(await withFreshDatabase({ url: external ?? server!.url }, `jobs_welcome_s${shard}`));
  router = createShardRouter({
    shards: shards.map((database, id) => ({ id, nodes: [{ name: `shard${id}-a`, url: database.url }] })),
    probeIntervalMs: 0,
    applicationName: 'jobs-welcome-test',
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await router?.close();
  await Promise.allSettled(shards.map((database) => database.drop()));
  await server?.stop();
}, SETUP_TIMEOUT_MS);

interface MailRow {
  message_id: string;
  user_id: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: Date;
}

/** The sink's rows for a user, per shard (straight from the databases, not through the router). */
async function mailsOf(userId: string): Promise<MailRow[][]> {
  return Promise.all(
    shards.map(async (database) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const exists = await client.query(`SELECT to_regclass('mail_outbox') IS NOT NULL AS present`);
        if (!exists.rows[0].present) return [];
        return (await client.query<MailRow>('SELECT * FROM mail_outbox WHERE user_id = $1', [userId])).rows;
      } finally {
        await client.end();
      }
    }),
  );
}

const registered = (userId: string, name = 'Ada'): UserRegistered => ({
  type: 'UserRegistered',
  data: { userId, email: `${name.toLowerCase()}-${userId.slice(0, 8)}@example.org`, name, passwordHash: 'scrypt$…', registeredAt: new Date().toISOString() },
});

const context = (userId: string): JobContext<WelcomeMailJobData> => ({
  id: `welcome-${userId}`,
  name: 'welcome',
  queue: 'welcome-mail',
  data: { userId, email: 'grace@example.org', name: 'Grace' },
  attempt: 1,
  maxAttempts: 5,
  enqueuedAt: new Date(),
  signal: new AbortController().signal,
});

describe('welcome mail jobs', () => {
  it("write the mail once, on the user's shard, however often and however concurrently the job runs", async () => {
    const process = welcomeProcessor(router);
    const userId = randomUUID();
    const shard = router.shardFor(userId);

    // The first run creates the sink table on that shard (it did not exist yet) and writes the mail.
    const first = await process(context(userId));
    // The job runs again (its worker died after the INSERT, before acknowledging): nothing more.
    const again = await process(context(userId));
    // And many times at once (a stalled job handed out while its first worker still runs).
    const racing = await Promise.all(Array.from({ length: 5 }, () => process(context(userId))));

    expect(first).toEqual({ messageId: `welcome-${userId}`, shard, written: true });
    expect(again).toEqual({ messageId: `welcome-${userId}`, shard, written: false });
    expect(racing.map((r) => r.written)).toEqual([false, false, false, false, false]);
    const rows = await mailsOf(userId);
    expect(rows[shard]).toHaveLength(1);
    expect(rows[1 - shard]).toHaveLength(0);
    expect(rows[shard]![0]).toMatchObject({ message_id: `welcome-${userId}`, user_id: userId, to_address: 'grace@example.org', subject: 'Welcome to faultline' });
    expect(rows[shard]![0]!.body).toContain('Hello Grace,');
  }, 60_000);

  it('end to end: a UserRegistered event delivered twice becomes one job and one mail', async () => {
    const redisUrl = env.redis().url;
    const welcome = new JobQueue<WelcomeMailJobData>({ name: env.queueName(), redisUrl });
    const thumbnails = new JobQueue<ThumbnailJobData>({ name: env.queueName(), redisUrl });
    const worker = new JobWorker<WelcomeMailJobData, WelcomeResult>({ queue: welcome.name, redisUrl, concurrency: 4, process: welcomeProcessor(router) });
    env.onCleanup(async () => {
      await worker.close({ timeoutMs: 2_000 });
      await Promise.all([welcome.close(), thumbnails.close()]);
    });
    const enqueuer = new JobEnqueuer({ thumbnails, welcome });
    const userId = randomUUID();
    const completed = jobEvent(worker, 'completed', `welcome-${userId}`);

    await Promise.all([enqueuer.onEvent(registered(userId, 'Ada')), enqueuer.onEvent(registered(userId, 'Ada'))]);
    expect(await enqueuer.onEvent({ type: 'ProfileUpdated', data: { userId } })).toEqual({ enqueued: false, reason: 'no job for this event type' });
    const { job } = await completed;

    expect(job.returnvalue).toEqual({ messageId: `welcome-${userId}`, shard: router.shardFor(userId), written: true });
    const rows = (await mailsOf(userId)).flat();
    expect(rows).toEqual([expect.objectContaining({ message_id: `welcome-${userId}`, to_address: `ada-${userId.slice(0, 8)}@example.org` })]);
    expect(rows[0]!.body).toContain('Hello Ada,');
    expect(await welcome.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);

  it('refuse a malformed UserRegistered as a poison event, enqueueing nothing', async () => {
    const redisUrl = env.redis().url;
    const welcome = new JobQueue<WelcomeMailJobData>({ name: env.queueName(), redisUrl });
    const thumbnails = new JobQueue<ThumbnailJobData>({ name: env.queueName(), redisUrl });
    env.onCleanup(() => Promise.all([welcome.close(), thumbnails.close()]));
    const enqueuer = new JobEnqueuer({ thumbnails, welcome });

    const error = await enqueuer.enqueueForEvent({ type: 'UserRegistered', data: { userId: 'not-a-uuid', email: 'a@b.org', name: 'A' } }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'EVENT_MALFORMED', eventType: 'UserRegistered', issues: ['userId: must be a UUID'] });
    expect(await welcome.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);
});
