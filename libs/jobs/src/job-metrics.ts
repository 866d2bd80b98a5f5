import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The states whose size `faultline_job_queue_depth` reports; `failed` is the dead-letter set. */
export const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type DepthState = (typeof DEPTH_STATES)[number];
export type QueueDepth = Readonly<Record<DepthState, number>>;

/** How a failed attempt ended: tried again later, or the job is now a dead letter. */
export type FailureOutcome = 'retrying' | 'dead_lettered';

/** What the depth gauge reads at scrape time: a queue's counts, or undefined when Redis did not answer in time. */
export type DepthSource = () => Promise<{ readonly queue: string; readonly depth: QueueDepth | undefined }>;

/** The jobs metrics on one registry, shared by every queue and worker registered on it. */
export interface JobMetrics {
  readonly depth: Gauge<'queue' | 'state'>;
  readonly enqueued: Counter<'queue'>;
  readonly completed: Counter<'queue'>;
  readonly failed: Counter<'queue' | 'outcome'>;
  readonly stalled: Counter<'queue'>;
  /** Enqueue → completed (the job's timestamp, set by the producer, to the completion). */
  readonly latency: Histogram<'queue'>;
  /** The last attempt's processing time (picked up → completed). */
  readonly processing: Histogram<'queue'>;
  /** Sources the depth gauge reads at scrape time; a queue adds its own and removes it on close. */
  readonly depthSources: Set<DepthSource>;
  /** Zero series for a queue, so rates and ratios exist before the first event. */
  declare(queue: string): void;
}

const byRegistry = new WeakMap<Registry, JobMetrics>();

function metric<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * `faultline_job_queue_depth{queue,state}` (read from Redis at scrape time; no series for a queue whose
 * Redis did not answer), `faultline_jobs_enqueued_total`, `faultline_jobs_completed_total`,
 * `faultline_job_failures_total{outcome}`, `faultline_jobs_stalled_total`,
 * `faultline_job_latency_seconds` (enqueue → completed) and `faultline_job_processing_seconds`.
 */
export function jobMetrics(registry: Registry): JobMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const depthSources = new Set<DepthSource>();
  const depth = metric(registry, 'faultline_job_queue_depth', () =>
    new Gauge({
      name: 'faultline_job_queue_depth',
      help: 'Jobs per queue and state, read from Redis at scrape time: waiting, active, delayed (retry backoff) and failed (the dead letters).',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        const samples = await Promise.all([...depthSources].map((source) => source()));
        this.reset();
        for (const { queue, depth: counts } of samples) {
          if (!counts) continue;
          for (const state of DEPTH_STATES) this.set({ queue, state }, counts[state]);
        }
      },
    }),
  );
  const metrics: JobMetrics = {
    depth,
    enqueued: metric(registry, 'faultline_jobs_enqueued_total', () =>
      new Counter({
        name: 'faultline_jobs_enqueued_total',
        help: 'Enqueue calls that Redis acknowledged, per queue (a duplicate of a job still kept adds nothing but is counted).',
        labelNames: ['queue'] as const,
        registers,
      }),
    ),
    completed: metric(registry, 'faultline_jobs_completed_total', () =>
      new Counter({ name: 'faultline_jobs_completed_total', help: 'Jobs completed by this instance, per queue.', labelNames: ['queue'] as const, registers }),
    ),
    failed: metric(registry, 'faultline_job_failures_total', () =>
      new Counter({
        name: 'faultline_job_failures_total',
        help: 'Failed job attempts in this instance, per queue and outcome: retrying (after a backoff) or dead_lettered (no attempts left, or a permanent error).',
        labelNames: ['queue', 'outcome'] as const,
        registers,
      }),
    ),
    stalled: metric(registry, 'faultline_jobs_stalled_total', () =>
      new Counter({
        name: 'faultline_jobs_stalled_total',
        help: "Jobs this instance's stalled-job check found without a live worker (lock expired) and handed out again, per queue.",
        labelNames: ['queue'] as const,
        registers,
      }),
    ),
    latency: metric(registry, 'faultline_job_latency_seconds', () =>
      new Histogram({
        name: 'faultline_job_latency_seconds',
        help: 'Time from enqueue to completion, retries and backoff included, per queue.',
        labelNames: ['queue'] as const,
        buckets: LATENCY_BUCKETS,
        registers,
      }),
    ),
    processing: metric(registry, 'faultline_job_processing_seconds', () =>
      new Histogram({
        name: 'faultline_job_processing_seconds',
        help: "Time the completing attempt took, from pick-up to completion, per queue.",
        labelNames: ['queue'] as const,
        buckets: LATENCY_BUCKETS,
        registers,
      }),
    ),
    depthSources,
    declare(queue) {
      metrics.enqueued.inc({ queue }, 0);
      metrics.completed.inc({ queue }, 0);
      metrics.stalled.inc({ queue }, 0);
      for (const outcome of ['retrying', 'dead_lettered'] as const) metrics.failed.inc({ queue, outcome }, 0);
    },
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
