export type JobLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where queues and workers tell what happens (pino: `(level, msg, fields) => logger[level](fields ?? {}, msg)`). */
export type JobLog = (level: JobLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

/**
 * Logs each distinct connection error once until the connection is ready again: ioredis retries about
 * every second, alternating "connect ECONNREFUSED" and "Connection is closed", which would flood the log.
 */
export function connectionErrorLog(log: JobLog, what: string, fields: Readonly<Record<string, unknown>>): { error(error: Error): void; ready(): void } {
  const seen = new Set<string>();
  return {
    error: (error) => {
      if (seen.has(error.message)) return;
      seen.add(error.message);
      log('warn', `${what}: ${error.message}`, fields);
    },
    ready: () => {
      if (seen.size > 0) log('info', `${what}: connected again`, fields);
      seen.clear();
    },
  };
}
