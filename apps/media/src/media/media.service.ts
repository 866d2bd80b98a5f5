import { createHash } from 'node:crypto';
import {
  MAX_MEDIA_BYTES,
  sniffMediaType,
  THUMBNAIL_WIDTH,
  type AttachThumbnailReply,
  type AttachThumbnailRequest,
  type DeleteMediaReply,
  type DeleteMediaRequest,
  type GetMediaContentRequest,
  type GetMediaReply,
  type GetMediaRequest,
  type MediaContentReply,
  type MediaEvent,
  type UploadMediaReply,
  type UploadMediaRequest,
  type WriteToken,
} from '#libs/contracts';
import {
  ensureEventStoreSchema,
  handleCommand,
  isAppendOrderConflictError,
  isExpectedVersionConflictError,
  type HandleCommandResult,
} from '#libs/event-store';
import type { ShardRouter, WriteOptions } from '#libs/shard-router';
import type { DataSource } from 'typeorm';
import { MediaAlreadyExistsError, MediaContentInvalidError, MediaNotFoundError, ThumbnailPendingError } from '../domain/media.errors.js';
import { mediaDecider, type MediaCommand, type MediaState } from '../domain/media.decider.js';
import { mediaIdFor, mediaStreamId } from '../domain/media-id.js';
import { deleteContent, findContent, insertContent } from './media-content.store.js';
import { MediaEventStores } from './media-event-stores.js';
import { findMediaItem, mediaInfoOf, saveMediaItem } from './media-items.projection.js';
import { ensureMediaSchema } from './media.schema.js';
import type { SqlRunner } from './sql-runner.js';

export interface MediaServiceOptions {
  readonly router: ShardRouter;
  /** The time commands record (default: the system clock). */
  readonly clock?: () => Date;
  /** Width an upload asks the thumbnail job for (default THUMBNAIL_WIDTH). */
  readonly thumbnailWidth?: number;
  /** Passed to every `router.write`. */
  readonly writeOptions?: WriteOptions;
}

/** Conflicting concurrent commands on one item retried (each with a fresh read and decision). */
const MAX_CONFLICT_RETRIES = 3;

type MediaResult = HandleCommandResult<MediaState, MediaEvent>;

/** What else a command writes in its append's transaction, once its events are appended (not on replays). */
type AlsoWrite = (sql: SqlRunner, result: MediaResult) => Promise<void>;

interface MediaWrite {
  readonly result: MediaResult;
  readonly write: WriteToken;
}

/** Decoded, checked content of a message: what it says it is, and at most MAX_MEDIA_BYTES. */
function decodeContent(dataBase64: string, declaredType: string): { data: Buffer; sha256: string } {
  const data = Buffer.from(dataBase64, 'base64');
  if (data.length === 0) throw new MediaContentInvalidError('dataBase64', 'the content is empty');
  if (data.length > MAX_MEDIA_BYTES) throw new MediaContentInvalidError('dataBase64', `the content is larger than ${MAX_MEDIA_BYTES} bytes`);
  const sniffed = sniffMediaType(data);
  if (sniffed !== declaredType) {
    throw new MediaContentInvalidError('contentType', `the content is ${sniffed ?? 'not an accepted image type'}, not ${declaredType}`);
  }
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
}

/**
 * The media service's operations, in plain TypeScript over the ShardRouter (the Nest/NATS edge calls them
 * with requests validated by the contracts' schemas). Items are event-sourced in `media-<mediaId>`
 * streams on `shardFor(mediaId)` — which `mediaIdFor` makes the owner's shard — with their bytes in
 * `media_content` and their `media_items` row written in the append's transaction. Every write carries an
 * idempotency key derived from the request id.
 *
 * Throws domain errors (codes): MEDIA_NOT_FOUND, THUMBNAIL_PENDING, MEDIA_FORBIDDEN, MEDIA_ALREADY_EXISTS,
 * MEDIA_CONTENT_INVALID, and from below EXPECTED_VERSION_CONFLICT, IDEMPOTENCY_KEY_REUSED, the router's
 * SHARD_UNAVAILABLE; `translateMediaError` maps them to the contracts' codes.
 */
export class MediaService {
  private readonly router: ShardRouter;
  private readonly clock: () => Date;
  private readonly thumbnailWidth: number;
  private readonly writeOptions: WriteOptions | undefined;
  private readonly stores = new MediaEventStores();

