import { Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Query, ServiceUnavailableException } from '@nestjs/common';
import type { DeadLetter, JobQueue, QueueDepth } from '#libs/jobs';
import type { WorkerQueues } from './job-enqueuer.js';
import { WORKER_QUEUES } from './worker-jobs.options.js';

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The queues as operators see them: `GET /jobs` (depth per state), `GET /jobs/dead-letters` (the failed
 * jobs with their errors) and `POST /jobs/dead-letters/:queue/:jobId/retry` (a fresh set of attempts).
 * 503 when Redis does not answer within a second.
 */
@Controller('jobs')
export class JobsController {
  private readonly byName: ReadonlyMap<string, JobQueue<unknown>>;

  constructor(@Inject(WORKER_QUEUES) queues: WorkerQueues) {
    this.byName = new Map<string, JobQueue<unknown>>([
      [queues.thumbnails.name, queues.thumbnails as JobQueue<unknown>],
      [queues.welcome.name, queues.welcome as JobQueue<unknown>],
    ]);
  }

  @Get()
  @Header('cache-control', 'no-store')
  async overview(): Promise<{ queues: { name: string; depth: QueueDepth }[] }> {
    return this.redis(async () => ({
      queues: await Promise.all([...this.byName.values()].map(async (queue) => ({ name: queue.name, depth: await queue.depth() }))),
    }));
  }

  @Get('dead-letters')
  @Header('cache-control', 'no-store')
  async deadLetters(@Query('queue') queue?: string, @Query('start') start?: string, @Query('count') count?: string): Promise<{ deadLetters: DeadLetter[] }> {
    const queues = queue === undefined ? [...this.byName.values()] : [this.queue(queue)];
    const from = Math.max(0, Number.parseInt(start ?? '0', 10) || 0);
    const size = Math.min(500, Math.max(1, Number.parseInt(count ?? '50', 10) || 50));
    return this.redis(async () => ({ deadLetters: (await Promise.all(queues.map((q) => q.listDeadLetters(from, size)))).flat() }));
  }

  @Post('dead-letters/:queue/:jobId/retry')
  @HttpCode(202)
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string): Promise<{ queue: string; jobId: string; retried: true }> {
    const target = this.queue(queue);
    const retried = await this.redis(() => target.retryDeadLetter(jobId));
    if (!retried) throw new NotFoundException(`no dead letter ${jobId} on ${queue}`);
    return { queue, jobId, retried };
  }

  private queue(name: string): JobQueue<unknown> {
    const queue = this.byName.get(name);
    if (!queue) throw new NotFoundException(`no queue ${name}; the queues are ${[...this.byName.keys()].join(', ')}`);
    return queue;
  }

  private async redis<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new ServiceUnavailableException(`the job queues cannot be read: ${describe(error)}`);
    }
  }
}
