import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import type { HealthCheck } from './health-check.js';
import type { HealthReport } from './health-report.js';
import { HEALTH_CHECKS, HEALTH_OPTIONS, type HealthOptions } from './health.tokens.js';
import { runHealthChecks } from './run-health-checks.js';

/** Runs the instance's checks and mirrors each outcome in `health_check_up{check}`. */
@Injectable()
export class HealthService implements OnApplicationShutdown {
  private readonly up: Gauge<'check'>;

  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: readonly HealthCheck[],
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    registry: Registry,
  ) {
    this.up = new Gauge({
      name: 'health_check_up',
      help: 'Outcome of the latest readiness check of each dependency: 1 ok, 0 failed.',
      labelNames: ['check'],
      registers: [registry],
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.checks.map((check) => check.close?.()));
  }

  async readiness(): Promise<HealthReport> {
    const report = await runHealthChecks(this.checks, this.options.timeoutMs);
    for (const [check, result] of Object.entries(report.checks)) this.up.set({ check }, result.ok ? 1 : 0);
    return report;
  }
}
