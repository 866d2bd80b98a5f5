import type { z } from 'zod';
import { appDependencies, type AppName, type Dependency } from './app-name.js';
import type { AppConfig, AppConfigOf } from './app.config.js';
import { ConfigError, type ConfigIssue } from './config.error.js';
import { appSchema, envSchema, type EnvVariable } from './env.schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

const dependencyVariable: { readonly [D in Dependency]: EnvVariable } = {
  redis: 'FAULTLINE_REDIS_URL',
  nats: 'FAULTLINE_NATS_SERVERS',
  postgres: 'FAULTLINE_SHARDS',
};

const baseVariables = [
  'FAULTLINE_INSTANCE_ID',
  'FAULTLINE_DC',
  'FAULTLINE_HTTP_HOST',
  'FAULTLINE_HTTP_PORT',
  'FAULTLINE_LOG_LEVEL',
] as const satisfies readonly EnvVariable[];

/** Variables only one app reads (all optional, with defaults). */
const appVariables: { readonly [A in AppName]: readonly EnvVariable[] } = {
  gateway: ['FAULTLINE_RATE_LIMIT_PER_SECOND', 'FAULTLINE_SESSION_TTL_SECONDS', 'FAULTLINE_SESSION_SECRET'],
  user: [],
  media: [],
  worker: [],
};

/** `['FAULTLINE_SHARDS', 0, 'nodes', 1, 'url']` → `FAULTLINE_SHARDS[0].nodes[1].url`. */
function variableOf(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
    .join('');
}

const issuesOf = (error: z.ZodError): ConfigIssue[] =>
  error.issues.map((issue) => ({ variable: variableOf(issue.path), reason: issue.message }));

/** An empty variable counts as unset, so `FAULTLINE_HTTP_HOST=` falls back to its default. */
const valueOf = (env: Env, variable: string): string | undefined => {
  const value = env[variable];
  return value === undefined || value.trim() === '' ? undefined : value;
};

function resolveApp(env: Env, expected: AppName | undefined, issues: ConfigIssue[]): AppName | undefined {
  const raw = valueOf(env, 'FAULTLINE_APP');
  // An entry point knows its own app, so the variable is optional there; if set, it must agree.
  if (raw === undefined && expected !== undefined) return expected;
  const parsed = appSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push({ variable: 'FAULTLINE_APP', reason: raw === undefined ? 'is required' : parsed.error.issues[0]!.message });
    return undefined;
  }
  if (expected !== undefined && parsed.data !== expected) {
    issues.push({ variable: 'FAULTLINE_APP', reason: `is "${parsed.data}", but this is the ${expected} entry point` });
    return undefined;
  }
  return parsed.data;
}

/**
 * Reads and validates one service instance's environment, once, at startup (see README.md for
 * the contract). Only the variables the app uses are read; all problems are reported together.
 *
 * @param expected the entry point's own app: `FAULTLINE_APP` may then be omitted.
 * @throws ConfigError naming each offending variable and why.
 */
export function loadAppConfig(env: Env): AppConfig;
export function loadAppConfig<A extends AppName>(env: Env, expected: A): AppConfigOf<A>;
export function loadAppConfig(env: Env, expected?: AppName): AppConfig {
  const issues: ConfigIssue[] = [];
  const app = resolveApp(env, expected, issues);
  const dependencies = app === undefined ? [] : appDependencies[app];

  const input: Partial<Record<EnvVariable, string>> = {};
  const ownVariables = app === undefined ? [] : appVariables[app];
  for (const variable of [...baseVariables, ...ownVariables, ...dependencies.map((dependency) => dependencyVariable[dependency])]) {
    input[variable] = valueOf(env, variable);
  }
  for (const dependency of dependencies) {
    const variable = dependencyVariable[dependency];
    if (input[variable] === undefined) issues.push({ variable, reason: `is required (the ${app} service uses ${dependency})` });
  }

  if (app === 'gateway' && input.FAULTLINE_SESSION_SECRET === undefined) {
    issues.push({ variable: 'FAULTLINE_SESSION_SECRET', reason: 'is required (it signs the session tokens; the same value for every gateway)' });
  }

  const parsed = envSchema.safeParse(input);
  if (!parsed.success) issues.push(...issuesOf(parsed.error));
  if (issues.length > 0 || !parsed.success || app === undefined) throw new ConfigError(issues);

  const values = parsed.data;
  const base = {
    instanceId: values.FAULTLINE_INSTANCE_ID,
    dc: values.FAULTLINE_DC,
    http: { host: values.FAULTLINE_HTTP_HOST, port: values.FAULTLINE_HTTP_PORT },
    logLevel: values.FAULTLINE_LOG_LEVEL,
  };
  // Presence was checked above; these only narrow the types.
  const redis = () => ({ url: present(values.FAULTLINE_REDIS_URL, 'FAULTLINE_REDIS_URL') });
  const nats = () => ({ servers: present(values.FAULTLINE_NATS_SERVERS, 'FAULTLINE_NATS_SERVERS') });
  const shards = () => present(values.FAULTLINE_SHARDS, 'FAULTLINE_SHARDS');

  switch (app) {
    case 'gateway':
      return {
        app,
        ...base,
        redis: redis(),
        nats: nats(),
        api: {
          rateLimitPerSecond: values.FAULTLINE_RATE_LIMIT_PER_SECOND,
          sessionTtlSeconds: values.FAULTLINE_SESSION_TTL_SECONDS,
          sessionSecret: present(values.FAULTLINE_SESSION_SECRET, 'FAULTLINE_SESSION_SECRET'),
        },
      };
    case 'user':
      return { app, ...base, shards: shards(), redis: redis(), nats: nats() };
    case 'media':
      return { app, ...base, shards: shards(), nats: nats() };
    case 'worker':
      return { app, ...base, redis: redis(), nats: nats(), shards: shards() };
  }
}

function present<T>(value: T | undefined, variable: EnvVariable): T {
  if (value === undefined) throw new ConfigError([{ variable, reason: 'is required' }]);
  return value;
}
