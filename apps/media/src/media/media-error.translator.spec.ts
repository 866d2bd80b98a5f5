import { describe, expect, it } from '@jest/globals';
import { ShardUnavailableError } from '#libs/shard-router';
import { MediaAlreadyExistsError, MediaContentInvalidError, MediaForbiddenError, MediaNotFoundError, ThumbnailPendingError } from '../domain/media.errors.js';
import { translateMediaError } from './media-error.translator.js';

const MEDIA = '3c4d5e6f-7a8b-8c9d-8e0f-1a2b3c4d5e6f';

describe('translateMediaError', () => {
  it.each([
    [new MediaNotFoundError(MEDIA), 'NOT_FOUND'],
    [new ThumbnailPendingError(MEDIA), 'NOT_FOUND'],
    [new MediaForbiddenError(MEDIA, 'eve'), 'FORBIDDEN'],
    [new MediaAlreadyExistsError(MEDIA), 'CONFLICT'],
    [new MediaContentInvalidError('contentType', 'the content is image/png, not image/gif'), 'VALIDATION_FAILED'],
  ])('answers %p with %s', (error, code) => {
    expect(translateMediaError(error)?.code).toBe(code);
  });

  it('names the offending field of invalid content', () => {
    expect(translateMediaError(new MediaContentInvalidError('dataBase64', 'the content is empty'))).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'the content is empty',
      fields: [{ field: 'dataBase64', message: 'the content is empty' }],
    });
  });

  it('says UNAVAILABLE when the shard cannot be reached, and leaves unknown errors to be INTERNAL', () => {
    expect(translateMediaError(new ShardUnavailableError(0, 'write', 3, 10_000, { cause: new Error('down') }))?.code).toBe('UNAVAILABLE');
    expect(translateMediaError(new Error('connection string postgres://secret'))).toBeUndefined();
  });

  it('never shows the media id or another user in a message', () => {
    for (const error of [new MediaNotFoundError(MEDIA), new MediaForbiddenError(MEDIA, 'eve')]) {
      expect(translateMediaError(error)!.message).not.toMatch(new RegExp(`${MEDIA}|eve`));
    }
  });
});
