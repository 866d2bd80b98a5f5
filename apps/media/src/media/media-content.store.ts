import type { MediaVariant } from '#libs/contracts';
import { MEDIA_CONTENT_TABLE } from './media.schema.js';
import type { SqlRunner } from './sql-runner.js';

/** One variant of an item's content, as stored: the facts the events carry, and the bytes. */
export interface StoredContent {
  readonly mediaId: string;
  readonly variant: MediaVariant;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly data: Buffer;
}

/**
 * Stores a variant's bytes. Called in the transaction that appends the event describing them, right after
 * the append; a variant is written once (the first one stays: `ON CONFLICT DO NOTHING`).
 */
export async function insertContent(sql: SqlRunner, content: StoredContent): Promise<void> {
  await sql.query(
    `INSERT INTO ${MEDIA_CONTENT_TABLE} (media_id, variant, content_type, size, sha256, data) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (media_id, variant) DO NOTHING`,
    [content.mediaId, content.variant, content.contentType, content.size, content.sha256, content.data],
  );
}

export async function findContent(sql: SqlRunner, mediaId: string, variant: MediaVariant): Promise<StoredContent | undefined> {
  const rows = (await sql.query(`SELECT content_type, size, sha256, data FROM ${MEDIA_CONTENT_TABLE} WHERE media_id = $1 AND variant = $2`, [
    mediaId,
    variant,
  ])) as { content_type: string; size: number; sha256: string; data: Buffer }[];
  const row = rows[0];
  return row && { mediaId, variant, contentType: row.content_type, size: row.size, sha256: row.sha256, data: row.data };
}

/** Removes every variant of an item (in the transaction that appends MediaDeleted). */
export async function deleteContent(sql: SqlRunner, mediaId: string): Promise<void> {
  await sql.query(`DELETE FROM ${MEDIA_CONTENT_TABLE} WHERE media_id = $1`, [mediaId]);
}
