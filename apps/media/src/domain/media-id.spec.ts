import { describe, expect, it } from '@jest/globals';
import { mediaIdField } from '#libs/contracts';
import { jumpConsistentHash, keyHash64, shardForKey } from '#libs/shard-router';
import { mediaIdCandidate, mediaIdFor, mediaStreamId } from './media-id.js';

const OWNER = '0f8a4c62-3b1d-8e2f-9a10-5c6d7e8f9a0b';
const OTHER = '7d3e2b1a-0c9f-8e8d-b7c6-a5b4c3d2e1f0';
const shardsOf = (n: number) => (key: string) => shardForKey(key, Array.from({ length: n }, (_, i) => i));

describe('mediaIdFor', () => {
  it('given the same owner and request id, then the same id (a retried upload finds its item)', () => {
    const shardOf = shardsOf(4);
    expect(mediaIdFor(OWNER, 'req-1', shardOf)).toBe(mediaIdFor(OWNER, 'req-1', shardOf));
    expect(mediaIdFor(OWNER.toUpperCase(), 'req-1', shardOf)).toBe(mediaIdFor(OWNER, 'req-1', shardOf));
  });

  it('given another request id or another owner, then another id (clients choosing the same key do not collide)', () => {
    const shardOf = shardsOf(4);
    const id = mediaIdFor(OWNER, 'req-1', shardOf);
    expect(mediaIdFor(OWNER, 'req-2', shardOf)).not.toBe(id);
    expect(mediaIdFor(OTHER, 'req-1', shardOf)).not.toBe(id);
  });

  it.each([1, 2, 3, 8])('places every id on its owner\'s shard, with %i shard(s)', (shards) => {
    const shardOf = shardsOf(shards);
    for (let n = 0; n < 200; n++) {
      const owner = mediaIdCandidate(`owner-${n}`, 'seed', 0); // any UUID will do as an owner
      expect(shardOf(mediaIdFor(owner, `req-${n}`, shardOf))).toBe(shardOf(owner));
    }
  });

  it('takes the first candidate on the owner\'s shard, so the scheme can be reproduced anywhere', () => {
    const shardOf = shardsOf(8);
    const target = shardOf(OWNER);
    const first = Array.from({ length: 100 }, (_, attempt) => mediaIdCandidate(OWNER, 'req-1', attempt)).findIndex((id) => shardOf(id) === target);
    expect(mediaIdFor(OWNER, 'req-1', shardOf)).toBe(mediaIdCandidate(OWNER, 'req-1', first));
    // With one shard, the first candidate always fits.
    expect(mediaIdFor(OWNER, 'req-1', shardsOf(1))).toBe(mediaIdCandidate(OWNER, 'req-1', 0));
  });

  it('uses the router\'s hash on the id as written (the same key a reader gives shardFor)', () => {
    const id = mediaIdFor(OWNER, 'req-1', shardsOf(3));
    expect(shardsOf(3)(id)).toBe(jumpConsistentHash(keyHash64(id), 3));
  });

  it('is a version 8 RFC 9562 UUID that the contracts accept, and names its stream', () => {
    const id = mediaIdFor(OWNER, 'req-1', shardsOf(2));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(mediaIdField.parse(id)).toBe(id);
    expect(mediaStreamId(id)).toBe(`media-${id}`);
  });

  it('gives up, loudly, when no candidate fits (a router that never places anything on the owner\'s shard)', () => {
    expect(() => mediaIdFor(OWNER, 'req-1', (key) => (key === OWNER ? 0 : 1))).toThrow(/no media id on shard 0/);
  });
});
