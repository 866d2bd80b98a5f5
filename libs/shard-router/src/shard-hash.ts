import * as crypto from 'node:crypto';

/** SHA-256 in one call where Node has `crypto.hash` (≥ 20.12): no Hash object per key (one per request). */
const sha256: (key: string) => Buffer =
  typeof crypto.hash === 'function' ? (key) => crypto.hash('sha256', key, 'buffer') : (key) => crypto.createHash('sha256').update(key, 'utf8').digest();

const UINT64_MASK = 0xffff_ffff_ffff_ffffn;
/** The 64-bit linear congruential generator's multiplier from Lamping & Veach's paper. */
const JUMP_MULTIPLIER = 2862933555777941757n;
const TWO_POW_31 = 2 ** 31;

/**
 * The 64-bit key the router hashes: the first 8 bytes of SHA-256(UTF-8(key)), read as an unsigned
 * big-endian integer. Every language has both pieces, so any other service can reproduce it.
 */
export function keyHash64(key: string): bigint {
  return sha256(key).readBigUInt64BE(0);
}

/**
 * Jump Consistent Hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014),
 * exactly as the paper's C++: a bucket in [0, buckets). Growing from n to n + 1 buckets moves only the
 * keys that land in the new bucket (≈ 1/(n + 1) of them), and never moves keys between old buckets.
 *
 * ```c
 * int32_t JumpConsistentHash(uint64_t key, int32_t num_buckets) {
 *   int64_t b = -1, j = 0;
 *   while (j < num_buckets) {
 *     b = j;
 *     key = key * 2862933555777941757ULL + 1;
 *     j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
 *   }
 *   return b;
 * }
 * ```
 * The double arithmetic is the same in JavaScript: `(key >> 33) + 1` is below 2^31 and so exact.
 */
export function jumpConsistentHash(key: bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > 0x7fff_ffff) {
    throw new RangeError(`jumpConsistentHash: buckets must be an integer in [1, 2^31 - 1], got ${buckets}`);
  }
  if (key < 0n || key > UINT64_MASK) throw new RangeError('jumpConsistentHash: key must be an unsigned 64-bit integer');
  let k = key;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * JUMP_MULTIPLIER + 1n) & UINT64_MASK;
    j = Math.floor((b + 1) * (TWO_POW_31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/**
 * The shard that owns `key`: `sortedShardIds[jumpConsistentHash(keyHash64(key), sortedShardIds.length)]`.
 * The ids must be sorted ascending (the bucket is an index into them).
 */
export function shardForKey(key: string, sortedShardIds: readonly number[]): number {
  if (typeof key !== 'string') throw new TypeError('shardFor: the key must be a string');
  if (sortedShardIds.length === 0) throw new RangeError('shardFor: there are no shards');
  return sortedShardIds[jumpConsistentHash(keyHash64(key), sortedShardIds.length)]!;
}
