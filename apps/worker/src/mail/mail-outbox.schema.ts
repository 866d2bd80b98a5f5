import type { DataSource } from 'typeorm';

/**
 * The mail sink: a table on every shard where the worker "sends" mail. Nothing reads it but people and
 * tests — the lab never talks to a mail server. `message_id` is the job id, so a message is written once
 * however often its job runs.
 */
export const MAIL_OUTBOX_TABLE = 'mail_outbox';

const CREATE_MAIL_OUTBOX = `
CREATE TABLE IF NOT EXISTS ${MAIL_OUTBOX_TABLE} (
  message_id  text        NOT NULL,
  user_id     uuid        NOT NULL,
  to_address  text        NOT NULL,
  subject     text        NOT NULL,
  body        text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mail_outbox_pkey PRIMARY KEY (message_id)
)`;

const CREATE_USER_INDEX = `CREATE INDEX IF NOT EXISTS mail_outbox_user_id_idx ON ${MAIL_OUTBOX_TABLE} (user_id)`;

const SCHEMA_LOCK_KEY = 'faultline:worker:schema';

/** Creates the table if missing; serialized by an advisory lock (concurrent CREATE … IF NOT EXISTS can collide on the catalogs). */
export async function ensureMailOutboxSchema(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
    for (const statement of [CREATE_MAIL_OUTBOX, CREATE_USER_INDEX]) await manager.query(statement);
  });
}
