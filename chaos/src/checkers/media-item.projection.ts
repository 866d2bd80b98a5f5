import { MEDIA_EVENT_TYPES, type MediaEvent } from '#libs/contracts';
import { foldStream, streamKey, type ProjectionDefinition } from './projection.js';
import type { MediaItemRow, StoredEvent } from './store-snapshot.js';

/**
 * `media_items` rebuilt from a `media-<id>` stream, in the columns the snapshot keeps: uploaded → the row;
 * thumbnail requested or attached → only the version moves (those columns are not compared); deleted → the
 * row stays, marked deleted.
 */
export const foldMediaItem = (events: readonly StoredEvent[]): MediaItemRow | undefined =>
  foldStream<MediaEvent, MediaItemRow>(events, MEDIA_EVENT_TYPES, (row, event, version) => {
    switch (event.type) {
      case 'MediaUploaded':
        return { mediaId: event.data.mediaId, ownerId: event.data.ownerId, sha256: event.data.sha256, version, deleted: false };
      case 'ThumbnailRequested':
      case 'ThumbnailGenerated':
        return row && { ...row, version };
      case 'MediaDeleted':
        return row && { ...row, version, deleted: true };
    }
  });

export const mediaItemProjection: ProjectionDefinition<MediaItemRow> = {
  name: 'media_items',
  rowsOf: (shard) => shard.mediaItems,
  keyOfRow: (row) => row.mediaId,
  keyOfStream: streamKey('media-'),
  fold: foldMediaItem,
};
