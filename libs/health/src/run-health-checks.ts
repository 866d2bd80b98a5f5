import { performance } from 'node:perf_hooks';
import { describeError } from './describe-error.js';
import type { HealthCheck, HealthDetails } from './health-check.js';
import type { CheckResult, HealthReport } from './health-report.js';
import { HealthCheckTimeoutError, isDependencyUnavailableError } from './health.errors.js';

/** Runs every check in parallel, each cut off after `timeoutMs`, so a report never takes longer. */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs: number): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runHealthCheck(check, timeoutMs)));
  return {
    status: results.every((result) => result.ok) ? 'ok' : 'error',
    checks: Object.fromEntries(checks.map((check, index) => [check.name, results[index]!])),
  };
}

const roundMs = (ms: number) => Math.round(ms * 100) / 100;

export async function runHealthCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new HealthCheckTimeoutError(check.name, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const details: HealthDetails = (await Promise.race([check.run({ signal: controller.signal, timeoutMs }), timedOut])) ?? {};
    return { ok: true, latencyMs: roundMs(performance.now() - started), ...details };
  } catch (error) {
    const { message, code } = describeError(error);
    const details = isDependencyUnavailableError(error) ? error.details : {};
    return { ok: false, latencyMs: roundMs(performance.now() - started), error: message, ...(code ? { code } : {}), ...details };
  } finally {
    clearTimeout(timer);
  }
}
