import { describe, expect, it } from '@jest/globals';
import { DEFAULT_STALLED, JobQueue, JobWorker, PermanentJobError, type JobProcessor, type RetrySettings } from '#libs/jobs';
import { Registry } from 'prom-client';
import { startChildWorker } from './support/child-worker.js';
import { effectsOf, recordEffect, runsOf } from './support/effects.js';
import { deferred, jobEvent, jobsTestEnv } from './support/jobs-test-env.js';

// libs/jobs against a real (throwaway) redis-server: retries, dead letters, duplicates, graceful
// shutdown, and a worker process SIGKILLed mid-job.

const env = jobsTestEnv();

const metricValue = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> => {
  const metric = registry.getSingleMetric(name);
  const values = (await metric!.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
};

interface World<T> {
  readonly name: string;
  readonly registry: Registry;
  readonly queue: JobQueue<T>;
  worker(process: JobProcessor<T, unknown>, options?: { concurrency?: number }): JobWorker<T, unknown>;
}

function world<T>(retry: RetrySettings = { attempts: 5, backoffMs: 100, jitter: 0 }): World<T> {
  const name = env.queueName();
  const registry = new Registry();
  const redisUrl = env.redis().url;
  const queue = new JobQueue<T>({ name, redisUrl, retry, registry });
  env.onCleanup(() => queue.close());
  return {
    name,
    registry,
    queue,
    worker: (process, options = {}) => {
      const worker = new JobWorker<T, unknown>({ queue: name, redisUrl, registry, process, ...options });
      env.onCleanup(() => worker.close({ timeoutMs: 2_000 }));
      return worker;
    },
  };
}

describe('JobQueue and JobWorker on a real Redis', () => {
  it('retries a failing job with exponential backoff until it completes', async () => {
    const w = world<{ n: number }>({ attempts: 5, backoffMs: 200, jitter: 0 });
    const starts: number[] = [];
    const worker = w.worker(async (job) => {
      starts.push(Date.now());
      if (job.attempt < 3) throw new Error(`flaky on attempt ${job.attempt}`);
      return { attempt: job.attempt };
    });
    const completed = jobEvent(worker, 'completed', 'flaky-1');

    await w.queue.enqueue('flaky', 'flaky-1', { n: 1 });
    const { job } = await completed;

    expect(starts).toHaveLength(3);
    // 200 ms before the second attempt, 400 ms before the third.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(200);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(400);
    expect(job.returnvalue).toEqual({ attempt: 3 });
    expect(await w.queue.stateOf('flaky-1')).toBe('completed');
    expect(await metricValue(w.registry, 'faultline_job_failures_total', { queue: w.name, outcome: 'retrying' })).toBe(2);
    expect(await metricValue(w.registry, 'faultline_job_failures_total', { queue: w.name, outcome: 'dead_lettered' })).toBe(0);
    expect(await metricValue(w.registry, 'faultline_jobs_completed_total', { queue: w.name })).toBe(1);
    // Enqueue → completed includes both backoffs.
    const scraped = await w.registry.metrics();
    const latencySum = Number(new RegExp(`faultline_job_latency_seconds_sum\\{queue="${w.name}"\\} (\\S+)`).exec(scraped)?.[1]);
    expect(latencySum).toBeGreaterThanOrEqual(0.6);
  }, 60_000);

  it('dead-letters a job that fails every attempt, with its error, visible in listDeadLetters and the metrics; a retry revives it', async () => {
    const w = world<{ n: number }>({ attempts: 3, backoffMs: 50, jitter: 0 });
    let healthy = false;
    const worker = w.worker(async (job) => {
      if (!healthy) throw new Error(`boom on attempt ${job.attempt}`);
      return 'fixed';
    });
    const dead = jobEvent(worker, 'failed', 'doomed-1', { final: true });

    await w.queue.enqueue('doomed', 'doomed-1', { n: 7 });
    const { error } = await dead;

    expect(error?.message).toBe('boom on attempt 3');
    const letters = await w.queue.listDeadLetters();
    expect(letters).toEqual([
      expect.objectContaining({ queue: w.name, jobId: 'doomed-1', name: 'doomed', data: { n: 7 }, error: 'boom on attempt 3', attemptsMade: 3 }),
    ]);
    expect(letters[0]!.stacktrace.join('\n')).toContain('boom on attempt');
    expect(letters[0]!.failedAt).toEqual(expect.any(String));
    expect(await w.queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 1 });
    expect(await metricValue(w.registry, 'faultline_job_failures_total', { queue: w.name, outcome: 'retrying' })).toBe(2);
    expect(await metricValue(w.registry, 'faultline_job_failures_total', { queue: w.name, outcome: 'dead_lettered' })).toBe(1);
    const scraped = await w.registry.metrics();
    expect(scraped).toContain(`faultline_job_queue_depth{queue="${w.name}",state="failed"} 1`);
    expect(scraped).toContain(`faultline_job_queue_depth{queue="${w.name}",state="waiting"} 0`);

    // An operator fixes the cause and retries the dead letter: a fresh set of attempts.
    healthy = true;
    const revived = jobEvent(worker, 'completed', 'doomed-1');
    expect(await w.queue.retryDeadLetter('doomed-1')).toBe(true);
    expect((await revived).job.returnvalue).toBe('fixed');
    expect(await w.queue.listDeadLetters()).toEqual([]);
    expect(await w.queue.retryDeadLetter('no-such-job')).toBe(false);
  }, 60_000);

  it('dead-letters a job at once when its processor throws PermanentJobError', async () => {
    const w = world<{ n: number }>({ attempts: 5, backoffMs: 50, jitter: 0 });
    let runs = 0;
    const worker = w.worker(async () => {
      runs++;
      throw new PermanentJobError('the image does not decode');
    });
    const dead = jobEvent(worker, 'failed', 'corrupt-1', { final: true });

    await w.queue.enqueue('thumbnail', 'corrupt-1', { n: 1 });
    await dead;

    expect(runs).toBe(1);
    expect(await w.queue.listDeadLetters()).toEqual([
      expect.objectContaining({ jobId: 'corrupt-1', error: 'JOB_PERMANENT_FAILURE: the image does not decode', attemptsMade: 1 }),
    ]);
  }, 60_000);

  it('adds a job once however often its id is enqueued: concurrently, again, and after it completed', async () => {
    const w = world<{ n: number }>();
    const redis = env.client();
    const effects = `effects:${w.name}`;

    await Promise.all(Array.from({ length: 10 }, (_, n) => w.queue.enqueue('welcome', 'dup-1', { n })));
    await w.queue.enqueue('welcome', 'dup-1', { n: 99 });
    expect(await w.queue.depth()).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });
    // The first add won; later ones did not overwrite its data.
    expect((await w.queue.bull.getJob('dup-1'))!.data).toEqual({ n: 0 });

    const worker = w.worker(async (job) => recordEffect(redis, effects, job.id, `n=${job.data.n}`));
    await jobEvent(worker, 'completed', 'dup-1');

    // Redelivered after completion (within the dedup window): nothing runs. A later job, behind it in the
    // same single-file queue, shows that nothing was queued ahead of it.
    await w.queue.enqueue('welcome', 'dup-1', { n: 100 });
    const sentinel = jobEvent(worker, 'completed', 'sentinel-1');
    await w.queue.enqueue('welcome', 'sentinel-1', { n: 0 });
    await sentinel;

    expect(await runsOf(redis, effects, 'dup-1')).toBe(1);
    expect(await effectsOf(redis, effects)).toEqual({ 'dup-1': 'n=0', 'sentinel-1': 'n=0' });
  }, 60_000);

  it('closes gracefully: close() waits for the active job, which completes and is recorded as completed', async () => {
    const w = world<{ n: number }>();
    const started = deferred();
    const closing = deferred();
    const order: string[] = [];
    const worker = w.worker(async () => {
      started.resolve();
      await closing.promise; // finishes only once close() has begun
      order.push('job finished');
      return 'done';
    });
    worker.bull.on('closing', () => closing.resolve());
    worker.bull.on('completed', () => order.push('completion recorded'));

    await w.queue.enqueue('slow', 'slow-1', { n: 1 });
    await started.promise;
    const graceful = await worker.close({ timeoutMs: 30_000 });
    order.push('closed');

    expect(graceful).toBe(true);
    expect(order).toEqual(['job finished', 'completion recorded', 'closed']);
    expect(await w.queue.stateOf('slow-1')).toBe('completed');
  }, 60_000);

  it('a worker process SIGKILLed mid-job: another worker picks the stalled job up within seconds and it completes exactly once in effect', async () => {
    const w = world<{ n: number }>();
    const redis = env.client();
    const effects = `effects:${w.name}`;
    const child = startChildWorker({ redisUrl: env.redis().url, queue: w.name, effectsKey: effects });
    env.onCleanup(() => child.kill());
    await child.message((m) => m.event === 'ready');

    await w.queue.enqueue('welcome', 'victim-1', { n: 1 });
    // The child has done the job's effect and hangs before acknowledging it.
    await child.message((m) => m.event === 'effect' && m.jobId === 'victim-1');
    expect(await w.queue.stateOf('victim-1')).toBe('active');

    // The surviving worker, with the lab's stalled-job settings.
    let pickedUpAt = 0;
    const survivor = w.worker(async (job) => {
      pickedUpAt ||= Date.now();
      return (await recordEffect(redis, effects, job.id, 'survivor')) ? 'effect recorded' : 'effect already there';
    });
    const completed = jobEvent(survivor, 'completed', 'victim-1', { timeoutMs: 60_000 });
    await survivor.waitUntilReady();
    const killedAt = Date.now();
    await child.kill();
    expect((await child.exited).signal).toBe('SIGKILL');

    const { job } = await completed;
    const pickupMs = pickedUpAt - killedAt;
    console.log(`SIGKILL → stalled job picked up by another worker after ${pickupMs} ms (lock ${DEFAULT_STALLED.lockDurationMs} ms, check every ${DEFAULT_STALLED.stalledIntervalMs} ms)`);

    expect(pickupMs).toBeGreaterThan(0);
    expect(pickupMs).toBeLessThanOrEqual(DEFAULT_STALLED.lockDurationMs + DEFAULT_STALLED.stalledIntervalMs + 3_000);
    // Ran twice (killed once), one effect (the first run's), completed once.
    expect(await runsOf(redis, effects, 'victim-1')).toBe(2);
    expect(await effectsOf(redis, effects)).toEqual({ 'victim-1': `pid ${child.pid}` });
    expect(job.returnvalue).toBe('effect already there');
    expect(await w.queue.stateOf('victim-1')).toBe('completed');
    expect(await metricValue(w.registry, 'faultline_jobs_stalled_total', { queue: w.name })).toBe(1);
    expect(await metricValue(w.registry, 'faultline_jobs_completed_total', { queue: w.name })).toBe(1);
    expect(await w.queue.depth()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
  }, 90_000);

  it('a close that times out hands the active job back, without using up an attempt: another worker completes it', async () => {
    const w = world<{ n: number }>();
    const started = deferred();
    const stuck = w.worker(async () => {
      started.resolve();
      await new Promise<never>(() => undefined); // ignores the abort signal, like a hung call
    });
    await w.queue.enqueue('stuck', 'stuck-1', { n: 1 });
    await started.promise;

    const began = Date.now();
    expect(await stuck.close({ timeoutMs: 300 })).toBe(false);
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(await w.queue.stateOf('stuck-1')).toBe('waiting');

    const other = w.worker(async (job) => `recovered on attempt ${job.attempt}`);
    const { job } = await jobEvent(other, 'completed', 'stuck-1');
    expect(job.returnvalue).toBe('recovered on attempt 1');
    expect(await metricValue(w.registry, 'faultline_jobs_stalled_total', { queue: w.name })).toBe(0);
  }, 60_000);
});
