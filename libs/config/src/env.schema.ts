import { z } from 'zod';
import { appNames } from './app-name.js';
import { DEFAULT_API_CONFIG, logLevels } from './app.config.js';

/**
 * One zod schema per environment variable. The loader parses an object keyed by the variables'
 * own names, so every issue's path starts with the variable it is about.
 */

const join = (values: readonly string[]) => values.join(', ');

/** A string value; a missing one is reported as "is required" rather than as a type error. */
const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

const integer = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) }).int(`must be ${what}`);

/** True when `value` parses as a URL with one of `protocols` and a host. */
function isUrlWith(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

// Values are never echoed in messages: URLs may carry passwords.
const url = (protocols: readonly string[], example: string) =>
  text(`a URL like ${example}`).trim().refine((value) => isUrlWith(value, protocols), `must be a URL like ${example}`);

/** Ids end up in metric labels, log lines and NATS connection names: keep them plain. */
const identifier = text('an identifier').regex(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
);

export const appSchema = z.enum(appNames, { error: () => `must be one of ${join(appNames)}` });

const httpPort = text('an integer between 0 and 65535')
  .trim()
  .regex(/^\d{1,5}$/, 'must be an integer between 0 and 65535')
  .transform(Number)
  .refine((port) => port <= 65535, 'must be an integer between 0 and 65535');

const positiveInteger = text('a positive integer')
  .trim()
  .regex(/^[1-9]\d{0,8}$/, 'must be a positive integer')
  .transform(Number);

const redisUrl = url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379');

const natsServers = text('a comma-separated list of nats:// URLs')
  .transform((value) =>
    value
      .split(',')
      .map((server) => server.trim())
      .filter((server) => server !== ''),
  )
  .pipe(z.array(url(['nats:', 'tls:'], 'nats://127.0.0.1:4222')).min(1, 'must list at least one nats:// URL'));

const postgresUrl = (example: string) => url(['postgres:', 'postgresql:'], example);

const shardNode = z.object(
  {
    name: identifier,
    url: postgresUrl('postgres://user@127.0.0.1:5432/app'),
    dc: identifier.optional(),
  },
  { error: 'must be an object { name, url, dc? }' },
);

const shard = z.object(
  {
    id: integer('a non-negative integer').nonnegative('must be a non-negative integer'),
    nodes: z.array(shardNode, { error: 'must be an array of nodes' }).min(1, 'must list at least one node'),
    monitorUrl: postgresUrl('postgres://autoctl_node@127.0.0.1:5431/pg_auto_failover').optional(),
    formation: identifier.optional(),
  },
  { error: 'must be an object { id, nodes, monitorUrl?, formation? }' },
);

const shards = z
  .array(shard, { error: 'must be a JSON array of shards' })
  .min(1, 'must list at least one shard')
  .superRefine((list, ctx) => {
    // Shard routing hashes over the ids and health checks are named after them: both must be unique.
    const ids = new Set<number>();
    const nodeNames = new Set<string>();
    list.forEach((entry, index) => {
      if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicates shard id ${entry.id}` });
      ids.add(entry.id);
      entry.nodes.forEach((node, nodeIndex) => {
        if (nodeNames.has(node.name)) {
          ctx.addIssue({ code: 'custom', path: [index, 'nodes', nodeIndex, 'name'], message: `duplicates node name "${node.name}"` });
        }
        nodeNames.add(node.name);
      });
    });
  });

const shardsJson = text('a JSON array of shards')
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be valid JSON (${(error as Error).message})` });
      return z.NEVER;
    }
  })
  .pipe(shards);

/**
 * Every variable the services read. Dependency variables are optional here: which of them an
 * instance needs depends on `FAULTLINE_APP`, and the loader checks that (see `appDependencies`).
 */
export const envSchema = z.object({
  FAULTLINE_INSTANCE_ID: identifier,
  FAULTLINE_DC: identifier,
  FAULTLINE_HTTP_HOST: text('a host name or IP address').trim().default('127.0.0.1'),
  FAULTLINE_HTTP_PORT: httpPort,
  FAULTLINE_LOG_LEVEL: z.enum(logLevels, { error: () => `must be one of ${join(logLevels)}` }).default('info'),
  FAULTLINE_REDIS_URL: redisUrl.optional(),
  FAULTLINE_NATS_SERVERS: natsServers.optional(),
  FAULTLINE_SHARDS: shardsJson.optional(),
  FAULTLINE_RATE_LIMIT_PER_SECOND: positiveInteger.default(DEFAULT_API_CONFIG.rateLimitPerSecond),
  FAULTLINE_SESSION_TTL_SECONDS: positiveInteger.default(DEFAULT_API_CONFIG.sessionTtlSeconds),
  // Never echoed: a secret. Shared by every gateway of the lab, so any of them verifies any session token.
  FAULTLINE_SESSION_SECRET: text('a secret of at least 32 characters').min(32, 'must be at least 32 characters').optional(),
});

export type EnvVariable = keyof typeof envSchema.shape | 'FAULTLINE_APP';
