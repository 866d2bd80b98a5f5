import { type AppConfigOf, type AppName, isConfigError, loadAppConfig } from '#libs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '../logging/create-logger.js';
import { serve } from './serve.js';

/** sysexits' EX_CONFIG: tells the runner that restarting with the same environment is pointless. */
export const EXIT_CONFIG_INVALID = 78;
export const EXIT_START_FAILED = 1;

/**
 * The whole of an app's `main.ts`: load the config once from the environment, build the app,
 * serve it. A bad environment or a failed start ends the process with a clear message and a
 * non-zero code; unreachable dependencies do not: the app starts and reports them in /health.
 */
export async function runMain<A extends AppName>(
  app: A,
  create: (config: AppConfigOf<A>) => Promise<NestFastifyApplication>,
): Promise<void> {
  let config: AppConfigOf<A>;
  try {
    config = loadAppConfig(process.env, app);
  } catch (error) {
    if (!isConfigError(error)) throw error;
    process.stderr.write(`faultline ${app}: ${error.message}\n`);
    process.exit(EXIT_CONFIG_INVALID);
  }
  try {
    await serve(await create(config), config.http);
  } catch (error) {
    createLogger(config).fatal({ err: error }, 'failed to start');
    process.exit(EXIT_START_FAILED);
  }
}
