import type { MediaItemRow, ShardSnapshot, StoreSnapshot, StoredEvent, UserProfileRow } from '../store-snapshot.js';

/**
 * Builders for synthetic store snapshots in the checkers' tests. Positions follow the event store's
 * encoding (transaction id × 2^16 + n), so `tx` decides which events count as one append.
 */

interface EventOptions {
  /** The appending transaction; events with the same tx (on one stream) are one append. */
  readonly tx: number;
  /** Place within the transaction; default 1. */
  readonly n?: number;
  readonly key?: string;
  readonly requestId?: string;
}

export function storedEvent(streamId: string, version: number, type: string, data: Record<string, unknown>, { tx, n = 1, key, requestId }: EventOptions): StoredEvent {
  return {
    streamId,
    version,
    position: (BigInt(tx) * 65_536n + BigInt(n)).toString(),
    type,
    data,
    eventId: `${streamId}#${version}@${tx}.${n}`,
    ...(key !== undefined && { idempotencyKey: key }),
    ...(requestId !== undefined && { correlationId: requestId }),
  };
}

export const registered = (userId: string, name: string, options: EventOptions & { version?: number }): StoredEvent =>
  storedEvent(
    `user-${userId}`,
    options.version ?? 1,
    'UserRegistered',
    { userId, email: `${userId}@example.org`, name, passwordHash: 'scrypt$secret', registeredAt: '2025-01-01T00:00:00.000Z' },
    { key: `user.register:${userId}:user`, ...options },
  );

export const renamed = (userId: string, name: string, version: number, options: EventOptions): StoredEvent =>
  storedEvent(`user-${userId}`, version, 'ProfileUpdated', { userId, name, updatedAt: '2025-01-01T00:00:01.000Z' }, options);

/** An upload's append: MediaUploaded and ThumbnailRequested, one transaction. */
export const uploaded = (mediaId: string, ownerId: string, options: EventOptions): StoredEvent[] => [
  storedEvent(`media-${mediaId}`, 1, 'MediaUploaded', { mediaId, ownerId, contentType: 'image/png', size: 3, sha256: `sha-${mediaId}`, uploadedAt: '2025-01-01T00:00:02.000Z' }, { key: `media.upload:${mediaId}`, ...options, n: 1 }),
  storedEvent(`media-${mediaId}`, 2, 'ThumbnailRequested', { mediaId, ownerId, width: 256, requestedAt: '2025-01-01T00:00:02.000Z' }, { key: `media.upload:${mediaId}`, ...options, n: 2 }),
];

export const profileRow = (userId: string, name: string, version: number): UserProfileRow => ({ userId, email: `${userId}@example.org`, name, version });

export const mediaRow = (mediaId: string, ownerId: string, version: number): MediaItemRow => ({ mediaId, ownerId, sha256: `sha-${mediaId}`, version, deleted: false });

export const shardOf = (shard: number, events: readonly StoredEvent[], userProfiles: readonly UserProfileRow[], mediaItems?: readonly MediaItemRow[]): ShardSnapshot => ({
  shard,
  events,
  userProfiles,
  ...(mediaItems && { mediaItems }),
});

export const snapshotOf = (...shards: ShardSnapshot[]): StoreSnapshot => ({ shards, writeWindows: [] });