  constructor(options: MediaServiceOptions) {
    this.router = options.router;
    this.clock = options.clock ?? (() => new Date());
    this.thumbnailWidth = options.thumbnailWidth ?? THUMBNAIL_WIDTH;
    this.writeOptions = options.writeOptions;
  }

  /** Creates the event store's and the service's tables on every shard's primary, if missing. `signal` gives up. */
  async ensureSchema(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.router.shardIds.map((shard) =>
        this.router.write(
          shard,
          async (node) => {
            await ensureEventStoreSchema(node.dataSource);
            await ensureMediaSchema(node.dataSource);
          },
          { ...this.writeOptions, ...(signal && { signal }) },
        ),
      ),
    );
  }

  /** The id an upload of `ownerId` with `requestId` creates (or created): see `mediaIdFor`. */
  mediaIdFor(ownerId: string, requestId: string): string {
    return mediaIdFor(ownerId, requestId, (key) => this.router.shardFor(key));
  }

  /**
   * Stores an upload: MediaUploaded + ThumbnailRequested on the item's stream, the bytes and the
   * `media_items` row, in one transaction on the owner's shard. The same request again (same owner, same
   * request id) answers the same item and writes nothing; with other bytes, MEDIA_ALREADY_EXISTS.
   */
  async upload(request: UploadMediaRequest): Promise<UploadMediaReply> {
    const { ownerId, contentType, filename, requestId } = request;
    const { data, sha256 } = decodeContent(request.dataBase64, contentType);
    const mediaId = this.mediaIdFor(ownerId, requestId);
    const facts = { contentType, size: data.length, sha256 };
    const command: MediaCommand = {
      type: 'UploadMedia',
      data: { mediaId, ownerId, ...facts, ...(filename !== undefined && { filename }), thumbnailWidth: this.thumbnailWidth, now: this.now() },
    };
    const { result, write } = await this.execute(mediaId, command, `media.upload:${mediaId}`, requestId, (sql, appended) =>
      appended.newEvents.some((event) => event.type === 'MediaUploaded') ? insertContent(sql, { mediaId, variant: 'original', ...facts, data }) : Promise.resolve(),
    );
    const state = result.newState;
    // A replay answers the first attempt's item: only the same content makes this request a retry of it.
    if (state.status === 'none') throw new Error(`media ${mediaId}: no item after its upload`);
    if (state.media.ownerId !== ownerId || state.media.sha256 !== sha256) throw new MediaAlreadyExistsError(mediaId);
    if (state.status === 'deleted') throw new MediaNotFoundError(mediaId);
    return { media: mediaInfoOf(state.media, result.nextExpectedVersion), write };
  }

  /** An item's info, from a replica; one the replica does not have (yet) is asked of the primary. MEDIA_NOT_FOUND. */
  async getMedia(request: GetMediaRequest): Promise<GetMediaReply> {
    const record = await this.readConfirmingMisses(request.mediaId, (sql) => findMediaItem(sql, request.mediaId));
    if (!record || record.deletedAt !== undefined) throw new MediaNotFoundError(request.mediaId);
    return { media: record.info };
  }

  /**
   * A variant's bytes with their validator, from a replica (a miss is asked of the primary, so a fresh
   * upload is readable at once). MEDIA_NOT_FOUND, or THUMBNAIL_PENDING for an item whose thumbnail the
   * worker has not attached yet.
   */
  async getContent(request: GetMediaContentRequest): Promise<MediaContentReply> {
    const { mediaId, variant } = request;
    const content = await this.readConfirmingMisses(mediaId, (sql) => findContent(sql, mediaId, variant));
    if (content) {
      return { contentType: content.contentType, size: content.size, etag: `"${content.sha256}"`, dataBase64: content.data.toString('base64') };
    }
    if (variant === 'thumbnail') {
      const item = await this.readConfirmingMisses(mediaId, (sql) => findMediaItem(sql, mediaId));
      if (item && item.deletedAt === undefined) throw new ThumbnailPendingError(mediaId);
    }
    throw new MediaNotFoundError(mediaId);
  }

  /**
   * The worker's thumbnail: ThumbnailGenerated and the `thumbnail` variant's bytes, in one transaction.
   * Idempotent twice over: the same request id replays, and any attach after the first changes nothing
   * (the first thumbnail stays). MEDIA_NOT_FOUND for an unknown or deleted item.
   */
  async attachThumbnail(request: AttachThumbnailRequest): Promise<AttachThumbnailReply> {
    const { mediaId, contentType, width, height, requestId } = request;
    const { data, sha256 } = decodeContent(request.dataBase64, contentType);
    const facts = { contentType, size: data.length, sha256 };
    const command: MediaCommand = { type: 'AttachThumbnail', data: { mediaId, ...facts, width, height, now: this.now() } };
    const { result, write } = await this.execute(mediaId, command, `media.thumbnail.attach:${mediaId}:${requestId}`, requestId, (sql, appended) =>
      appended.newEvents.some((event) => event.type === 'ThumbnailGenerated') ? insertContent(sql, { mediaId, variant: 'thumbnail', ...facts, data }) : Promise.resolve(),
    );
    if (result.newState.status === 'none') throw new MediaNotFoundError(mediaId);
    return { media: mediaInfoOf(result.newState.media, result.nextExpectedVersion), write };
  }

  /** Deletes an item (its owner only: MEDIA_FORBIDDEN): MediaDeleted, and its bytes go in the same transaction. */
  async delete(request: DeleteMediaRequest): Promise<DeleteMediaReply> {
    const { mediaId, actorId, requestId } = request;
    const command: MediaCommand = { type: 'DeleteMedia', data: { mediaId, actorId, now: this.now() } };
    // The actor is part of the key: a replayed answer must never reach someone the decider would refuse.
    const { write } = await this.execute(mediaId, command, `media.delete:${mediaId}:${actorId}:${requestId}`, requestId, (sql) => deleteContent(sql, mediaId));
    return { mediaId, write };
  }

  /** Closes the event stores this service opened; the router (and its pools) belong to the caller. */
  async close(): Promise<void> {
    await this.stores.close();
  }

  /** One command on an item's stream, on its shard's primary. */
  private async execute(mediaId: string, command: MediaCommand, idempotencyKey: string, correlationId: string, alsoWrite: AlsoWrite): Promise<MediaWrite> {
    const shard = this.router.shardFor(mediaId);
    const written = await this.router.write(
      shard,
      (node) => this.appendWithProjection(node.dataSource, mediaId, command, idempotencyKey, correlationId, alsoWrite),
      this.writeOptions,
    );
    return { result: written.value, write: { shard, lsn: written.lsn } };
  }

  /**
   * The command's events, what else it writes (the bytes) and the `media_items` row, in one transaction:
   * nobody ever sees an event without its bytes, or a row ahead of or behind the log. Everything is
   * written after the append (see libs/event-store, "Reading all without skipping"). A conflict aborts the
   * transaction, and the whole decision runs again on the new state.
   */
  private async appendWithProjection(
    dataSource: DataSource,
    mediaId: string,
    command: MediaCommand,
    idempotencyKey: string,
    correlationId: string,
    alsoWrite: AlsoWrite,
  ): Promise<MediaResult> {
    const store = this.stores.of(dataSource);
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.transaction(async (tx, sql) => {
          const result = await handleCommand(tx, mediaStreamId(mediaId), mediaDecider, command, { idempotencyKey, correlationId, maxRetries: 0 });
          if (result.newEvents.length > 0) await alsoWrite(sql, result);
          // A replay saves again, harmlessly (rows only move forward).
          if (result.newState.status !== 'none') await saveMediaItem(sql, result.newState, result.nextExpectedVersion);
          return result;
        });
      } catch (error) {
        if (attempt > MAX_CONFLICT_RETRIES || !(isExpectedVersionConflictError(error) || isAppendOrderConflictError(error))) throw error;
      }
    }
  }

  /**
   * A read on a replica of the item's shard; when it finds nothing, the same read on the primary. Media
   * reads carry no write token (they are public and cacheable, without a session), and an item is usually
   * read right after its upload: a replica that has not replayed the upload yet must not answer 404.
   * A real miss costs one more read.
   */
  private async readConfirmingMisses<T>(mediaId: string, work: (sql: SqlRunner) => Promise<T | undefined>): Promise<T | undefined> {
    const shard = this.router.shardFor(mediaId);
    const { value, role } = await this.router.read(shard, (node) => work(node.dataSource));
    if (value !== undefined || role === 'primary') return value;
    return (await this.router.read(shard, (node) => work(node.dataSource), { consistency: 'primary' })).value;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
