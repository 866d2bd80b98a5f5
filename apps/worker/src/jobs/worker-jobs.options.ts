import { DEFAULT_RETRY, DEFAULT_STALLED, type RetrySettings, type StalledJobSettings } from '#libs/jobs';
import { DEFAULT_MEDIA_CLIENT_OPTIONS, type MediaClientOptions } from '../media/media.client.js';

/** The worker's job tunables (code, not environment: they are part of the lab's design). */
export interface WorkerJobsOptions {
  /** Thumbnails at once per instance: sharp is CPU-bound (libuv's thread pool), the lab machine has 2 cores. */
  readonly thumbnailConcurrency: number;
  /** Welcome mails at once per instance: one small INSERT each. */
  readonly welcomeConcurrency: number;
  readonly retry: RetrySettings;
  readonly stalled: StalledJobSettings;
  /**
   * How long shutdown waits for the active jobs before handing them back to the queue. The runner's
   * whole shutdown deadline is 1.5 s (SHUTDOWN_DEADLINE_MS), so this stays well below it.
   */
  readonly shutdownGraceMs: number;
  readonly enqueueTimeoutMs: number;
  readonly media: MediaClientOptions;
}

export const DEFAULT_WORKER_JOBS_OPTIONS: WorkerJobsOptions = {
  thumbnailConcurrency: 2,
  welcomeConcurrency: 8,
  retry: DEFAULT_RETRY,
  stalled: DEFAULT_STALLED,
  shutdownGraceMs: 700,
  enqueueTimeoutMs: 5_000,
  media: DEFAULT_MEDIA_CLIENT_OPTIONS,
};

export const WORKER_JOBS_OPTIONS = Symbol('WORKER_JOBS_OPTIONS');
export const WORKER_QUEUES = Symbol('WORKER_QUEUES');
export const SHARD_ROUTER = Symbol('SHARD_ROUTER');
