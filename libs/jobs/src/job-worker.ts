import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { withDeadline } from './deadline.js';
import { isPermanentJobError } from './job.errors.js';
import { connectionErrorLog, type JobLog } from './job-log.js';
import { jobMetrics, type JobMetrics } from './job-metrics.js';
import { DEFAULT_PREFIX, DEFAULT_STALLED, stalledOptionsOf, type StalledJobSettings } from './job-settings.js';
import { createWorkerConnectionTemplate } from './redis-connections.js';

/** What a processor sees of its job. */
export interface JobContext<T> {
  /** The job id: derived from the causing event, the idempotency key of whatever the processor does. */
  readonly id: string;
  readonly name: string;
  readonly queue: string;
  readonly data: T;
  /** 1 for the first attempt. A job picked up again after a stall keeps its attempt number. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly enqueuedAt: Date;
  /** Aborted when the worker gives up waiting for the job at shutdown. */
  readonly signal: AbortSignal;
}

/**
 * Does the job's work. It must be idempotent: a job may run again after its worker died mid-job (even
 * after the effect, before the acknowledgement), or after a failed attempt. Throw to fail the attempt
 * (retried with backoff); throw PermanentJobError to dead-letter the job at once.
 */
export type JobProcessor<T, R> = (job: JobContext<T>) => Promise<R>;

export interface JobWorkerOptions<T, R> {
  readonly queue: string;
  readonly redisUrl: string;
  readonly connectionName?: string;
  readonly prefix?: string;
  readonly process: JobProcessor<T, R>;
  /** Jobs run at once by this worker (default 1). */
  readonly concurrency?: number;
  readonly stalled?: StalledJobSettings;
  /** Start fetching jobs at once (default true); else call `run()`. */
  readonly autorun?: boolean;
  /** A name BullMQ records on every job this worker processes (default: the connection name). */
  readonly workerName?: string;
  readonly registry?: Registry;
  readonly log?: JobLog;
}

export interface CloseOptions {
  /**
   * How long to wait for the active jobs (default 10 000). Past it the worker hands them back: each goes
   * back to the front of the wait list (no attempt used up) for another worker, and its processor's
   * signal is aborted. If even that fails (Redis away), the jobs stay active until their locks expire
   * and the stalled-job check hands them out. Either way nothing is lost.
   */
  readonly timeoutMs?: number;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A BullMQ Worker with the lab's conventions: its own Redis connections (`maxRetriesPerRequest: null`),
 * the stalled-job settings of `DEFAULT_STALLED`, permanent errors dead-lettered at once, metrics, logs,
 * and a `close` that waits for the active jobs within a deadline.
 */
export class JobWorker<T = unknown, R = unknown> {
  readonly queue: string;
  /** BullMQ's Worker, for what this class does not wrap. */
  readonly bull: Worker<T, R>;
  private readonly template: Redis;
  private readonly metrics: JobMetrics;
  private readonly log: JobLog;
  private closing: Promise<boolean> | undefined;
  /** Set when close() stopped waiting: processors are then abandoned and their jobs handed back. */
  private handingBack = false;

