import { describe, expect, it } from '@jest/globals';
import type { AppConfig } from './app.config.js';
import { toAppEnv } from './app-env.js';
import { loadAppConfig } from './load-app-config.js';

const base = { instanceId: 'dc-b.worker-2', dc: 'dc-b', http: { host: '127.0.0.1', port: 25081 }, logLevel: 'debug' } as const;
const nats = { servers: ['nats://127.0.0.1:24222', 'nats://127.0.0.1:24223'] };
const shards = [
  {
    id: 0,
    nodes: [{ name: 'shard0-a', url: 'postgres://app@127.0.0.1:25432/app' }],
    monitorUrl: 'postgres://autoctl_node@127.0.0.1:25431/pg_auto_failover',
    formation: 'shard0',
  },
  { id: 1, nodes: [{ name: 'shard1-a', url: 'postgres://app@127.0.0.1:25442/app' }] },
];

describe('toAppEnv', () => {
  it.each<AppConfig>([
    { app: 'gateway', ...base, redis: { url: 'redis://127.0.0.1:26379' }, nats, api: { rateLimitPerSecond: 50, sessionTtlSeconds: 600, sessionSecret: 's'.repeat(32) } },
    { app: 'user', ...base, shards, redis: { url: 'redis://127.0.0.1:26379' }, nats },
    { app: 'media', ...base, shards, nats },
    { app: 'worker', ...base, redis: { url: 'redis://127.0.0.1:26379' }, nats, shards },
  ])('gives the environment loadAppConfig reads back as the same $app config', (config) => {
    expect(loadAppConfig(toAppEnv(config))).toEqual(config);
  });

  it('sets only the variables the app uses', () => {
    expect(Object.keys(toAppEnv({ app: 'media', ...base, shards, nats }))).not.toContain('FAULTLINE_REDIS_URL');
  });
});
