import { Queue, type Job, type KeepJobs } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { withDeadline } from './deadline.js';
import { EnqueueTimeoutError } from './job.errors.js';
import { DEPTH_STATES, jobMetrics, type DepthSource, type JobMetrics, type QueueDepth } from './job-metrics.js';
import { DEFAULT_PREFIX, DEFAULT_RETRY, jobOptionsOf, KEEP_COMPLETED, type RetrySettings } from './job-settings.js';
import { connectionErrorLog, type JobLog } from './job-log.js';
import { closeJobConnection, createQueueConnection } from './redis-connections.js';

export interface JobQueueOptions {
  /** The queue's name (no `:`). */
  readonly name: string;
  readonly redisUrl: string;
  readonly connectionName?: string;
  /** Redis key prefix (default `bull`). */
  readonly prefix?: string;
  readonly retry?: RetrySettings;
  /** How long completed jobs are kept: the window in which a redelivered event is ignored. */
  readonly keepCompleted?: KeepJobs;
  /** `enqueue` fails with EnqueueTimeoutError after this long without Redis' answer (default 5000). */
  readonly enqueueTimeoutMs?: number;
  /** Bound on the Redis queries of `depth()` and of a metrics scrape (default 1000). */
  readonly queryTimeoutMs?: number;
  /** Where the metrics go (a private registry when absent). */
  readonly registry?: Registry;
  readonly log?: JobLog;
}

export interface EnqueueResult {
  readonly queue: string;
  readonly jobId: string;
}

/** A job that failed for good: no attempts left, a permanent error, or stalled too often. */
export interface DeadLetter<T = unknown> {
  readonly queue: string;
  readonly jobId: string;
  readonly name: string;
  readonly data: T;
  /** The last attempt's error message. */
  readonly error: string;
  /** Stack traces of the failed attempts, newest last (BullMQ keeps them). */
  readonly stacktrace: readonly string[];
  readonly attemptsMade: number;
  readonly enqueuedAt: string;
  readonly failedAt: string | undefined;
}

/**
 * A BullMQ Queue with the lab's conventions: its own Redis connection, job ids given by the caller
 * (derived from the causing event, so a duplicate add is a no-op), retries with exponential backoff,
 * completed jobs kept for a dedup window, failed jobs kept as visible dead letters, and metrics.
 */
export class JobQueue<T = unknown> {
  readonly name: string;
  /** BullMQ's Queue, for what this class does not wrap (tests, operators' tools). */
  readonly bull: Queue<T>;
  private readonly connection: Redis;
  private readonly metrics: JobMetrics;
  private readonly enqueueTimeoutMs: number;
  private readonly queryTimeoutMs: number;
  private readonly depthSource: DepthSource;
  private closing: Promise<void> | undefined;

  constructor(options: JobQueueOptions) {
    this.name = options.name;
    this.enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 1_000;
    this.connection = createQueueConnection({ redisUrl: options.redisUrl, connectionName: options.connectionName ?? `jobs:${options.name}:producer` });
    this.bull = new Queue<T>(options.name, {
      connection: this.connection,
      prefix: options.prefix ?? DEFAULT_PREFIX,
      defaultJobOptions: jobOptionsOf(options.retry ?? DEFAULT_RETRY, options.keepCompleted ?? KEEP_COMPLETED),
    });
    // Without a listener BullMQ's 'error' would crash the process.
    const connection = connectionErrorLog(options.log ?? (() => undefined), `queue ${options.name}`, { queue: options.name });
    this.bull.on('error', (error: Error) => connection.error(error));
    this.connection.on('ready', () => connection.ready());
    this.metrics = jobMetrics(options.registry ?? new Registry());
    this.metrics.declare(this.name);
    this.depthSource = async () => ({ queue: this.name, depth: await this.depth().catch(() => undefined) });
    this.metrics.depthSources.add(this.depthSource);
  }

  /**
   * Adds the job unless a job with this id is still kept (waiting, active, delayed, completed within the
   * dedup window, or dead-lettered): then nothing is added and the call still succeeds. Throws
   * EnqueueTimeoutError (or Redis' error) when Redis does not take it: the caller retries later (an
   * event consumer leaves the event unacknowledged).
   */
  async enqueue(jobName: string, jobId: string, data: T): Promise<EnqueueResult> {
    const added = this.bull.add(jobName as never, data as never, { jobId });
    await withDeadline(added, this.enqueueTimeoutMs, () => {
      added.catch(() => undefined); // settles later, unobserved otherwise
      throw new EnqueueTimeoutError(this.name, jobId, this.enqueueTimeoutMs);
    });
    this.metrics.enqueued.inc({ queue: this.name });
    return { queue: this.name, jobId };
  }

  /** Jobs per state; rejects when Redis does not answer within the query timeout. */
  async depth(): Promise<QueueDepth> {
    const counts = await this.bounded(this.bull.getJobCounts(...DEPTH_STATES), 'job counts');
    return Object.fromEntries(DEPTH_STATES.map((state) => [state, counts[state] ?? 0])) as QueueDepth;
  }

  /** The dead letters, newest first, `count` from `start`. */
  async listDeadLetters(start = 0, count = 50): Promise<DeadLetter<T>[]> {
    const jobs = (await this.bounded(this.bull.getFailed(start, start + count - 1), 'dead letters')) as Job<T>[];
    return jobs.filter((job) => job !== undefined && job !== null).map((job) => this.deadLetterOf(job));
  }

  /** Puts a dead letter back in the queue for a fresh set of attempts; false when no such dead letter exists. */
  async retryDeadLetter(jobId: string): Promise<boolean> {
    const job = await this.bounded(this.bull.getJob(jobId), 'job');
    if (!job || !(await job.isFailed())) return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /** Where the job is now (`completed`, `failed`, `waiting`, …), or `unknown` when it is not kept. */
  async stateOf(jobId: string): Promise<string> {
    return this.bounded(this.bull.getJobState(jobId), 'job state');
  }

  /** Closes the queue and its connection; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.metrics.depthSources.delete(this.depthSource);
      await withDeadline(this.bull.close(), 1_000, () => undefined).catch(() => undefined);
      await closeJobConnection(this.connection);
    })();
    return this.closing;
  }

  private deadLetterOf(job: Job<T>): DeadLetter<T> {
    return {
      queue: this.name,
      jobId: job.id ?? '',
      name: job.name,
      data: job.data,
      error: job.failedReason ?? '',
      stacktrace: job.stacktrace ?? [],
      attemptsMade: job.attemptsMade,
      enqueuedAt: new Date(job.timestamp).toISOString(),
      failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : undefined,
    };
  }

  private bounded<R>(promise: Promise<R>, what: string): Promise<R> {
    return withDeadline(promise, this.queryTimeoutMs, () => {
      promise.catch(() => undefined);
      throw new Error(`queue ${this.name}: no answer from Redis for ${what} within ${this.queryTimeoutMs} ms`);
    });
  }
}
