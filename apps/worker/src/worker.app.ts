import type { WorkerConfig } from '#libs/config';
import { createHttpApp } from '#libs/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { WorkerJobsOptions } from './jobs/worker-jobs.options.js';
import { WorkerModule } from './worker.module.js';

/**
 * HTTP for health, metrics and the job queues (`/jobs`). Events become jobs through
 * `app.get(JobEnqueuer).enqueueForEvent(event)`.
 */
export function createWorkerApp(config: WorkerConfig, overrides: Partial<WorkerJobsOptions> = {}): Promise<NestFastifyApplication> {
  return createHttpApp(WorkerModule.forRoot(config, overrides));
}
