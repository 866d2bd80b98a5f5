import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { AttachThumbnailRequest, ServiceReply } from '#libs/contracts';
import { MessageMetrics } from '#libs/messaging';
import pino from 'pino';
import { Registry } from 'prom-client';
import { mediaStreamId } from '../../../apps/media/src/domain/media-id.js';
import { MediaMessagesController } from '../../../apps/media/src/media-messages.controller.js';
import { newOwnerId, newRequestId, pngOf, useMediaTestEnv, type TestInstance } from './support/media-test-env.js';

const env = useMediaTestEnv('media_thumbnail');

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function uploaded(instance: TestInstance, ownerId = newOwnerId()) {
  const data = await pngOf(32, 18);
  const { media } = await instance.service.upload({ ownerId, contentType: 'image/png', dataBase64: data.toString('base64'), requestId: newRequestId() });
  return { media, ownerId, data };
}

const attachOf = (mediaId: string, data: Buffer, requestId = newRequestId()): AttachThumbnailRequest => ({
  mediaId,
  contentType: 'image/png',
  width: 16,
  height: 9,
  dataBase64: data.toString('base64'),
  requestId,
});

async function eventTypes(instance: TestInstance, mediaId: string): Promise<string[]> {
  const rows = (await instance.shards[instance.router.shardFor(mediaId)]!.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [
    mediaStreamId(mediaId),
  ])) as { type: string }[];
  return rows.map((row) => row.type);
}

describe('thumbnail attach (the worker\'s call)', () => {
  it('is THUMBNAIL_PENDING until attached; then the thumbnail is stored with ThumbnailGenerated and the info says ready', async () => {
    const instance = await (await env.world()).instance('a');
    const { media } = await uploaded(instance);
    await expect(instance.service.getContent({ mediaId: media.id, variant: 'thumbnail' })).rejects.toMatchObject({ code: 'THUMBNAIL_PENDING' });

    const thumbnail = await pngOf(16, 9);
    const reply = await instance.service.attachThumbnail(attachOf(media.id, thumbnail));
    expect(reply.media.thumbnail).toEqual({ status: 'ready', width: 16, height: 9, size: thumbnail.length, contentType: 'image/png' });
    expect(reply.media.version).toBe(3);
    expect(reply.write.shard).toBe(instance.router.shardFor(media.id));
    expect(await eventTypes(instance, media.id)).toEqual(['MediaUploaded', 'ThumbnailRequested', 'ThumbnailGenerated']);
    expect((await instance.service.getMedia({ mediaId: media.id })).media).toEqual(reply.media);
    expect(await instance.service.getContent({ mediaId: media.id, variant: 'thumbnail' })).toEqual({
      contentType: 'image/png',
      size: thumbnail.length,
      etag: `"${sha256(thumbnail)}"`,
      dataBase64: thumbnail.toString('base64'),
    });
  });

  it('is idempotent: the same request again, another request (a retried job), and concurrent attaches store one thumbnail, the first', async () => {
    const world = await env.world();
    const [a, b] = [await world.instance('a'), await world.instance('b')];
    const { media } = await uploaded(a);
    const first = await pngOf(16, 9, 101);
    const requestId = newRequestId('job');
    const replies = await Promise.all([
      a.service.attachThumbnail(attachOf(media.id, first, requestId)),
      b.service.attachThumbnail(attachOf(media.id, first, requestId)),
    ]);
    const later = await b.service.attachThumbnail(attachOf(media.id, await pngOf(16, 9, 102)));
    for (const reply of [...replies, later]) expect(reply.media.thumbnail).toMatchObject({ status: 'ready', size: first.length });
    expect(await eventTypes(a, media.id)).toEqual(['MediaUploaded', 'ThumbnailRequested', 'ThumbnailGenerated']);
    const content = await a.service.getContent({ mediaId: media.id, variant: 'thumbnail' });
    expect(content.etag).toBe(`"${sha256(first)}"`);
  });

  it('answers MEDIA_NOT_FOUND for an unknown item and starts no stream for it', async () => {
    const instance = await (await env.world()).instance('a');
    const unknown = randomUUID();
    await expect(instance.service.attachThumbnail(attachOf(unknown, await pngOf(16, 9)))).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    expect(await eventTypes(instance, unknown)).toEqual([]);
  });
});

