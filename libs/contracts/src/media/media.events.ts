/**
 * The media service's events, in `media-<mediaId>` streams on the owner's shard. Bytes are not in the
 * events (they live in the shard's media content table); events carry their size and SHA-256.
 */
export type MediaUploaded = Readonly<{
  type: 'MediaUploaded';
  data: Readonly<{ mediaId: string; ownerId: string; contentType: string; size: number; sha256: string; filename?: string; uploadedAt: string }>;
}>;

export type ThumbnailRequested = Readonly<{
  type: 'ThumbnailRequested';
  data: Readonly<{ mediaId: string; ownerId: string; width: number; requestedAt: string }>;
}>;

export type ThumbnailGenerated = Readonly<{
  type: 'ThumbnailGenerated';
  data: Readonly<{ mediaId: string; contentType: string; size: number; sha256: string; width: number; height: number; generatedAt: string }>;
}>;

export type MediaDeleted = Readonly<{
  type: 'MediaDeleted';
  data: Readonly<{ mediaId: string; ownerId: string; deletedAt: string }>;
}>;

export type MediaEvent = MediaUploaded | ThumbnailRequested | ThumbnailGenerated | MediaDeleted;

export const MEDIA_EVENT_TYPES = ['MediaUploaded', 'ThumbnailRequested', 'ThumbnailGenerated', 'MediaDeleted'] as const satisfies readonly MediaEvent['type'][];
