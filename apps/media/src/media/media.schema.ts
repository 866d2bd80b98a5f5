import type { DataSource } from 'typeorm';

/**
 * The media service's own tables on each shard, next to the event store's. Every statement can run again.
 *
 * - `media_items`: the read model, one row per item, the `media-<id>` stream folded (see media-items.projection.ts).
 * - `media_content`: the bytes, one row per (item, variant), written in the transaction that appends the
 *   event describing them — so they are exactly as durable as the events: committed on the owner's
 *   shard's primary and, with synchronous replication, on its standby before anyone hears "uploaded".
 */

export const MEDIA_ITEMS_TABLE = 'media_items';
export const MEDIA_CONTENT_TABLE = 'media_content';

const CREATE_MEDIA_ITEMS = `
CREATE TABLE IF NOT EXISTS ${MEDIA_ITEMS_TABLE} (
  media_id                uuid        NOT NULL,
  owner_id                uuid        NOT NULL,
  content_type            text        NOT NULL,
  size                    integer     NOT NULL,
  sha256                  text        NOT NULL,
  filename                text,
  uploaded_at             timestamptz NOT NULL,
  -- 'pending' from the upload on (it requests one), 'ready' once the worker attached it.
  thumbnail_status        text        NOT NULL,
  thumbnail_width         integer,
  thumbnail_height        integer,
  thumbnail_size          integer,
  thumbnail_content_type  text,
  thumbnail_sha256        text,
  deleted_at              timestamptz,
  -- The media stream's version this row reflects: writes only ever move it forward.
  version                 integer     NOT NULL,
  CONSTRAINT media_items_pkey PRIMARY KEY (media_id),
  CONSTRAINT media_items_version_positive CHECK (version > 0),
  CONSTRAINT media_items_thumbnail_status CHECK (thumbnail_status IN ('pending', 'ready'))
)`;

const CREATE_MEDIA_ITEMS_BY_OWNER = `CREATE INDEX IF NOT EXISTS media_items_owner_idx ON ${MEDIA_ITEMS_TABLE} (owner_id, uploaded_at)`;

const CREATE_MEDIA_CONTENT = `
CREATE TABLE IF NOT EXISTS ${MEDIA_CONTENT_TABLE} (
  media_id      uuid        NOT NULL,
  variant       text        NOT NULL,
  content_type  text        NOT NULL,
  size          integer     NOT NULL,
  sha256        text        NOT NULL,
  data          bytea       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT media_content_pkey PRIMARY KEY (media_id, variant),
  CONSTRAINT media_content_variant CHECK (variant IN ('original', 'thumbnail')),
  CONSTRAINT media_content_size CHECK (size = octet_length(data))
)`;

// Images are compressed already: store them out of line without TOAST's (futile) compression attempt.
const MEDIA_CONTENT_STORAGE = `ALTER TABLE ${MEDIA_CONTENT_TABLE} ALTER COLUMN data SET STORAGE EXTERNAL`;

const SCHEMA_LOCK_KEY = 'faultline:media-service:schema';

/**
 * Creates the tables if missing. Serialized by an advisory lock like ensureEventStoreSchema: concurrent
 * CREATE TABLE IF NOT EXISTS from several instances can otherwise collide on the catalogs.
 */
export async function ensureMediaSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of [CREATE_MEDIA_ITEMS, CREATE_MEDIA_ITEMS_BY_OWNER, CREATE_MEDIA_CONTENT, MEDIA_CONTENT_STORAGE]) await manager.query(statement);
  });
}
