import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { THUMBNAIL_WIDTH, type MediaUploaded, type ThumbnailJobData, type WelcomeMailJobData } from '#libs/contracts';
import { JobQueue, JobWorker } from '#libs/jobs';
import { ClientNats } from '@nestjs/microservices';
import sharp from 'sharp';
import { JobEnqueuer } from '../../../apps/worker/src/jobs/job-enqueuer.js';
import { MediaClient } from '../../../apps/worker/src/media/media.client.js';
import { thumbnailProcessor, type ThumbnailResult } from '../../../apps/worker/src/thumbnails/thumbnail.processor.js';
import { startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { jobEvent, jobsTestEnv, SETUP_TIMEOUT_MS } from './support/jobs-test-env.js';
import { MediaStandIn } from './support/media-stand-in.js';

// The thumbnail job end to end: a MediaUploaded event → a job on a real Redis → the worker asks a
// stand-in media service on a real (throwaway) nats-server for the original, resizes it with sharp, and
// attaches the thumbnail with the job id as its idempotency key.

const env = jobsTestEnv();
let nats: NatsServer;
let client: ClientNats;
let media: MediaStandIn;

beforeAll(async () => {
  nats = await startNatsServer();
  client = new ClientNats({ servers: [nats.url] });
  await client.connect();
  media = await MediaStandIn.start(nats.url, () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'no such media' } }));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await media?.stop();
  await client?.close();
  await nats?.stop();
}, SETUP_TIMEOUT_MS);

const uploaded = (mediaId: string): MediaUploaded => ({
  type: 'MediaUploaded',
  data: { mediaId, ownerId: randomUUID(), contentType: 'image/jpeg', size: 1, sha256: 'x', uploadedAt: new Date().toISOString() },
});

const image = (width: number, height: number, format: 'jpeg' | 'png'): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 30 } } })
    .toFormat(format)
    .toBuffer();

function pipeline(options: { contentTimeoutMs?: number } = {}) {
  const redisUrl = env.redis().url;
  const thumbnails = new JobQueue<ThumbnailJobData>({ name: env.queueName(), redisUrl, retry: { attempts: 3, backoffMs: 100, jitter: 0 } });
  const welcome = new JobQueue<WelcomeMailJobData>({ name: env.queueName(), redisUrl });
  const mediaClient = new MediaClient(client, { contentTimeoutMs: options.contentTimeoutMs ?? 5_000, attachTimeoutMs: 5_000 });
  const worker = new JobWorker<ThumbnailJobData, ThumbnailResult>({
    queue: thumbnails.name,
    redisUrl,
    concurrency: 2,
    process: thumbnailProcessor(mediaClient),
  });
  env.onCleanup(async () => {
    await worker.close({ timeoutMs: 2_000 });
    await thumbnails.close();
    await welcome.close();
  });
  return { thumbnails, worker, enqueuer: new JobEnqueuer({ thumbnails, welcome }) };
}

