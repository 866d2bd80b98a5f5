import { describe, expect, it } from '@jest/globals';
import { ifNoneMatchHits } from './http-cache.js';

const ETAG = '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"';

describe('ifNoneMatchHits', () => {
  it('hits on the same tag, in a list, weak or strong, and on *', () => {
    expect(ifNoneMatchHits(ETAG, ETAG)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${ETAG}`, ETAG)).toBe(true);
    expect(ifNoneMatchHits(`W/${ETAG}`, ETAG)).toBe(true);
    expect(ifNoneMatchHits(['"a"', ETAG], ETAG)).toBe(true);
    expect(ifNoneMatchHits(' * ', ETAG)).toBe(true);
  });

  it('misses without the header or with other tags (an unquoted tag is another tag)', () => {
    expect(ifNoneMatchHits(undefined, ETAG)).toBe(false);
    expect(ifNoneMatchHits('"other"', ETAG)).toBe(false);
    expect(ifNoneMatchHits(ETAG.slice(1, -1), ETAG)).toBe(false);
  });
});
