import { describe, expect, it } from '@jest/globals';
import { QUEUES, THUMBNAIL_WIDTH } from '#libs/contracts';
import { isMalformedEventError, jobForEvent } from './job-events.js';

const userId = '0b7e3c1a-9f7e-4c1e-8d5a-2f3b4c5d6e7f';
const mediaId = '7d1f0a9e-3b2c-4d5e-8f60-718293a4b5c6';

describe('jobForEvent', () => {
  it('makes a thumbnail job of MediaUploaded, its id derived from the media id', () => {
    expect(jobForEvent({ type: 'MediaUploaded', data: { mediaId: mediaId.toUpperCase(), ownerId: userId, contentType: 'image/png', size: 1 } })).toEqual({
      queue: QUEUES.thumbnails,
      name: 'thumbnail',
      jobId: `thumbnail-${mediaId}`,
      data: { mediaId, ownerId: userId, width: THUMBNAIL_WIDTH },
    });
  });

  it('makes a welcome job of UserRegistered, its id derived from the user id, without the password hash', () => {
    expect(jobForEvent({ type: 'UserRegistered', data: { userId, email: 'ada@example.org', name: 'Ada', passwordHash: 'scrypt$…' } })).toEqual({
      queue: QUEUES.welcome,
      name: 'welcome',
      jobId: `welcome-${userId}`,
      data: { userId, email: 'ada@example.org', name: 'Ada' },
    });
  });

  it('makes no job of other events', () => {
    expect(jobForEvent({ type: 'ProfileUpdated', data: { userId } })).toBeUndefined();
    expect(jobForEvent({ type: 'MediaDeleted', data: { mediaId } })).toBeUndefined();
  });

  it('refuses a job-causing event whose data is malformed, naming the fields', () => {
    let error: unknown;
    try {
      jobForEvent({ type: 'MediaUploaded', data: { mediaId: 'nope' } });
    } catch (caught) {
      error = caught;
    }
    expect(isMalformedEventError(error)).toBe(true);
    expect(error).toMatchObject({ eventType: 'MediaUploaded', issues: ['mediaId: must be a UUID', expect.stringMatching(/^ownerId: /)] });
  });
});