describe('thumbnail jobs', () => {
  it('resize the uploaded original with sharp to THUMBNAIL_WIDTH, keeping the aspect ratio, and attach it once', async () => {
    const mediaId = randomUUID();
    const original = await image(640, 480, 'jpeg');
    media.answerContent = (request) =>
      request.mediaId === mediaId ? { ok: true, value: { contentType: 'image/jpeg', size: original.length, etag: '"x"', dataBase64: original.toString('base64') } } : undefined;
    const { enqueuer, worker, thumbnails } = pipeline();
    const jobId = `thumbnail-${mediaId}`;
    const completed = jobEvent(worker, 'completed', jobId);

    // The event delivered twice (a redelivery): one job.
    expect(await enqueuer.enqueueForEvent(uploaded(mediaId))).toEqual({ enqueued: true, queue: thumbnails.name, jobId });
    expect(await enqueuer.enqueueForEvent(uploaded(mediaId))).toEqual({ enqueued: true, queue: thumbnails.name, jobId });
    const { job } = await completed;

    expect(job.returnvalue).toEqual({ mediaId, contentType: 'image/jpeg', width: THUMBNAIL_WIDTH, height: 120, size: expect.any(Number) });
    const attach = media.thumbnails.get(jobId)!;
    expect(attach).toMatchObject({ mediaId, contentType: 'image/jpeg', width: 160, height: 120, requestId: jobId });
    // The attached bytes are a real 160×120 JPEG.
    const meta = await sharp(Buffer.from(attach.dataBase64, 'base64')).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'jpeg', width: 160, height: 120 });
    expect(media.attaches.filter((a) => a.mediaId === mediaId)).toHaveLength(1);
    expect(await thumbnails.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  }, 60_000);

  it('keep PNG as PNG and do not enlarge a small image', async () => {
    const mediaId = randomUUID();
    const original = await image(100, 50, 'png');
    media.answerContent = () => ({ ok: true, value: { contentType: 'image/png', size: original.length, etag: '"x"', dataBase64: original.toString('base64') } });
    const { enqueuer, worker } = pipeline();
    const completed = jobEvent(worker, 'completed', `thumbnail-${mediaId}`);
    await enqueuer.enqueueForEvent(uploaded(mediaId));
    expect((await completed).job.returnvalue).toMatchObject({ contentType: 'image/png', width: 100, height: 50 });
  }, 60_000);

  it('retry after a content request that got no answer within its deadline', async () => {
    const mediaId = randomUUID();
    const original = await image(320, 320, 'jpeg');
    // The first request is swallowed, as by a media instance that died holding it.
    media.answerContent = () =>
      media.contentRequests.filter((r) => r.mediaId === mediaId).length === 1
        ? undefined
        : { ok: true, value: { contentType: 'image/jpeg', size: original.length, etag: '"x"', dataBase64: original.toString('base64') } };
    const { enqueuer, worker } = pipeline({ contentTimeoutMs: 300 });
    const failed = jobEvent(worker, 'failed', `thumbnail-${mediaId}`);
    const completed = jobEvent(worker, 'completed', `thumbnail-${mediaId}`);
    await enqueuer.enqueueForEvent(uploaded(mediaId));

    expect((await failed).error?.message).toBe('media.content.get: no answer within 300 ms');
    expect((await completed).job.returnvalue).toMatchObject({ width: 160, height: 160 });
  }, 60_000);

  it('complete as skipped when the media is gone (deleted after its upload)', async () => {
    const mediaId = randomUUID();
    media.answerContent = () => ({ ok: false, error: { code: 'NOT_FOUND', message: `media ${mediaId} not found` } });
    const { enqueuer, worker } = pipeline();
    const completed = jobEvent(worker, 'completed', `thumbnail-${mediaId}`);
    await enqueuer.enqueueForEvent(uploaded(mediaId));
    expect((await completed).job.returnvalue).toEqual({ mediaId, skipped: 'media not found' });
    expect(media.attaches.filter((a) => a.mediaId === mediaId)).toEqual([]);
  }, 60_000);

  it('dead-letter at once an original that is not an image, and a refused request', async () => {
    const garbled = randomUUID();
    const refused = randomUUID();
    media.answerContent = (request) =>
      request.mediaId === garbled
        ? { ok: true, value: { contentType: 'image/jpeg', size: 4, etag: '"x"', dataBase64: Buffer.from('nope').toString('base64') } }
        : { ok: false, error: { code: 'VALIDATION_FAILED', message: 'invalid media.content.get message' } };
    const { enqueuer, worker, thumbnails } = pipeline();
    const deadGarbled = jobEvent(worker, 'failed', `thumbnail-${garbled}`, { final: true });
    const deadRefused = jobEvent(worker, 'failed', `thumbnail-${refused}`, { final: true });
    await enqueuer.enqueueForEvent(uploaded(garbled));
    await enqueuer.enqueueForEvent(uploaded(refused));
    await Promise.all([deadGarbled, deadRefused]);

    const letters = await thumbnails.listDeadLetters();
    expect(letters.find((l) => l.jobId === `thumbnail-${garbled}`)).toMatchObject({
      attemptsMade: 1,
      error: expect.stringMatching(new RegExp(`^JOB_PERMANENT_FAILURE: media ${garbled}: not a readable image`)),
    });
    expect(letters.find((l) => l.jobId === `thumbnail-${refused}`)).toMatchObject({
      attemptsMade: 1,
      error: 'JOB_PERMANENT_FAILURE: media.content.get: refused: VALIDATION_FAILED: invalid media.content.get message',
    });
  }, 60_000);
});
