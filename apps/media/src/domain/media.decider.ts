import type { MediaDeleted, MediaEvent, MediaUploaded, ThumbnailGenerated, ThumbnailRequested } from '#libs/contracts';
import type { Decider } from '#libs/event-store';
import type { Command } from './command.js';
import { MediaAlreadyExistsError, MediaForbiddenError, MediaNotFoundError } from './media.errors.js';

/** Content as the events describe it: the bytes themselves are in the shard's `media_content` table. */
export interface ContentFacts {
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

export type Thumbnail =
  | { readonly status: 'pending'; readonly width: number; readonly requestedAt: string }
  | ({ readonly status: 'ready'; readonly width: number; readonly height: number; readonly generatedAt: string } & ContentFacts);

/** A media item: everything its stream says, folded. */
export interface Media extends ContentFacts {
  readonly id: string;
  readonly ownerId: string;
  readonly filename?: string;
  readonly uploadedAt: string;
  /** Undefined until a thumbnail is requested (an upload requests one in the same append). */
  readonly thumbnail?: Thumbnail;
}

/** The `media-<id>` stream folded: nothing yet, an item, or an item that was deleted (for good). */
export type MediaState =
  | { readonly status: 'none' }
  | { readonly status: 'uploaded'; readonly media: Media }
  | { readonly status: 'deleted'; readonly media: Media; readonly deletedAt: string };

/** Start the item and ask for its thumbnail. Uploading the same content again (same owner, same bytes) changes nothing. */
export type UploadMedia = Command<
  'UploadMedia',
  { mediaId: string; ownerId: string; filename?: string; thumbnailWidth: number; now: string } & ContentFacts
>;
/** Record the worker's thumbnail. Only the first one counts: attaching again (a retried job) changes nothing. */
export type AttachThumbnail = Command<'AttachThumbnail', { mediaId: string; width: number; height: number; now: string } & ContentFacts>;
/** Delete the item; only its owner may. Deleting a deleted item changes nothing. */
export type DeleteMedia = Command<'DeleteMedia', { mediaId: string; actorId: string; now: string }>;

export type MediaCommand = UploadMedia | AttachThumbnail | DeleteMedia;

const initialState = (): MediaState => ({ status: 'none' });

function evolve(state: MediaState, event: MediaEvent): MediaState {
  switch (event.type) {
    case 'MediaUploaded': {
      const { mediaId, ownerId, contentType, size, sha256, filename, uploadedAt } = event.data;
      return { status: 'uploaded', media: { id: mediaId, ownerId, contentType, size, sha256, ...(filename !== undefined && { filename }), uploadedAt } };
    }
    case 'ThumbnailRequested':
      if (state.status !== 'uploaded') return state;
      return { ...state, media: { ...state.media, thumbnail: { status: 'pending', width: event.data.width, requestedAt: event.data.requestedAt } } };
    case 'ThumbnailGenerated': {
      if (state.status !== 'uploaded') return state;
      const { contentType, size, sha256, width, height, generatedAt } = event.data;
      return { ...state, media: { ...state.media, thumbnail: { status: 'ready', contentType, size, sha256, width, height, generatedAt } } };
    }
    case 'MediaDeleted':
      return state.status === 'none' ? state : { status: 'deleted', media: state.media, deletedAt: event.data.deletedAt };
  }
}

const sameContent = (media: Media, data: UploadMedia['data']): boolean =>
  media.ownerId === data.ownerId && media.sha256 === data.sha256 && media.size === data.size && media.contentType === data.contentType;

function upload({ data }: UploadMedia, state: MediaState): MediaEvent[] {
  if (state.status !== 'none') {
    // The same upload again: its item exists (a retry whose idempotency key was not found, say).
    if (sameContent(state.media, data)) return [];
    throw new MediaAlreadyExistsError(data.mediaId);
  }
  const { mediaId, ownerId, contentType, size, sha256, filename, thumbnailWidth, now } = data;
  const uploaded: MediaUploaded = {
    type: 'MediaUploaded',
    data: { mediaId, ownerId, contentType, size, sha256, ...(filename !== undefined && { filename }), uploadedAt: now },
  };
  const requested: ThumbnailRequested = { type: 'ThumbnailRequested', data: { mediaId, ownerId, width: thumbnailWidth, requestedAt: now } };
  return [uploaded, requested];
}

function attachThumbnail({ data }: AttachThumbnail, state: MediaState): ThumbnailGenerated[] {
  // A deleted item gets no thumbnail: its content is gone, and so is the job's reason to be.
  if (state.status !== 'uploaded') throw new MediaNotFoundError(data.mediaId);
  if (state.media.thumbnail?.status === 'ready') return [];
  const { mediaId, contentType, size, sha256, width, height, now } = data;
  return [{ type: 'ThumbnailGenerated', data: { mediaId, contentType, size, sha256, width, height, generatedAt: now } }];
}

function deleteMedia({ data }: DeleteMedia, state: MediaState): MediaDeleted[] {
  if (state.status === 'none') throw new MediaNotFoundError(data.mediaId);
  if (state.media.ownerId !== data.actorId) throw new MediaForbiddenError(data.mediaId, data.actorId);
  if (state.status === 'deleted') return [];
  return [{ type: 'MediaDeleted', data: { mediaId: data.mediaId, ownerId: state.media.ownerId, deletedAt: data.now } }];
}

function decide(command: MediaCommand, state: MediaState): readonly MediaEvent[] {
  switch (command.type) {
    case 'UploadMedia':
      return upload(command, state);
    case 'AttachThumbnail':
      return attachThumbnail(command, state);
    case 'DeleteMedia':
      return deleteMedia(command, state);
  }
}

/** A media item's stream (`media-<mediaId>`, on `shardFor(mediaId)`, which is its owner's shard) as a decider. */
export const mediaDecider: Decider<MediaState, MediaCommand, MediaEvent> = { decide, evolve, initialState };
