/** BullMQ queues of the worker and the payload of their jobs. Job ids are derived from the event that caused them, so a redelivered event enqueues nothing twice. */
export const QUEUES = { thumbnails: 'thumbnails', welcome: 'welcome-mail' } as const;

export interface ThumbnailJobData {
  readonly mediaId: string;
  readonly ownerId: string;
  readonly width: number;
}

export interface WelcomeMailJobData {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}
