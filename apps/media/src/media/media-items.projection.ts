import type { MediaInfo } from '#libs/contracts';
import type { Media, MediaState } from '../domain/media.decider.js';
import { MEDIA_ITEMS_TABLE } from './media.schema.js';
import type { SqlRunner } from './sql-runner.js';

/**
 * The `media_items` read model: one row per item, holding its stream folded (by the domain's own
 * `evolve`) and the version it reflects. Saved inline, in the transaction of every append, and only ever
 * moved forward (`WHERE version < EXCLUDED.version`): saving the same or an older state again — a retry,
 * a replay — changes nothing.
 */

/** A row as readers see it: the item's info (at the version the row reflects), and whether it was deleted. */
export interface MediaRecord {
  readonly info: MediaInfo;
  readonly deletedAt?: string;
}

interface MediaRow {
  media_id: string;
  owner_id: string;
  content_type: string;
  size: number;
  sha256: string;
  filename: string | null;
  uploaded_at: Date;
  thumbnail_status: 'pending' | 'ready';
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  thumbnail_size: number | null;
  thumbnail_content_type: string | null;
  thumbnail_sha256: string | null;
  deleted_at: Date | null;
  version: number;
}

const COLUMNS = [
  'media_id',
  'owner_id',
  'content_type',
  'size',
  'sha256',
  'filename',
  'uploaded_at',
  'thumbnail_status',
  'thumbnail_width',
  'thumbnail_height',
  'thumbnail_size',
  'thumbnail_content_type',
  'thumbnail_sha256',
  'deleted_at',
  'version',
] as const;

/** What `GET /v1/media/:id/info` shows of an item at a version. */
export function mediaInfoOf(media: Media, version: number): MediaInfo {
  const { thumbnail } = media;
  return {
    id: media.id,
    ownerId: media.ownerId,
    contentType: media.contentType,
    size: media.size,
    sha256: media.sha256,
    ...(media.filename !== undefined && { filename: media.filename }),
    uploadedAt: media.uploadedAt,
    thumbnail:
      thumbnail?.status === 'ready'
        ? { status: 'ready', width: thumbnail.width, height: thumbnail.height, size: thumbnail.size, contentType: thumbnail.contentType }
        : { status: 'pending', ...(thumbnail && { width: thumbnail.width }) },
    version,
  };
}

function recordOf(row: MediaRow): MediaRecord {
  const thumbnail: MediaInfo['thumbnail'] =
    row.thumbnail_status === 'ready'
      ? { status: 'ready', width: row.thumbnail_width!, height: row.thumbnail_height!, size: row.thumbnail_size!, contentType: row.thumbnail_content_type! }
      : { status: 'pending', ...(row.thumbnail_width !== null && { width: row.thumbnail_width }) };
  return {
    info: {
      id: row.media_id,
      ownerId: row.owner_id,
      contentType: row.content_type,
      size: row.size,
      sha256: row.sha256,
      ...(row.filename !== null && { filename: row.filename }),
      uploadedAt: row.uploaded_at.toISOString(),
      thumbnail,
      version: row.version,
    },
    ...(row.deleted_at && { deletedAt: row.deleted_at.toISOString() }),
  };
}

/** Writes the item as of `version`, unless the row already reflects that version or a later one. */
export async function saveMediaItem(sql: SqlRunner, state: Exclude<MediaState, { status: 'none' }>, version: number): Promise<void> {
  const { media } = state;
  const ready = media.thumbnail?.status === 'ready' ? media.thumbnail : undefined;
  const values = [
    media.id,
    media.ownerId,
    media.contentType,
    media.size,
    media.sha256,
    media.filename ?? null,
    media.uploadedAt,
    ready ? 'ready' : 'pending',
    media.thumbnail?.width ?? null,
    ready?.height ?? null,
    ready?.size ?? null,
    ready?.contentType ?? null,
    ready?.sha256 ?? null,
    state.status === 'deleted' ? state.deletedAt : null,
    version,
  ];
  const updates = COLUMNS.filter((column) => column !== 'media_id').map((column) => `${column} = EXCLUDED.${column}`);
  await sql.query(
    `INSERT INTO ${MEDIA_ITEMS_TABLE} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (media_id) DO UPDATE SET ${updates.join(', ')}
     WHERE ${MEDIA_ITEMS_TABLE}.version < EXCLUDED.version`,
    values,
  );
}

/** The row of an item, deleted or not, or undefined when there is none (yet, on this node). */
export async function findMediaItem(sql: SqlRunner, mediaId: string): Promise<MediaRecord | undefined> {
  const rows = (await sql.query(`SELECT ${COLUMNS.join(', ')} FROM ${MEDIA_ITEMS_TABLE} WHERE media_id = $1`, [mediaId])) as MediaRow[];
  return rows[0] && recordOf(rows[0]);
}
