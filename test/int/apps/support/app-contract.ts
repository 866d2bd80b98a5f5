import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppConfigOf, AppName, Dependency } from '#libs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { boot, closedEndpoints, describeWithServers, type Endpoints, realEndpoints, type RunningApp } from './app-under-test.js';
import { closedPort, probeRealServers } from './services.js';

export interface AppContract<A extends AppName> {
  readonly app: A;
  readonly create: (config: AppConfigOf<A>) => Promise<NestFastifyApplication>;
  readonly dependencies: readonly Dependency[];
  /** The check names `GET /health` must report, in the order the app declares them. */
  readonly checks: readonly string[];
}

interface HealthBody {
  status: string;
  checks: Record<string, { ok: boolean; latencyMs: number; error?: string }>;
}

const checkOf = (dependency: Dependency) => (dependency === 'postgres' ? 'postgres:shard0' : dependency);

/** Only the endpoints of the app's dependencies, so the env looks like the runner's for that app. */
const pick = (endpoints: Required<Endpoints>, dependencies: readonly Dependency[]): Endpoints => ({
  ...(dependencies.includes('redis') ? { redis: endpoints.redis } : {}),
  ...(dependencies.includes('nats') ? { nats: endpoints.nats } : {}),
  ...(dependencies.includes('postgres') ? { shards: endpoints.shards } : {}),
});

/**
 * What every app must do, booted in-process against real servers and against closed ports:
 * /health, /health/live, /metrics and request ids.
 */
export async function describeAppContract<A extends AppName>(contract: AppContract<A>): Promise<void> {
  const available = await probeRealServers();
  const deadPort = await closedPort();

  describeWithServers(available, contract.dependencies)(`${contract.app} against real servers`, () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await boot(contract.app, contract.create, pick(realEndpoints, contract.dependencies));
    });
    afterAll(() => running?.close());

    it('GET /health is 200 with every check ok', async () => {
      const response = await running.get('/health');
      const body = (await response.json()) as HealthBody;

      expect({ status: response.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
      expect(Object.keys(body.checks)).toEqual(contract.checks);
      for (const check of contract.checks) {
        expect({ check, ...body.checks[check] }).toMatchObject({ check, ok: true, latencyMs: expect.any(Number) });
      }
    });

    it('echoes an incoming x-request-id and makes one up otherwise', async () => {
      const given = await running.get('/health/live', { 'x-request-id': `it-${contract.app}-42` });
      const generated = await running.get('/health/live');

      expect(given.headers.get('x-request-id')).toBe(`it-${contract.app}-42`);
      expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('GET /metrics counts requests per route, labelled with app, instance and dc', async () => {
      await running.get('/health/live');
      await running.get('/no/such/route');
      const response = await running.get('/metrics');
      const text = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const labels = `app="${contract.app}",instance="dc-t.${contract.app}-1",dc="dc-t"`;
      expect(text).toContain(`http_requests_total{route="/health/live",method="GET",status="200",${labels}}`);
      expect(text).toContain(`http_requests_total{route="unmatched",method="GET",status="404",${labels}}`);
      expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="[^"]+",app=.*route="\/health\/live"/m);
      expect(text).toContain(`process_cpu_seconds_total{${labels}}`);
      expect(text).toContain(`health_check_up{check="${contract.checks[0]}",${labels}} 1`);
    });
  });

  describe(`${contract.app} with every dependency on a closed port`, () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await boot(contract.app, contract.create, pick(closedEndpoints(deadPort), contract.dependencies));
    });
    afterAll(() => running?.close());

    it('starts anyway: GET /health/live is 200', async () => {
      expect((await running.get('/health/live')).status).toBe(200);
    });

    it('GET /health is 503 naming every failing check and its error', async () => {
      const response = await running.get('/health');
      const body = (await response.json()) as HealthBody;

      expect({ status: response.status, body: body.status }).toEqual({ status: 503, body: 'error' });
      expect(Object.keys(body.checks)).toEqual(contract.checks);
      for (const check of contract.checks) {
        expect({ check, ...body.checks[check] }).toMatchObject({ check, ok: false, error: expect.stringMatching(/\S/) });
      }
    });
  });

  for (const dead of contract.dependencies) {
    const others = contract.dependencies.filter((dependency) => dependency !== dead);
    describeWithServers(available, others)(`${contract.app} with only ${dead} on a closed port`, () => {
      let running: RunningApp;
      beforeAll(async () => {
        const endpoints = { ...pick(realEndpoints, others), ...pick(closedEndpoints(deadPort), [dead]) };
        running = await boot(contract.app, contract.create, endpoints);
      });
      afterAll(() => running?.close());

      it(`GET /health is 503 naming ${checkOf(dead)} only`, async () => {
        const response = await running.get('/health');
        const body = (await response.json()) as HealthBody;

        expect(response.status).toBe(503);
        const failing = Object.entries(body.checks).filter(([, result]) => !result.ok);
        expect(failing.map(([name]) => name)).toEqual([checkOf(dead)]);
        expect(failing[0]![1].error).toMatch(/\S/);
      });
    });
  }
}
