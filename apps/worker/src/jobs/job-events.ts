import {
  mediaIdField,
  QUEUES,
  THUMBNAIL_WIDTH,
  userIdField,
  type MediaUploaded,
  type ThumbnailJobData,
  type UserRegistered,
  type WelcomeMailJobData,
} from '#libs/contracts';
import { FaultlineError } from '#libs/errors';
import { jobIdFor } from '#libs/jobs';
import { z } from 'zod';

/** A job-causing event whose data is not what its type promises: a poison event, never worth redelivering. */
export class MalformedEventError extends FaultlineError<'EVENT_MALFORMED'> {
  readonly code = 'EVENT_MALFORMED' as const;

  constructor(
    readonly eventType: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`malformed ${eventType} event: ${issues.join('; ')}`, options);
  }
}

export const isMalformedEventError = (error: unknown): error is MalformedEventError => error instanceof MalformedEventError;

/**
 * An event as the worker receives it: a recorded event of some service (`{ type, data, metadata? }`),
 * as the event bus relays it. Only UserRegistered and MediaUploaded cause jobs; the metadata is not
 * needed (the job id comes from the entity the event is about, which has exactly one such event).
 */
export interface IncomingEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
}

export type JobEvent = UserRegistered | MediaUploaded;

/** What one event asks the worker to do: a job on a queue, with an id derived from the event. */
export type PlannedJob =
  | { readonly queue: typeof QUEUES.thumbnails; readonly name: 'thumbnail'; readonly jobId: string; readonly data: ThumbnailJobData }
  | { readonly queue: typeof QUEUES.welcome; readonly name: 'welcome'; readonly jobId: string; readonly data: WelcomeMailJobData };

const mediaUploadedData = z.object({ mediaId: mediaIdField, ownerId: userIdField });
const userRegisteredData = z.object({ userId: userIdField, email: z.string().min(3).max(254), name: z.string().min(1).max(100) });

/** The job kinds, which prefix the job ids: `thumbnail-<mediaId>`, `welcome-<userId>`. */
export const JOB_KINDS = { thumbnail: 'thumbnail', welcome: 'welcome' } as const;

function parse<S extends z.ZodType>(schema: S, event: IncomingEvent): z.output<S> {
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) {
    throw new MalformedEventError(
      event.type,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(data)'}: ${issue.message}`),
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/**
 * The job an event causes, or undefined for an event that causes none. Throws MalformedEventError for a
 * UserRegistered/MediaUploaded whose data is not what it should be.
 */
export function jobForEvent(event: IncomingEvent): PlannedJob | undefined {
  switch (event.type) {
    case 'MediaUploaded': {
      const { mediaId, ownerId } = parse(mediaUploadedData, event);
      return { queue: QUEUES.thumbnails, name: 'thumbnail', jobId: jobIdFor(JOB_KINDS.thumbnail, mediaId), data: { mediaId, ownerId, width: THUMBNAIL_WIDTH } };
    }
    case 'UserRegistered': {
      const { userId, email, name } = parse(userRegisteredData, event);
      return { queue: QUEUES.welcome, name: 'welcome', jobId: jobIdFor(JOB_KINDS.welcome, userId), data: { userId, email, name } };
    }
    default:
      return undefined;
  }
}
