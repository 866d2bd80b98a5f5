import { FaultlineError, isFaultlineError } from '#libs/errors';

/** One thing wrong with the environment: the variable (with a path into JSON values) and why. */
export interface ConfigIssue {
  /** `FAULTLINE_HTTP_PORT`, or `FAULTLINE_SHARDS[0].nodes[1].url` inside a JSON value. */
  readonly variable: string;
  readonly reason: string;
}

/** The environment does not describe a runnable instance; every issue is listed at once. */
export class ConfigError extends FaultlineError<'CONFIG_INVALID'> {
  readonly code = 'CONFIG_INVALID' as const;

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  ${issue.variable}: ${issue.reason}`).join('\n')}`);
  }
}

export const isConfigError = (error: unknown): error is ConfigError => isFaultlineError(error, 'CONFIG_INVALID');
