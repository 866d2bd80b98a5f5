import type { WorkerConfig } from '#libs/config';
import { createHttpApp } from '#libs/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WorkerModule } from './worker.module.js';

/** HTTP for health and metrics only, for now. */
export function createWorkerApp(config: WorkerConfig): Promise<NestFastifyApplication> {
  return createHttpApp(WorkerModule.forRoot(config));
}