describe('reads', () => {
  it('answers MEDIA_NOT_FOUND for an unknown item, confirming the replica\'s miss on the primary', async () => {
    const instance = await (await env.world()).instance('a');
    const unknown = randomUUID();
    const before = instance.router.calls.length;
    await expect(instance.service.getMedia({ mediaId: unknown })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    expect(instance.router.calls.slice(before).map((call) => call.role)).toEqual(['replica', 'primary']);
    await expect(instance.service.getContent({ mediaId: unknown, variant: 'original' })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    await expect(instance.service.getContent({ mediaId: unknown, variant: 'thumbnail' })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
  });

  it('reads a known item on the replica only', async () => {
    const instance = await (await env.world()).instance('a');
    const { media } = await uploaded(instance);
    const before = instance.router.calls.length;
    await instance.service.getContent({ mediaId: media.id, variant: 'original' });
    expect(instance.router.calls.slice(before).map((call) => call.role)).toEqual(['replica']);
  });
});

describe('delete', () => {
  it('lets only the owner delete; the bytes go with MediaDeleted, reads and attaches then answer MEDIA_NOT_FOUND; again changes nothing', async () => {
    const instance = await (await env.world()).instance('a');
    const { media, ownerId } = await uploaded(instance);
    await expect(instance.service.delete({ mediaId: media.id, actorId: newOwnerId(), requestId: newRequestId() })).rejects.toMatchObject({
      code: 'MEDIA_FORBIDDEN',
    });
    const requestId = newRequestId();
    const reply = await instance.service.delete({ mediaId: media.id, actorId: ownerId, requestId });
    expect(reply).toEqual({ mediaId: media.id, write: { shard: instance.router.shardFor(media.id), lsn: expect.any(String) } });
    await instance.service.delete({ mediaId: media.id, actorId: ownerId, requestId });
    await instance.service.delete({ mediaId: media.id, actorId: ownerId, requestId: newRequestId() });
    expect(await eventTypes(instance, media.id)).toEqual(['MediaUploaded', 'ThumbnailRequested', 'MediaDeleted']);
    const db = instance.shards[instance.router.shardFor(media.id)]!;
    expect(await db.query('SELECT variant FROM media_content WHERE media_id = $1', [media.id])).toEqual([]);
    await expect(instance.service.getMedia({ mediaId: media.id })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    await expect(instance.service.getContent({ mediaId: media.id, variant: 'original' })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    await expect(instance.service.getContent({ mediaId: media.id, variant: 'thumbnail' })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    await expect(instance.service.attachThumbnail(attachOf(media.id, await pngOf(16, 9)))).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
  });
});

describe('the NATS handlers (MediaMessagesController, called as Nest calls it)', () => {
  const controllerOf = (instance: TestInstance) => new MediaMessagesController(instance.service, new MessageMetrics(new Registry()), pino({ level: 'silent' }));

  it('validates at the boundary and answers domain refusals with the contracts\' codes', async () => {
    const instance = await (await env.world()).instance('a');
    const controller = controllerOf(instance);
    const invalid = (await controller.upload({ ownerId: 'nobody', contentType: 'text/html', dataBase64: '%%%', requestId: 'r 1' })) as ServiceReply<unknown>;
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(!invalid.ok && invalid.error.fields!.map((f) => f.field).sort()).toEqual(['contentType', 'dataBase64', 'ownerId', 'requestId']);

    const unknown = await controller.get({ mediaId: randomUUID() });
    expect(unknown).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no such media' } });

    const png = await pngOf(4, 4);
    const lying = await controller.upload({ ownerId: newOwnerId(), contentType: 'image/jpeg', dataBase64: png.toString('base64'), requestId: newRequestId() });
    expect(lying).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', fields: [{ field: 'contentType' }] } });

    const ownerId = newOwnerId();
    const done = (await controller.upload({ ownerId, contentType: 'image/png', dataBase64: png.toString('base64'), requestId: newRequestId() })) as ServiceReply<{
      media: { id: string };
    }>;
    expect(done.ok).toBe(true);
    const mediaId = done.ok ? done.value.media.id : '';
    expect(await controller.content({ mediaId: mediaId.toUpperCase(), variant: 'thumbnail' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'the thumbnail is not ready yet' },
    });
    expect(await controller.delete({ mediaId, actorId: newOwnerId(), requestId: newRequestId() })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await controller.attachThumbnail(attachOf(mediaId, png))).toMatchObject({ ok: true, value: { media: { thumbnail: { status: 'ready' } } } });
  });
});
