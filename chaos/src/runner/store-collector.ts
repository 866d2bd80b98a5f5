import type { MailRow, MediaItemRow, ShardSnapshot, StoredEvent, UserProfileRow } from '../checkers/store-snapshot.js';
import { queryNode } from './node-query.js';

const SNAPSHOT_TIMEOUT_MS = 30_000;

const EVENTS_SQL = `select stream_id, version, position::text as position, type, data, event_id::text as event_id,
       metadata->>'idempotencyKey' as idempotency_key, metadata->>'correlationId' as correlation_id
  from events order by position`;
const PROFILES_SQL = 'select user_id::text as user_id, email, name, version from user_profiles';
const MAIL_SQL = 'select message_id, user_id::text as user_id, to_address from mail_outbox';
const MEDIA_SQL = 'select media_id::text as media_id, owner_id::text as owner_id, sha256, version, deleted_at is not null as deleted from media_items';

/** Postgres "relation does not exist": a table a service creates on first use, not there yet on this shard. */
const isMissingTable = (error: unknown): boolean => (error as { code?: unknown }).code === '42P01';

async function rowsOrNone<Row extends Record<string, unknown>>(address: string, sql: string): Promise<Row[] | undefined> {
  try {
    return await queryNode<Row>(address, sql, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

/**
 * One shard's state for the checkers, read on its primary (after heal and the quiet period): every event, the
 * `user_profiles` rows, the worker's mail sink (`mail_outbox`) and, when `withMedia`, the `media_items` rows. A
 * table the services have not created yet reads as empty (events, profiles, mail: the worker creates its sink
 * with the first mail to the shard) or as not captured (media: the checkers then say "unchecked").
 */
export async function collectShard(shard: number, node: string, address: string, withMedia: boolean): Promise<ShardSnapshot> {
  type EventRow = { stream_id: string; version: number; position: string; type: string; data: Record<string, unknown>; event_id: string; idempotency_key: string | null; correlation_id: string | null };
  const events = ((await rowsOrNone<EventRow>(address, EVENTS_SQL)) ?? []).map(
    (r): StoredEvent => ({
      streamId: r.stream_id,
      version: r.version,
      position: r.position,
      type: r.type,
      data: r.data,
      eventId: r.event_id,
      ...(r.idempotency_key !== null && { idempotencyKey: r.idempotency_key }),
      ...(r.correlation_id !== null && { correlationId: r.correlation_id }),
    }),
  );
  type ProfileRow = { user_id: string; email: string; name: string; version: number };
  const userProfiles = ((await rowsOrNone<ProfileRow>(address, PROFILES_SQL)) ?? []).map((r): UserProfileRow => ({ userId: r.user_id, email: r.email, name: r.name, version: r.version }));
  type OutboxRow = { message_id: string; user_id: string; to_address: string };
  const mailOutbox = ((await rowsOrNone<OutboxRow>(address, MAIL_SQL)) ?? []).map((r): MailRow => ({ messageId: r.message_id, userId: r.user_id, to: r.to_address }));
  let mediaItems: MediaItemRow[] | undefined;
  if (withMedia) {
    type MediaRow = { media_id: string; owner_id: string; sha256: string; version: number; deleted: boolean };
    mediaItems = (await rowsOrNone<MediaRow>(address, MEDIA_SQL))?.map((r) => ({ mediaId: r.media_id, ownerId: r.owner_id, sha256: r.sha256, version: r.version, deleted: r.deleted }));
  }
  return { shard, node, events, userProfiles, mailOutbox, ...(mediaItems && { mediaItems }) };
}
