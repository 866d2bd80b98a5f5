import { describe } from '@jest/globals';
import { type AppConfigOf, type AppName, type Dependency, type Env, loadAppConfig } from '#libs/config';
import { startHttpApp } from '#libs/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { realServers } from './services.js';

/** Where each dependency of the app under test is: a URL (Redis, NATS) or shard nodes' URLs. */
export interface Endpoints {
  readonly redis?: string;
  readonly nats?: string;
  /** Node URLs per shard, shard id = index. */
  readonly shards?: readonly (readonly string[])[];
}

export const realEndpoints: Required<Endpoints> = {
  redis: realServers.redis.url,
  nats: realServers.nats.url,
  shards: [[realServers.postgres.url]],
};

/** Endpoints with every dependency on `port`, where nothing listens. */
export const closedEndpoints = (port: number): Required<Endpoints> => ({
  redis: `redis://127.0.0.1:${port}`,
  nats: `nats://127.0.0.1:${port}`,
  shards: [[`postgres://postgres@127.0.0.1:${port}/postgres`]],
});

/** The environment the runner would give an instance of `app`, on port 0 and silent. */
export function appEnv(app: AppName, endpoints: Endpoints): Env {
  return {
    FAULTLINE_APP: app,
    FAULTLINE_INSTANCE_ID: `dc-t.${app}-1`,
    FAULTLINE_DC: 'dc-t',
    FAULTLINE_HTTP_HOST: '127.0.0.1',
    FAULTLINE_HTTP_PORT: '0',
    FAULTLINE_LOG_LEVEL: 'silent',
    FAULTLINE_SESSION_SECRET: 'test-session-secret-of-at-least-32-chars',
    FAULTLINE_REDIS_URL: endpoints.redis,
    FAULTLINE_NATS_SERVERS: endpoints.nats,
    FAULTLINE_SHARDS:
      endpoints.shards &&
      JSON.stringify(
        endpoints.shards.map((urls, id) => ({ id, nodes: urls.map((url, index) => ({ name: `shard${id}-${'abc'[index]}`, url })) })),
      ),
  };
}

export interface RunningApp {
  readonly url: string;
  readonly app: NestFastifyApplication;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Boots `app` in-process through its module (as `main.ts` does, minus the signal handlers) on a free port. */
export async function boot<A extends AppName>(
  app: A,
  create: (config: AppConfigOf<A>) => Promise<NestFastifyApplication>,
  endpoints: Endpoints,
): Promise<RunningApp> {
  const config = loadAppConfig(appEnv(app, endpoints), app);
  const nest = await create(config);
  const url = await startHttpApp(nest, config.http);
  return {
    url,
    app: nest,
    get: (path, headers) => fetch(`${url}${path}`, { headers }),
    close: () => nest.close(),
  };
}

/** `describe`, or `describe.skip` with the reason in its title when a real server is missing. */
export function describeWithServers(available: Record<Dependency, boolean>, needs: readonly Dependency[]) {
  const missing = needs.filter((dependency) => !available[dependency]).map((dependency) => realServers[dependency].label);
  if (missing.length === 0) return describe;
  const reason = `skipped: ${missing.join(', ')} not reachable`;
  return ((name: string, fn: () => void) => {
    console.warn(`${name}: ${reason}`);
    describe.skip(`${name} (${reason})`, fn);
  }) as typeof describe;
}
