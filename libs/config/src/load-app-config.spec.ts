import { describe, expect, it } from '@jest/globals';
import { ConfigError, type ConfigIssue, isConfigError } from './config.error.js';
import { type Env, loadAppConfig } from './load-app-config.js';

const shards = JSON.stringify([
  {
    id: 0,
    nodes: [
      { name: 'shard0-a', url: 'postgres://app@127.0.0.1:15432/app' },
      { name: 'shard0-b', url: 'postgres://app@127.0.0.1:15433/app' },
    ],
    monitorUrl: 'postgres://autoctl_node@127.0.0.1:15431/pg_auto_failover',
    formation: 'shard0',
  },
  { id: 1, nodes: [{ name: 'shard1-a', url: 'postgresql://app@127.0.0.1:15434/app' }] },
]);

/** A complete environment, valid for every app. */
const fullEnv = (overrides: Env = {}): Env => ({
  FAULTLINE_APP: 'user',
  FAULTLINE_INSTANCE_ID: 'dc-a.user-1',
  FAULTLINE_DC: 'dc-a',
  FAULTLINE_HTTP_PORT: '18080',
  FAULTLINE_REDIS_URL: 'redis://127.0.0.1:16379',
  FAULTLINE_NATS_SERVERS: 'nats://127.0.0.1:14222, nats://127.0.0.1:14223',
  FAULTLINE_SHARDS: shards,
  FAULTLINE_SESSION_SECRET: 'a-session-secret-of-32-characters!',
  ...overrides,
});

