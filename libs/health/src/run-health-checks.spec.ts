import { describe, expect, it } from '@jest/globals';
import type { HealthCheck, HealthCheckContext } from './health-check.js';
import { DependencyUnavailableError } from './health.errors.js';
import { runHealthChecks } from './run-health-checks.js';

const passing = (name: string, details?: Record<string, unknown>): HealthCheck => ({ name, run: async () => details });
const failing = (name: string, error: unknown): HealthCheck => ({
  name,
  run: async () => {
    throw error;
  },
});

describe('runHealthChecks', () => {
  it('is ok when every check passes, with each latency and details', async () => {
    const report = await runHealthChecks([passing('redis'), passing('nats', { server: '127.0.0.1:4222' })], 200);

    expect(report.status).toBe('ok');
    expect(report.checks).toEqual({
      redis: { ok: true, latencyMs: expect.any(Number) },
      nats: { ok: true, latencyMs: expect.any(Number), server: '127.0.0.1:4222' },
    });
  });

  it('is ok with no checks at all', async () => {
    expect(await runHealthChecks([], 200)).toEqual({ status: 'ok', checks: {} });
  });

  it('names the failing check with its error and code', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });

    const report = await runHealthChecks([failing('redis', refused), passing('nats')], 200);

    expect(report.status).toBe('error');
    expect(report.checks['redis']).toEqual({
      ok: false,
      latencyMs: expect.any(Number),
      error: 'connect ECONNREFUSED 127.0.0.1:6379',
      code: 'ECONNREFUSED',
    });
    expect(report.checks['nats']?.ok).toBe(true);
  });

  it('reports the details a DependencyUnavailableError carries', async () => {
    const nodes = { 'shard0-a': { ok: false, error: 'connect ECONNREFUSED' } };

    const report = await runHealthChecks([failing('postgres:shard0', new DependencyUnavailableError('no node answered', { nodes }))], 200);

    expect(report.checks['postgres:shard0']).toMatchObject({ ok: false, error: 'no node answered', code: 'DEPENDENCY_UNAVAILABLE', nodes });
  });

  it('describes errors without a message: AggregateError of refused addresses, plain strings', async () => {
    const aggregate = new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:6379'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    ]);

    const report = await runHealthChecks([failing('redis', aggregate), failing('nats', 'Connection lost')], 200);

    expect(report.checks['redis']).toMatchObject({
      error: 'connect ECONNREFUSED ::1:6379; connect ECONNREFUSED 127.0.0.1:6379',
      code: 'ECONNREFUSED',
    });
    expect(report.checks['nats']).toMatchObject({ error: 'Connection lost' });
  });

  it('cuts a hanging check off at the timeout and aborts what it waits on', async () => {
    let seen: HealthCheckContext | undefined;
    const hanging: HealthCheck = {
      name: 'postgres:shard0',
      run: (context) => {
        seen = context;
        return new Promise(() => undefined);
      },
    };
    const started = Date.now();

    const report = await runHealthChecks([hanging, passing('redis')], 50);

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report.status).toBe('error');
    expect(report.checks['postgres:shard0']).toMatchObject({ ok: false, error: 'no answer within 50 ms', code: 'HEALTH_CHECK_TIMEOUT' });
    expect(seen?.timeoutMs).toBe(50);
    expect(seen?.signal.aborted).toBe(true);
  });
});
