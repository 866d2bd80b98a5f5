import { createHash } from 'node:crypto';

/** Separates these ids from any other SHA-256-derived value (a different purpose gives different ids). */
const NAMESPACE = 'faultline/media-id/v1';

/**
 * How many candidates `mediaIdFor` tries. With N shards each candidate lands on the owner's shard with
 * probability 1/N, so all of them miss with probability (1 - 1/N)^1024: below 10^-55 for the lab's 8
 * shards at most, and still 3.6 · 10^-5 for 100 shards.
 */
export const MAX_MEDIA_ID_CANDIDATES = 1024;

/** `ShardRouter.shardFor`, or anything that places keys the same way. */
export type ShardOf = (key: string) => number;

/** SHA-256 of the inputs as an RFC 9562 version-8 UUID (lower case), like the user service's ids. */
function uuidV8Of(input: string): string {
  const bytes = createHash('sha256').update(input, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx (RFC 9562)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The `attempt`-th candidate id for an upload (attempts count from 0). */
export const mediaIdCandidate = (ownerId: string, requestId: string, attempt: number): string =>
  uuidV8Of(`${NAMESPACE}\0${ownerId.toLowerCase()}\0${requestId}\0${attempt}`);

/**
 * The id of the item an upload creates: the first candidate (attempt 0, 1, 2, …) that the shard router
 * places on the owner's shard, `shardOf(mediaId) === shardOf(ownerId)`.
 *
 * - **Found from the id alone**: the item's stream, its row and its bytes live on `shardOf(mediaId)`; a
 *   reader needs nothing else (no owner, no lookup table).
 * - **On the owner's shard**: the item fails over with its owner's data, and one owner's items share a
 *   shard with the owner's user stream.
 * - **Deterministic**: a retried upload (same owner, same request id) derives the same id, so it lands on
 *   the same stream, where the idempotency key makes it a no-op. The owner is part of the input because
 *   request ids come from clients' `Idempotency-Key`s: two users choosing the same key get two items.
 *
 * The expected number of candidates is the number of shards (each hits with probability 1/N).
 */
export function mediaIdFor(ownerId: string, requestId: string, shardOf: ShardOf): string {
  const target = shardOf(ownerId.toLowerCase());
  for (let attempt = 0; attempt < MAX_MEDIA_ID_CANDIDATES; attempt++) {
    const candidate = mediaIdCandidate(ownerId, requestId, attempt);
    if (shardOf(candidate) === target) return candidate;
  }
  throw new Error(`no media id on shard ${target} among ${MAX_MEDIA_ID_CANDIDATES} candidates (more shards than this scheme was made for?)`);
}

/** The stream of an item; it lives on `shardFor(mediaId)`. Part of the storage format. */
export const mediaStreamId = (mediaId: string): string => `media-${mediaId}`;
