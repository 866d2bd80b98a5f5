import type { JobQueue } from '#libs/jobs';
import type { ThumbnailJobData, WelcomeMailJobData } from '#libs/contracts';
import { jobForEvent, type IncomingEvent } from './job-events.js';

export type EnqueueOutcome =
  | { readonly enqueued: true; readonly queue: string; readonly jobId: string }
  | { readonly enqueued: false; readonly reason: 'no job for this event type' };

/** The two queues the worker feeds. */
export interface WorkerQueues {
  readonly thumbnails: JobQueue<ThumbnailJobData>;
  readonly welcome: JobQueue<WelcomeMailJobData>;
}

/**
 * Turns events into jobs. `enqueueForEvent` is what the event bus's consumer calls for every event it
 * delivers (`onEvent`):
 * - resolves (a job was added, or was already there, or the event causes no job): acknowledge the event;
 * - rejects with MalformedEventError (`isMalformedEventError`): a poison event, terminate it (no redelivery);
 * - rejects otherwise (Redis unavailable, EnqueueTimeoutError): leave it unacknowledged for redelivery —
 *   safe, because the job id is derived from the event, so the job is added at most once.
 */
export class JobEnqueuer {
  constructor(private readonly queues: WorkerQueues) {}

  async enqueueForEvent(event: IncomingEvent): Promise<EnqueueOutcome> {
    const planned = jobForEvent(event);
    if (!planned) return { enqueued: false, reason: 'no job for this event type' };
    const { queue, jobId } =
      planned.name === 'thumbnail'
        ? await this.queues.thumbnails.enqueue(planned.name, planned.jobId, planned.data)
        : await this.queues.welcome.enqueue(planned.name, planned.jobId, planned.data);
    return { enqueued: true, queue, jobId };
  }

  /** The event bus's hook: the same as `enqueueForEvent`. */
  readonly onEvent = (event: IncomingEvent): Promise<EnqueueOutcome> => this.enqueueForEvent(event);
}