/** The issues `loadAppConfig` rejects `env` with. */
function issuesOf(env: Env, ...expected: ['gateway'?]): readonly ConfigIssue[] {
  try {
    loadAppConfig(env, ...(expected as []));
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAppConfig', () => {
  describe('given a complete environment', () => {
    it('returns the typed config of the app it names, with defaults for host and log level', () => {
      const config = loadAppConfig(fullEnv());

      expect(config).toEqual({
        app: 'user',
        instanceId: 'dc-a.user-1',
        dc: 'dc-a',
        http: { host: '127.0.0.1', port: 18080 },
        logLevel: 'info',
        redis: { url: 'redis://127.0.0.1:16379' },
        nats: { servers: ['nats://127.0.0.1:14222', 'nats://127.0.0.1:14223'] },
        shards: [
          {
            id: 0,
            nodes: [
              { name: 'shard0-a', url: 'postgres://app@127.0.0.1:15432/app' },
              { name: 'shard0-b', url: 'postgres://app@127.0.0.1:15433/app' },
            ],
            monitorUrl: 'postgres://autoctl_node@127.0.0.1:15431/pg_auto_failover',
            formation: 'shard0',
          },
          { id: 1, nodes: [{ name: 'shard1-a', url: 'postgresql://app@127.0.0.1:15434/app' }] },
        ],
      });
    });

    it('keeps only the dependencies the app uses', () => {
      expect(Object.keys(loadAppConfig(fullEnv({ FAULTLINE_APP: 'gateway' })))).not.toContain('shards');
      expect(Object.keys(loadAppConfig(fullEnv({ FAULTLINE_APP: 'media' })))).not.toContain('redis');
      expect(loadAppConfig(fullEnv({ FAULTLINE_APP: 'worker' }))).toMatchObject({ app: 'worker', redis: {}, nats: {}, shards: [{}, {}] });
    });

    it('takes explicit host, log level and port 0 (any free port)', () => {
      const config = loadAppConfig(fullEnv({ FAULTLINE_HTTP_HOST: '0.0.0.0', FAULTLINE_LOG_LEVEL: 'debug', FAULTLINE_HTTP_PORT: '0' }));

      expect(config.http).toEqual({ host: '0.0.0.0', port: 0 });
      expect(config.logLevel).toBe('debug');
    });

    it('treats an empty variable as unset', () => {
      expect(loadAppConfig(fullEnv({ FAULTLINE_HTTP_HOST: '' })).http.host).toBe('127.0.0.1');
    });
  });

  describe('given an entry point that knows its app', () => {
    it('does not need FAULTLINE_APP', () => {
      expect(loadAppConfig(fullEnv({ FAULTLINE_APP: undefined }), 'gateway').app).toBe('gateway');
    });

    it('refuses a FAULTLINE_APP naming another app', () => {
      expect(issuesOf(fullEnv({ FAULTLINE_APP: 'user' }), 'gateway')).toEqual([
        { variable: 'FAULTLINE_APP', reason: 'is "user", but this is the gateway entry point' },
      ]);
    });
  });

  describe('given a bad environment', () => {
    it('throws a ConfigError whose message names the variable and the reason', () => {
      const attempt = () => loadAppConfig(fullEnv({ FAULTLINE_HTTP_PORT: undefined }));

      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow('FAULTLINE_HTTP_PORT: is required');
    });

    it('carries a code and is recognised by its guard', () => {
      let caught: unknown;
      try {
        loadAppConfig({});
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught)).toBe(true);
      expect((caught as ConfigError).code).toBe('CONFIG_INVALID');
      expect(isConfigError(new Error('FAULTLINE_APP'))).toBe(false);
    });

    it.each([
      ['FAULTLINE_APP', undefined, 'is required'],
      ['FAULTLINE_APP', 'frontend', 'must be one of gateway, user, media, worker'],
      ['FAULTLINE_INSTANCE_ID', undefined, 'is required'],
      ['FAULTLINE_INSTANCE_ID', 'dc a/user 1', 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'],
      ['FAULTLINE_DC', undefined, 'is required'],
      ['FAULTLINE_HTTP_PORT', 'http', 'must be an integer between 0 and 65535'],
      ['FAULTLINE_HTTP_PORT', '65536', 'must be an integer between 0 and 65535'],
      ['FAULTLINE_HTTP_PORT', '-1', 'must be an integer between 0 and 65535'],
      ['FAULTLINE_LOG_LEVEL', 'loud', 'must be one of fatal, error, warn, info, debug, trace, silent'],
      ['FAULTLINE_REDIS_URL', undefined, 'is required (the user service uses redis)'],
      ['FAULTLINE_REDIS_URL', 'http://127.0.0.1:6379', 'must be a URL like redis://127.0.0.1:6379'],
      ['FAULTLINE_NATS_SERVERS', undefined, 'is required (the user service uses nats)'],
      ['FAULTLINE_NATS_SERVERS', ' , ', 'must list at least one nats:// URL'],
      ['FAULTLINE_SHARDS', undefined, 'is required (the user service uses postgres)'],
      ['FAULTLINE_SHARDS', '[{"id":0,', expect.stringMatching(/^must be valid JSON \(.+\)$/)],
      ['FAULTLINE_SHARDS', '{"id":0}', 'must be a JSON array of shards'],
      ['FAULTLINE_SHARDS', '[]', 'must list at least one shard'],
    ])('%s=%j → "%s"', (variable, value, reason) => {
      expect(issuesOf(fullEnv({ [variable]: value }))).toEqual([{ variable, reason }]);
    });

    it('points into lists and JSON values', () => {
      const badShards = JSON.stringify([
        { id: 0, nodes: [{ name: 'shard0-a', url: 'mysql://127.0.0.1/app' }] },
        { id: 0, nodes: [], formation: 'shard 1' },
        { nodes: [{ name: 'shard0-a', url: 'postgres://127.0.0.1/app' }] },
      ]);

      expect(issuesOf(fullEnv({ FAULTLINE_NATS_SERVERS: 'nats://127.0.0.1:4222,127.0.0.1:4223', FAULTLINE_SHARDS: badShards }))).toEqual([
        { variable: 'FAULTLINE_NATS_SERVERS[1]', reason: 'must be a URL like nats://127.0.0.1:4222' },
        { variable: 'FAULTLINE_SHARDS[0].nodes[0].url', reason: 'must be a URL like postgres://user@127.0.0.1:5432/app' },
        { variable: 'FAULTLINE_SHARDS[1].nodes', reason: 'must list at least one node' },
        {
          variable: 'FAULTLINE_SHARDS[1].formation',
          reason: 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
        },
        { variable: 'FAULTLINE_SHARDS[2].id', reason: 'is required' },
      ]);
    });

    it('refuses duplicate shard ids and node names', () => {
      const duplicates = JSON.stringify([
        { id: 0, nodes: [{ name: 'shard0-a', url: 'postgres://127.0.0.1/app' }] },
        { id: 0, nodes: [{ name: 'shard0-a', url: 'postgres://127.0.0.1:5433/app' }] },
      ]);

      expect(issuesOf(fullEnv({ FAULTLINE_SHARDS: duplicates }))).toEqual([
        { variable: 'FAULTLINE_SHARDS[1].id', reason: 'duplicates shard id 0' },
        { variable: 'FAULTLINE_SHARDS[1].nodes[0].name', reason: 'duplicates node name "shard0-a"' },
      ]);
    });

    it('reports every problem at once', () => {
      expect(issuesOf({ FAULTLINE_APP: 'gateway', FAULTLINE_HTTP_PORT: 'x' }).map((issue) => issue.variable)).toEqual([
        'FAULTLINE_REDIS_URL',
        'FAULTLINE_NATS_SERVERS',
        'FAULTLINE_SESSION_SECRET',
        'FAULTLINE_INSTANCE_ID',
        'FAULTLINE_DC',
        'FAULTLINE_HTTP_PORT',
      ]);
    });

    it('ignores a variable the app does not use, even a malformed one', () => {
      expect(loadAppConfig(fullEnv({ FAULTLINE_APP: 'gateway', FAULTLINE_SHARDS: 'not json' })).app).toBe('gateway');
    });

    it('never echoes a value, which may hold a password', () => {
      const attempt = () => loadAppConfig(fullEnv({ FAULTLINE_REDIS_URL: 'http://:s3cret@127.0.0.1:6379' }));

      expect(attempt).toThrow(ConfigError);
      expect(attempt).not.toThrow(/s3cret/);
    });
  });
});
