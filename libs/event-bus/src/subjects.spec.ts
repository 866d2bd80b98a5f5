import { describe, expect, it } from '@jest/globals';
import { eventMessageId, eventSubject, eventSubjectFilter, streamCategoryOf, subjectToken } from './subjects.js';

describe('subjects', () => {
  it('takes the stream category from the stream id prefix before the first dash', () => {
    expect(streamCategoryOf('user-42')).toBe('user');
    expect(streamCategoryOf('email-3f2a-b')).toBe('email');
    expect(streamCategoryOf('media-0c1d')).toBe('media');
    expect(streamCategoryOf('orders')).toBe('orders');
    expect(streamCategoryOf('-x')).toBe('');
  });

  it('builds events.<shard>.<category>.<type>', () => {
    expect(eventSubject(0, 'user-42', 'UserRegistered')).toBe('events.0.user.UserRegistered');
    expect(eventSubject(3, 'media-9', 'ThumbnailGenerated', 'ev_t1')).toBe('ev_t1.3.media.ThumbnailGenerated');
  });

  it('never lets a stream id or type break the subject: dots, wildcards and spaces become _', () => {
    expect(subjectToken('a.b*c>d e')).toBe('a_b_c_d_e');
    expect(subjectToken('')).toBe('_');
    expect(eventSubject(1, 'weird.cat-1', 'Some.Type')).toBe('events.1.weird_cat.Some_Type');
    expect(eventSubject(1, '-1', 'T')).toBe('events.1._.T');
  });

  it('builds filters with * for what is left out', () => {
    expect(eventSubjectFilter()).toBe('events.>');
    expect(eventSubjectFilter({ category: 'user', type: 'UserRegistered' })).toBe('events.*.user.UserRegistered');
    expect(eventSubjectFilter({ shard: 2 })).toBe('events.2.*.*');
    expect(eventSubjectFilter({ prefix: 'ev', category: 'media' })).toBe('ev.*.media.*');
  });

  it('derives the dedup id from shard and position, exactly (positions exceed 2^53)', () => {
    expect(eventMessageId(0, 4_829_371_904_001n)).toBe('0:4829371904001');
    expect(eventMessageId(7, 2n ** 62n + 1n)).toBe('7:4611686018427387905');
  });
});