  constructor(options: JobWorkerOptions<T, R>) {
    this.queue = options.queue;
    this.log = options.log ?? (() => undefined);
    this.metrics = jobMetrics(options.registry ?? new Registry());
    this.metrics.declare(this.queue);
    const connectionName = options.connectionName ?? `jobs:${options.queue}:worker`;
    this.template = createWorkerConnectionTemplate({ redisUrl: options.redisUrl, connectionName });
    const work = options.process;
    const queue = this.queue;
    // Three parameters: BullMQ passes the abort signal only to processors declaring it.
    const processor = async (job: Job<T, R>, token: string | undefined, signal: AbortSignal | undefined): Promise<R> => {
      const context: JobContext<T> = {
        id: job.id!,
        name: job.name,
        queue,
        data: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        enqueuedAt: new Date(job.timestamp),
        signal: signal ?? new AbortController().signal,
      };
      const run = Promise.resolve().then(() => work(context));
      // The abort (close's deadline) ends the wait for a processor that does not listen to its signal.
      const abandoned = signal
        ? new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))
        : undefined;
      try {
        return await (abandoned ? Promise.race([run, abandoned]) : run);
      } catch (error) {
        if (this.handingBack && signal?.aborted) {
          run.catch(() => undefined);
          // Back to the front of the wait list, lock released; BullMQ takes WaitingError as "moved, not failed".
          await withDeadline(job.moveToWait(token), 1_000, () => undefined).catch(() => undefined);
          this.log('warn', `job ${job.id} on ${queue} handed back at shutdown`, { queue, jobId: job.id });
          throw new WaitingError();
        }
        if (isPermanentJobError(error)) throw Object.assign(new UnrecoverableError(`${error.code}: ${error.message}`), { cause: error });
        throw error;
      }
    };
    this.bull = new Worker<T, R>(options.queue, processor, {
      connection: this.template,
      prefix: options.prefix ?? DEFAULT_PREFIX,
      concurrency: options.concurrency ?? 1,
      autorun: options.autorun ?? true,
      name: options.workerName ?? connectionName,
      ...stalledOptionsOf(options.stalled ?? DEFAULT_STALLED),
    });
    this.observe();
  }

  /** Resolves once both connections are up (tests; the worker itself waits on its own). */
  waitUntilReady(): Promise<void> {
    return this.bull.waitUntilReady();
  }

  /** Starts fetching jobs, for a worker made with `autorun: false`. */
  run(): void {
    this.bull.run().catch((error: unknown) => this.log('error', `worker ${this.queue} stopped: ${describe(error)}`, { queue: this.queue }));
  }

  /**
   * Stops taking jobs, waits for the active ones to finish (and be recorded as finished), then closes
   * the connections. Resolves true after a graceful close; false when the deadline passed first and the
   * active jobs were handed back (see CloseOptions). Idempotent.
   */
  close(options: CloseOptions = {}): Promise<boolean> {
    this.closing ??= (async () => {
      const timeoutMs = options.timeoutMs ?? 10_000;
      const closed = this.bull.close().then(
        () => true,
        (error: unknown) => {
          this.log('warn', `worker ${this.queue}: close failed: ${describe(error)}`, { queue: this.queue });
          return true;
        },
      );
      const graceful = await withDeadline(closed, timeoutMs, () => false);
      if (!graceful) {
        this.log('warn', `worker ${this.queue}: active jobs still running after ${timeoutMs} ms; handing them back`, { queue: this.queue });
        this.handingBack = true;
        this.bull.cancelAllJobs('worker shutting down');
        // Hand-backs are bounded (1 s each, in parallel); then the close completes. If it still does not
        // (Redis away), drop the connections: the locks expire and the stalled-job check takes over.
        if (!(await withDeadline(closed, 2_000, () => false))) await withDeadline(this.bull.disconnect(), 500, () => undefined).catch(() => undefined);
      }
      this.template.disconnect(false);
      return graceful;
    })();
    return this.closing;
  }

  private observe(): void {
    const queue = this.queue;
    const { metrics, log } = this;
    this.bull.on('completed', (job: Job<T, R>) => {
      const now = Date.now();
      metrics.completed.inc({ queue });
      metrics.latency.observe({ queue }, Math.max(0, now - job.timestamp) / 1000);
      if (job.processedOn) metrics.processing.observe({ queue }, Math.max(0, now - job.processedOn) / 1000);
    });
    this.bull.on('failed', (job: Job<T, R> | undefined, error: Error) => {
      // finishedOn is set only when the job moved to the failed set: no attempts left, or unrecoverable.
      const dead = job === undefined || job.finishedOn !== undefined;
      metrics.failed.inc({ queue, outcome: dead ? 'dead_lettered' : 'retrying' });
      const fields = { queue, jobId: job?.id, attempt: job?.attemptsMade, error: error.message };
      if (dead) log('error', `job ${job?.id ?? '(removed)'} on ${queue} dead-lettered: ${error.message}`, fields);
      else log('warn', `job ${job?.id} on ${queue} failed (attempt ${job?.attemptsMade}); retrying after backoff: ${error.message}`, fields);
    });
    this.bull.on('stalled', (jobId: string) => {
      metrics.stalled.inc({ queue });
      log('warn', `job ${jobId} on ${queue} stalled (its worker stopped renewing the lock); handed out again`, { queue, jobId });
    });
    const connection = connectionErrorLog(log, `worker ${queue}`, { queue });
    this.bull.on('error', (error: Error) => connection.error(error));
    this.bull.on('ready', () => connection.ready());
  }
}
