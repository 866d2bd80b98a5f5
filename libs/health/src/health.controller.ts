import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { HealthReport } from './health-report.js';
import { HealthService } from './health.service.js';

/**
 * `GET /health`: readiness, every dependency checked for real (200 or 503 with the failing checks).
 * `GET /health/live`: liveness, 200 while the process can answer at all; it checks nothing, so
 * a dead dependency never gets a healthy process restarted.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Header('cache-control', 'no-store')
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get()
  @Header('cache-control', 'no-store')
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.readiness();
    reply.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
