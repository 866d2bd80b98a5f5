import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadAppConfig } from '#libs/config';
import { startHttpApp } from '#libs/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import sharp from 'sharp';
import { JobEnqueuer } from '../../../apps/worker/src/jobs/job-enqueuer.js';
import { createWorkerApp } from '../../../apps/worker/src/worker.app.js';
import { startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { appEnv } from '../apps/support/app-under-test.js';
import { waitFor } from '../apps/support/services.js';
import { SETUP_TIMEOUT_MS } from './support/jobs-test-env.js';
import { MediaStandIn } from './support/media-stand-in.js';

// The worker app as main.ts builds it (Nest module, queues, workers, shard router, NATS client, /jobs,
// /metrics), against throwaway Redis, NATS and Postgres, fed events through JobEnqueuer.

let redis: RedisServer;
let nats: NatsServer;
let server: PostgresServer | undefined;
const shards: FreshDatabase[] = [];
let media: MediaStandIn;
let app: NestFastifyApplication;
let url: string;
let original: Buffer;

beforeAll(async () => {
  const external = process.env.FAULTLINE_TEST_POSTGRES_URL;
  [redis, nats, server] = await Promise.all([startRedisServer(), startNatsServer(), external ? undefined : startPostgresServer()]);
  for (let shard = 0; shard < 2; shard++) shards.push(await withFreshDatabase({ url: external ?? server!.url }, `jobs_app_s${shard}`));
  original = await sharp({ create: { width: 800, height: 400, channels: 3, background: { r: 10, g: 120, b: 200 } } }).jpeg().toBuffer();
  media = await MediaStandIn.start(nats.url, (request) =>
    request.mediaId.endsWith('0000')
      ? { ok: true, value: { contentType: 'image/jpeg', size: 3, etag: '"x"', dataBase64: Buffer.from('???').toString('base64') } }
      : { ok: true, value: { contentType: 'image/jpeg', size: original.length, etag: '"x"', dataBase64: original.toString('base64') } },
  );
  const config = loadAppConfig(appEnv('worker', { redis: redis.url, nats: nats.url, shards: shards.map((database) => [database.url]) }), 'worker');
  app = await createWorkerApp(config, { retry: { attempts: 2, backoffMs: 50, jitter: 0 } });
  url = await startHttpApp(app, config.http);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await app?.close();
  await media?.stop();
  await Promise.allSettled(shards.map((database) => database.drop()));
  await Promise.allSettled([redis?.stop(), nats?.stop(), server?.stop()]);
}, SETUP_TIMEOUT_MS);

async function mailCount(userId: string): Promise<number> {
  let count = 0;
  for (const database of shards) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const present = (await client.query(`SELECT to_regclass('mail_outbox') IS NOT NULL AS present`)).rows[0].present as boolean;
      if (present) count += Number((await client.query('SELECT count(*) AS n FROM mail_outbox WHERE user_id = $1', [userId])).rows[0].n);
    } finally {
      await client.end();
    }
  }
  return count;
}

const json = async <T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: (await response.json()) as T };
};

describe('the worker app', () => {
  it('turns UserRegistered into one welcome mail and MediaUploaded into one attached thumbnail', async () => {
    const enqueuer = app.get(JobEnqueuer);
    const userId = randomUUID();
    const mediaId = randomUUID();
    const event = { type: 'UserRegistered', data: { userId, email: 'lin@example.org', name: 'Lin', passwordHash: 'x', registeredAt: new Date().toISOString() } };

    await enqueuer.onEvent(event);
    await enqueuer.onEvent(event);
    await enqueuer.onEvent({ type: 'MediaUploaded', data: { mediaId, ownerId: userId, contentType: 'image/jpeg', size: 1, sha256: 'x', uploadedAt: new Date().toISOString() } });

    await waitFor('the welcome mail in the sink', async () => (await mailCount(userId)) > 0, 20_000);
    await media.attachesReceived(1);
    expect(media.attaches[0]).toMatchObject({ mediaId, width: 160, height: 80, requestId: `thumbnail-${mediaId}` });
    // The completions are recorded just after the effects.
    await waitFor('both jobs completed', async () => {
      const { body } = await json<{ queues: { name: string; depth: Record<string, number> }[] }>('/jobs');
      return body.queues.every((queue) => Object.values(queue.depth).every((n) => n === 0));
    });
    expect(await mailCount(userId)).toBe(1);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    const labels = 'app="worker",instance="dc-t.worker-1",dc="dc-t"';
    expect(metrics).toContain(`faultline_jobs_completed_total{queue="welcome-mail",${labels}} 1`);
    expect(metrics).toContain(`faultline_jobs_completed_total{queue="thumbnails",${labels}} 1`);
    expect(metrics).toContain(`faultline_job_queue_depth{queue="thumbnails",state="waiting",${labels}} 0`);
    expect(metrics).toMatch(/^faultline_job_latency_seconds_count\{[^}]*queue="welcome-mail"[^}]*\} 1$/m);
  }, 60_000);

  it('shows a dead letter with its error on GET /jobs/dead-letters and in GET /jobs', async () => {
    const mediaId = `${randomUUID().slice(0, 32)}0000`;
    await app.get(JobEnqueuer).enqueueForEvent({ type: 'MediaUploaded', data: { mediaId, ownerId: randomUUID() } });

    await waitFor('the dead letter', async () => (await json<{ deadLetters: unknown[] }>('/jobs/dead-letters?queue=thumbnails')).body.deadLetters.length > 0, 20_000);
    const { status, body } = await json<{ deadLetters: { jobId: string; error: string; attemptsMade: number }[] }>('/jobs/dead-letters');
    expect(status).toBe(200);
    expect(body.deadLetters).toEqual([
      expect.objectContaining({ jobId: `thumbnail-${mediaId}`, attemptsMade: 1, error: expect.stringContaining('not a readable image') }),
    ]);
    const overview = await json<{ queues: { name: string; depth: Record<string, number> }[] }>('/jobs');
    expect(overview.body.queues).toEqual([
      { name: 'thumbnails', depth: { waiting: 0, active: 0, delayed: 0, failed: 1 } },
      { name: 'welcome-mail', depth: { waiting: 0, active: 0, delayed: 0, failed: 0 } },
    ]);
    expect((await json('/jobs/dead-letters?queue=nope')).status).toBe(404);
    expect((await json(`/jobs/dead-letters/thumbnails/no-such-job/retry`, { method: 'POST' })).status).toBe(404);
    expect((await json(`/jobs/dead-letters/thumbnails/thumbnail-${mediaId}/retry`, { method: 'POST' })).status).toBe(202);
  }, 60_000);
});
