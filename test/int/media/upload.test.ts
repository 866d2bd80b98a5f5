import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MAX_MEDIA_BYTES, type UploadMediaRequest } from '#libs/contracts';
import { mediaStreamId } from '../../../apps/media/src/domain/media-id.js';
import { settle } from '../event-store/support/concurrency.js';
import { newOwnerId, newRequestId, pngOf, SETUP_TIMEOUT_MS, useMediaTestEnv, type TestInstance } from './support/media-test-env.js';

const env = useMediaTestEnv('media_upload');

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const uploadOf = (ownerId: string, data: Buffer, requestId = newRequestId()): UploadMediaRequest => ({
  ownerId,
  contentType: 'image/png',
  filename: 'pixel.png',
  dataBase64: data.toString('base64'),
  requestId,
});

/** What a shard holds of an item: its events, its content rows, its `media_items` row. */
async function storedOn(instance: TestInstance, shard: number, mediaId: string) {
  const db = instance.shards[shard]!;
  const events = (await db.query('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [mediaStreamId(mediaId)])) as { type: string }[];
  const content = (await db.query('SELECT variant, content_type, size, sha256, data FROM media_content WHERE media_id = $1 ORDER BY variant', [
    mediaId,
  ])) as { variant: string; content_type: string; size: number; sha256: string; data: Buffer }[];
  const items = (await db.query('SELECT thumbnail_status, version, deleted_at FROM media_items WHERE media_id = $1', [mediaId])) as {
    thumbnail_status: string;
    version: number;
    deleted_at: Date | null;
  }[];
  return { events: events.map((e) => e.type), content, items };
}

describe('upload', () => {
  it('stores the events, the bytes and the media_items row on the owner\'s shard, and answers the item with a write token', async () => {
    const { service, router, shards } = await (await env.world()).instance('a');
    const ownerId = newOwnerId();
    const data = await pngOf(4, 3);
    const { media, write } = await service.upload(uploadOf(ownerId, data));

    const shard = router.shardFor(ownerId);
    expect(router.shardFor(media.id)).toBe(shard);
    expect(write).toEqual({ shard, lsn: expect.stringMatching(/^[0-9A-F]+\/[0-9A-F]+$/) });
    expect(media).toEqual({
      id: media.id,
      ownerId,
      contentType: 'image/png',
      size: data.length,
      sha256: sha256(data),
      filename: 'pixel.png',
      uploadedAt: expect.any(String),
      thumbnail: { status: 'pending', width: 160 },
      version: 2,
    });
    const stored = await storedOn({ service, router, shards }, shard, media.id);
    expect(stored.events).toEqual(['MediaUploaded', 'ThumbnailRequested']);
    expect(stored.content).toEqual([{ variant: 'original', content_type: 'image/png', size: data.length, sha256: sha256(data), data }]);
    expect(stored.items).toEqual([{ thumbnail_status: 'pending', version: 2, deleted_at: null }]);
    // Nothing on the other shard.
    const other = await storedOn({ service, router, shards }, 1 - shard, media.id);
    expect([other.events, other.content, other.items]).toEqual([[], [], []]);

    const { media: read } = await service.getMedia({ mediaId: media.id });
    expect(read).toEqual(media);
    const content = await service.getContent({ mediaId: media.id, variant: 'original' });
    expect(content).toEqual({ contentType: 'image/png', size: data.length, etag: `"${sha256(data)}"`, dataBase64: data.toString('base64') });
  });

  it('places the items of owners of both shards on their owner\'s shard', async () => {
    const { service, router } = await (await env.world()).instance('a');
    const owners = Array.from({ length: 12 }, () => newOwnerId());
    expect(new Set(owners.map((owner) => router.shardFor(owner)))).toEqual(new Set([0, 1]));
    for (const ownerId of owners) {
      const { media } = await service.upload(uploadOf(ownerId, await pngOf(2, 2)));
      expect(router.shardFor(media.id)).toBe(router.shardFor(ownerId));
    }
  });

  it('is atomic: when storing the bytes fails, no event and no row remain, and the retry then stores everything once', async () => {
    const instance = await (await env.world()).instance('a');
    const { service, router, shards } = instance;
    const ownerId = newOwnerId();
    const shard = router.shardFor(ownerId);
    const db = shards[shard]!;
    // The bytes' insert fails inside the append's transaction, after the events were inserted.
    await db.query(`CREATE FUNCTION refuse_content() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`);
    await db.query('CREATE TRIGGER refuse_content BEFORE INSERT ON media_content FOR EACH ROW EXECUTE FUNCTION refuse_content()');
    const request = uploadOf(ownerId, await pngOf(3, 3));
    const mediaId = service.mediaIdFor(ownerId, request.requestId);

    await expect(service.upload(request)).rejects.toThrow(/disk full \(test\)/);
    expect(await storedOn(instance, shard, mediaId)).toEqual({ events: [], content: [], items: [] });
    const keys = (await db.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [`media.upload:${mediaId}`])) as { n: number }[];
    expect(keys[0]!.n).toBe(0);
    await expect(service.getMedia({ mediaId })).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });

    await db.query('DROP TRIGGER refuse_content ON media_content');
    const { media } = await service.upload(request);
    expect(media.id).toBe(mediaId);
    const stored = await storedOn(instance, shard, mediaId);
    expect([stored.events, stored.content.length, stored.items.length]).toEqual([['MediaUploaded', 'ThumbnailRequested'], 1, 1]);
  });

  it(
    'is idempotent: the same request again, in sequence or concurrently from two instances, gives the same item and stores nothing more',
    async () => {
      const world = await env.world();
      const [a, b] = [await world.instance('a'), await world.instance('b')];
      const ownerId = newOwnerId();
      const request = uploadOf(ownerId, await pngOf(8, 8));
      const first = await a.service.upload(request);
      const again = await b.service.upload(request);
      const racing = await Promise.all([a.service.upload(request), b.service.upload(request), a.service.upload(request)]);
      for (const reply of [again, ...racing]) expect(reply.media).toEqual(first.media);

      // A fresh request id races too: exactly one item per request id, whoever wins.
      const fresh = uploadOf(ownerId, await pngOf(5, 5));
      const { fulfilled } = await settle([a.service.upload(fresh), b.service.upload(fresh), a.service.upload(fresh), b.service.upload(fresh)]);
      expect(new Set(fulfilled.map((reply) => reply.media.id)).size).toBe(1);

      const shard = a.router.shardFor(ownerId);
      for (const mediaId of [first.media.id, fulfilled[0]!.media.id]) {
        const stored = await storedOn(a, shard, mediaId);
        expect([stored.events, stored.content.length, stored.items]).toEqual([
          ['MediaUploaded', 'ThumbnailRequested'],
          1,
          [{ thumbnail_status: 'pending', version: 2, deleted_at: null }],
        ]);
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it('refuses the same request id with other bytes (MEDIA_ALREADY_EXISTS); the first upload stands', async () => {
    const instance = await (await env.world()).instance('a');
    const ownerId = newOwnerId();
    const requestId = newRequestId();
    const original = await pngOf(6, 6, 1);
    const { media } = await instance.service.upload(uploadOf(ownerId, original, requestId));
    await expect(instance.service.upload(uploadOf(ownerId, await pngOf(6, 6, 2), requestId))).rejects.toMatchObject({ code: 'MEDIA_ALREADY_EXISTS' });
    // Another owner with the same request id gets an item of their own.
    const other = await instance.service.upload(uploadOf(newOwnerId(), original, requestId));
    expect(other.media.id).not.toBe(media.id);
    const content = await instance.service.getContent({ mediaId: media.id, variant: 'original' });
    expect(Buffer.from(content.dataBase64, 'base64')).toEqual(original);
  });

  it('refuses content that is not what the message says, or too large (MEDIA_CONTENT_INVALID), and stores nothing', async () => {
    const instance = await (await env.world()).instance('a');
    const ownerId = newOwnerId();
    const png = await pngOf(2, 2);
    const asGif = { ...uploadOf(ownerId, png), contentType: 'image/gif' as const };
    await expect(instance.service.upload(asGif)).rejects.toMatchObject({ code: 'MEDIA_CONTENT_INVALID', field: 'contentType' });
    const script = { ...uploadOf(ownerId, Buffer.from('<script>alert(1)</script>')) };
    await expect(instance.service.upload(script)).rejects.toMatchObject({ code: 'MEDIA_CONTENT_INVALID', field: 'contentType' });
    const huge = Buffer.concat([png, Buffer.alloc(MAX_MEDIA_BYTES)]);
    await expect(instance.service.upload(uploadOf(ownerId, huge))).rejects.toMatchObject({ code: 'MEDIA_CONTENT_INVALID', field: 'dataBase64' });
    const rows = (await instance.shards[instance.router.shardFor(ownerId)]!.query('SELECT count(*)::int AS n FROM media_content')) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
  });

  it('stores an upload of the largest accepted size', async () => {
    const instance = await (await env.world()).instance('a');
    const png = await pngOf(2, 2);
    const largest = Buffer.concat([png, Buffer.alloc(MAX_MEDIA_BYTES - png.length, 7)]);
    const started = Date.now();
    const { media } = await instance.service.upload(uploadOf(newOwnerId(), largest));
    const uploadMs = Date.now() - started;
    const content = await instance.service.getContent({ mediaId: media.id, variant: 'original' });
    expect([media.size, content.size, content.etag]).toEqual([MAX_MEDIA_BYTES, MAX_MEDIA_BYTES, `"${sha256(largest)}"`]);
    console.log(`media upload of ${MAX_MEDIA_BYTES} bytes: ${uploadMs} ms (throwaway Postgres, fsync off)`);
  }, SETUP_TIMEOUT_MS);
});
