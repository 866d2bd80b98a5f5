import type { DataSource } from 'typeorm';

/**
 * The user service's own tables on each shard, next to the event store's: the `user_profiles` read model
 * and the checkpoints of projections that are rebuilt from the log. Every statement can run again.
 */

export const USER_PROFILES_TABLE = 'user_profiles';
export const PROJECTION_CHECKPOINTS_TABLE = 'projection_checkpoints';

const CREATE_USER_PROFILES = `
CREATE TABLE IF NOT EXISTS ${USER_PROFILES_TABLE} (
  user_id        uuid        NOT NULL,
  email          text        NOT NULL,
  name           text        NOT NULL,
  -- Authentication reads the row, not the stream: the hash is part of the read model, never of a reply.
  password_hash  text        NOT NULL,
  -- The user stream's version this row reflects: writes only ever move it forward.
  version        integer     NOT NULL,
  registered_at  timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CONSTRAINT user_profiles_pkey PRIMARY KEY (user_id),
  CONSTRAINT user_profiles_version_positive CHECK (version > 0)
)`;

const CREATE_PROJECTION_CHECKPOINTS = `
CREATE TABLE IF NOT EXISTS ${PROJECTION_CHECKPOINTS_TABLE} (
  name        text        NOT NULL,
  -- The log position (events.position) the projection has applied everything up to.
  position    bigint      NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name)
)`;

const SCHEMA_LOCK_KEY = 'faultline:user-service:schema';

/**
 * Creates the tables if missing. Serialized by an advisory lock like ensureEventStoreSchema: concurrent
 * CREATE TABLE IF NOT EXISTS from several instances can otherwise collide on the catalogs.
 */
export async function ensureUserSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of [CREATE_USER_PROFILES, CREATE_PROJECTION_CHECKPOINTS]) await manager.query(statement);
  });
}
