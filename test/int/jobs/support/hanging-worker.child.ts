// A worker process to SIGKILL mid-job: `node --import ./ts-loader.mjs hanging-worker.child.ts`, with
// JOBS_REDIS_URL, JOBS_QUEUE and JOBS_EFFECTS_KEY in its environment. It runs the real JobWorker of
// libs/jobs with the lab's settings; its processor records the job's effect (idempotently, as a real
// processor would), says so on stdout, and then never finishes: the test kills it there, between the
// effect and the acknowledgement — the worst moment for exactly-once.
import { Redis } from 'ioredis';
import { JobWorker } from '#libs/jobs';
import { recordEffect } from './effects.js';

const redisUrl = process.env.JOBS_REDIS_URL!;
const queue = process.env.JOBS_QUEUE!;
const effectsKey = process.env.JOBS_EFFECTS_KEY!;

const say = (message: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...message })}\n`);
};

const redis = new Redis(redisUrl);
const worker = new JobWorker<{ n: number }, void>({
  queue,
  redisUrl,
  connectionName: `hanging-worker-${process.pid}`,
  process: async (job) => {
    await recordEffect(redis, effectsKey, job.id, `pid ${process.pid}`);
    say({ event: 'effect', jobId: job.id });
    await new Promise<never>(() => undefined);
  },
});
await worker.waitUntilReady();
say({ event: 'ready' });
