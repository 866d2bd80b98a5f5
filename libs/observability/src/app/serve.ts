import type { HttpConfig } from '#libs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { PINO_LOGGER } from '../observability.tokens.js';

/**
 * The runner SIGKILLs what has not exited a few seconds after SIGTERM; a graceful shutdown that
 * hangs on a dead dependency must give up before that and still exit on its own.
 */
export const SHUTDOWN_DEADLINE_MS = 1_500;

const shutdownSignals = ['SIGTERM', 'SIGINT'] as const;

/**
 * Starts the app's microservices (which never wait for their broker) and its HTTP listener.
 * @returns the URL the app listens on.
 */
export async function startHttpApp(app: NestFastifyApplication, http: HttpConfig): Promise<string> {
  await app.startAllMicroservices();
  await app.listen(http.port, http.host);
  return app.getUrl();
}

/**
 * `startHttpApp` for a process of its own: also shuts everything down on SIGTERM/SIGINT,
 * gracefully, bounded by `SHUTDOWN_DEADLINE_MS`.
 * @returns the URL the app listens on.
 */
export async function serve(app: NestFastifyApplication, http: HttpConfig): Promise<string> {
  const logger = app.get<Logger>(PINO_LOGGER);
  // useProcessExit: exit with 0 after a clean shutdown instead of re-raising the signal.
  app.enableShutdownHooks([...shutdownSignals], { useProcessExit: true });
  for (const signal of shutdownSignals) {
    // `once`: after the first signal this listener is gone, so only Nest's handler remains.
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      setTimeout(() => {
        logger.error({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'graceful shutdown exceeded its deadline; exiting');
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
  const url = await startHttpApp(app, http);
  logger.info({ url }, 'listening');
  return url;
}
