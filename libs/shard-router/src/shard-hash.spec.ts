import { describe, expect, it } from '@jest/globals';
import { jumpConsistentHash, keyHash64, shardForKey } from './shard-hash.js';

/**
 * Expected values computed independently of this code: the jump vectors by the paper's C++ compiled
 * with g++ (the first five are also the published vectors of dgryski/go-jump and of other ports); the
 * key vectors by Python (hashlib.sha256, struct '>Q', and jump hash with Python ints and floats).
 */
describe('jumpConsistentHash', () => {
  it.each([
    [1n, 1, 0],
    [42n, 57, 43],
    [0xdead10ccn, 1, 0],
    [0xdead10ccn, 666, 361],
    [256n, 1024, 520],
    [10863919174838991n, 11, 6],
    [2016238256797177309n, 11, 3],
    [0n, 1, 0],
    [0xffff_ffff_ffff_ffffn, 1_000_000, 589430],
    [0xe3b0c44298fc1c14n, 100, 22],
    [0xff8d9819fc0e12bfn, 16, 14],
  ])('key %p into %p buckets is bucket %p', (key, buckets, bucket) => {
    expect(jumpConsistentHash(key, buckets)).toBe(bucket);
  });

  it('rejects bucket counts and keys out of range', () => {
    expect(() => jumpConsistentHash(1n, 0)).toThrow(RangeError);
    expect(() => jumpConsistentHash(1n, 1.5)).toThrow(RangeError);
    expect(() => jumpConsistentHash(-1n, 4)).toThrow(RangeError);
    expect(() => jumpConsistentHash(1n << 64n, 4)).toThrow(RangeError);
  });
});

describe('keyHash64 and shardForKey', () => {
  const vectors: [string, bigint, number[]][] = [
    ['', 0xe3b0c44298fc1c14n, [0, 1, 2, 2, 2, 5, 5, 22]],
    ['a', 0xca978112ca1bbdcan, [0, 1, 1, 1, 1, 1, 1, 50]],
    ['user-1', 0xc6c289e49e9c05b2n, [0, 0, 2, 2, 2, 2, 2, 61]],
    ['0b7c2a4e-6d3f-4c1a-9a2e-3f5d7b9c1e20', 0xde9ded78dfaff820n, [0, 0, 0, 3, 4, 5, 5, 78]],
    ['alice@example.com', 0xff8d9819fc0e12bfn, [0, 1, 1, 1, 4, 4, 14, 14]],
    ['é', 0x4a99557e4033c353n, [0, 1, 1, 1, 1, 5, 5, 75]],
    ['日本語', 0x77710aedc74ecfa3n, [0, 0, 2, 2, 2, 5, 5, 5]],
    ['shard-key-42', 0x772dec4368d3f893n, [0, 1, 2, 3, 3, 7, 7, 7]],
  ];
  const bucketCounts = [1, 2, 3, 4, 5, 8, 16, 100];

  it.each(vectors)('%p hashes to %p', (key, hash, buckets) => {
    expect(keyHash64(key)).toBe(hash);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(bucketCounts.map((n) => shardForKey(key, ids(n)))).toEqual(buckets);
  });

  it('maps the bucket to the sorted shard ids (an index into them, not an id)', () => {
    // 'shard-key-42' is bucket 3 of 4.
    expect(shardForKey('shard-key-42', [10, 20, 30, 40])).toBe(40);
    expect(shardForKey('alice@example.com', [10, 20, 30, 40])).toBe(20);
  });

  it('hashes UTF-8: a composed and a decomposed é are different keys', () => {
    expect(keyHash64('\u00e9')).not.toBe(keyHash64('e\u0301'));
  });

  it('rejects a non-string key and an empty shard list', () => {
    expect(() => shardForKey(42 as unknown as string, [0])).toThrow(TypeError);
    expect(() => shardForKey('x', [])).toThrow(RangeError);
  });
});

describe('distribution and stability', () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
  const hashes = keys.map(keyHash64);

  it('spreads keys evenly: every one of 4 shards gets 25 % ± 1.5 %', () => {
    const counts = [0, 0, 0, 0];
    for (const h of hashes) counts[jumpConsistentHash(h, 4)]!++;
    for (const c of counts) expect(Math.abs(c / keys.length - 0.25)).toBeLessThan(0.015);
  });

  it.each([1, 2, 3, 4, 7, 15])('growing from %p shards moves ≈ 1/(n+1) of the keys, all of them to the new shard', (n) => {
    let moved = 0;
    let movedElsewhere = 0;
    for (const h of hashes) {
      const after = jumpConsistentHash(h, n + 1);
      if (jumpConsistentHash(h, n) !== after) {
        moved++;
        if (after !== n) movedElsewhere++;
      }
    }
    expect(movedElsewhere).toBe(0);
    expect(Math.abs(moved / keys.length - 1 / (n + 1))).toBeLessThan(0.015);
  });

  it('is stable: the same key always lands on the same shard', () => {
    for (const key of keys.slice(0, 100)) expect(shardForKey(key, [0, 1, 2])).toBe(shardForKey(key, [0, 1, 2]));
  });
});
