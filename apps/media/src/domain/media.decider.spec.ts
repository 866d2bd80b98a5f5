import { describe, expect, it } from '@jest/globals';
import type { MediaDeleted, MediaEvent, MediaUploaded, ThumbnailGenerated, ThumbnailRequested } from '#libs/contracts';
import { given } from './decider.specification.js';
import { mediaDecider, type MediaCommand } from './media.decider.js';

const MEDIA = '3c4d5e6f-7a8b-8c9d-8e0f-1a2b3c4d5e6f';
const ADA = '00000000-0000-8000-8000-000000000001';
const EVE = '00000000-0000-8000-8000-000000000002';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:05.000Z';
const T2 = '2026-01-01T00:01:00.000Z';
const SHA = 'a'.repeat(64);
const THUMB_SHA = 'b'.repeat(64);

const uploaded: MediaUploaded = {
  type: 'MediaUploaded',
  data: { mediaId: MEDIA, ownerId: ADA, contentType: 'image/png', size: 1234, sha256: SHA, filename: 'cat.png', uploadedAt: T0 },
};
const requested: ThumbnailRequested = { type: 'ThumbnailRequested', data: { mediaId: MEDIA, ownerId: ADA, width: 160, requestedAt: T0 } };
const generated: ThumbnailGenerated = {
  type: 'ThumbnailGenerated',
  data: { mediaId: MEDIA, contentType: 'image/png', size: 99, sha256: THUMB_SHA, width: 160, height: 90, generatedAt: T1 },
};
const deleted: MediaDeleted = { type: 'MediaDeleted', data: { mediaId: MEDIA, ownerId: ADA, deletedAt: T2 } };

const upload = (overrides: Partial<{ ownerId: string; sha256: string; size: number; filename: string }> = {}): MediaCommand => ({
  type: 'UploadMedia',
  data: { mediaId: MEDIA, ownerId: ADA, contentType: 'image/png', size: 1234, sha256: SHA, filename: 'cat.png', thumbnailWidth: 160, now: T0, ...overrides },
});
const attach = (sha256 = THUMB_SHA): MediaCommand => ({
  type: 'AttachThumbnail',
  data: { mediaId: MEDIA, contentType: 'image/png', size: 99, sha256, width: 160, height: 90, now: T1 },
});
const remove = (actorId = ADA): MediaCommand => ({ type: 'DeleteMedia', data: { mediaId: MEDIA, actorId, now: T2 } });

const item = (past: readonly MediaEvent[]) => given(mediaDecider, past);

describe('media decider', () => {
  describe('UploadMedia', () => {
    it('given no events, when uploading, then MediaUploaded and ThumbnailRequested, in one decision', async () => {
      expect(await item([]).when(upload())).toEqual({ events: [uploaded, requested] });
    });

    it('given the same upload already recorded, when uploading it again, then nothing happens', async () => {
      expect(await item([uploaded, requested]).when(upload({ filename: 'renamed.png' }))).toEqual({ events: [] });
    });

    it('given an item with other content or another owner, when uploading, then MEDIA_ALREADY_EXISTS', async () => {
      expect(await item([uploaded, requested]).when(upload({ sha256: 'c'.repeat(64) }))).toEqual({ error: expect.objectContaining({ code: 'MEDIA_ALREADY_EXISTS' }) });
      expect(await item([uploaded, requested]).when(upload({ ownerId: EVE }))).toEqual({ error: expect.objectContaining({ code: 'MEDIA_ALREADY_EXISTS' }) });
    });

    it('given a deleted item, when the same upload comes back, then nothing happens (it stays deleted)', async () => {
      expect(await item([uploaded, requested, deleted]).when(upload())).toEqual({ events: [] });
    });
  });

  describe('AttachThumbnail', () => {
    it('given a pending thumbnail, when the worker attaches one, then ThumbnailGenerated', async () => {
      expect(await item([uploaded, requested]).when(attach())).toEqual({ events: [generated] });
    });

    it('given a ready thumbnail, when attaching again (a retried job, even with other bytes), then nothing happens', async () => {
      expect(await item([uploaded, requested, generated]).when(attach())).toEqual({ events: [] });
      expect(await item([uploaded, requested, generated]).when(attach('d'.repeat(64)))).toEqual({ events: [] });
    });

    it('given no item or a deleted one, when attaching, then MEDIA_NOT_FOUND', async () => {
      expect(await item([]).when(attach())).toEqual({ error: expect.objectContaining({ code: 'MEDIA_NOT_FOUND' }) });
      expect(await item([uploaded, requested, deleted]).when(attach())).toEqual({ error: expect.objectContaining({ code: 'MEDIA_NOT_FOUND' }) });
    });
  });

  describe('DeleteMedia', () => {
    it('given an item, when its owner deletes it, then MediaDeleted', async () => {
      expect(await item([uploaded, requested, generated]).when(remove())).toEqual({ events: [deleted] });
    });

    it('given a deleted item, when its owner deletes it again, then nothing happens', async () => {
      expect(await item([uploaded, requested, deleted]).when(remove())).toEqual({ events: [] });
    });

    it('given an item, when someone else deletes it, then MEDIA_FORBIDDEN; given none, MEDIA_NOT_FOUND', async () => {
      expect(await item([uploaded, requested]).when(remove(EVE))).toEqual({ error: expect.objectContaining({ code: 'MEDIA_FORBIDDEN', actorId: EVE }) });
      expect(await item([]).when(remove())).toEqual({ error: expect.objectContaining({ code: 'MEDIA_NOT_FOUND' }) });
    });
  });

  it('folds the whole life of an item', () => {
    const fold = (events: readonly MediaEvent[]) => events.reduce(mediaDecider.evolve, mediaDecider.initialState());
    const media = { id: MEDIA, ownerId: ADA, contentType: 'image/png', size: 1234, sha256: SHA, filename: 'cat.png', uploadedAt: T0 };
    expect(fold([uploaded, requested])).toEqual({ status: 'uploaded', media: { ...media, thumbnail: { status: 'pending', width: 160, requestedAt: T0 } } });
    const ready = { status: 'ready', contentType: 'image/png', size: 99, sha256: THUMB_SHA, width: 160, height: 90, generatedAt: T1 };
    expect(fold([uploaded, requested, generated])).toEqual({ status: 'uploaded', media: { ...media, thumbnail: ready } });
    expect(fold([uploaded, requested, generated, deleted])).toEqual({ status: 'deleted', media: { ...media, thumbnail: ready }, deletedAt: T2 });
  });
});
