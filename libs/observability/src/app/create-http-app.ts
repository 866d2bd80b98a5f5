import type { IncomingMessage } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '#libs/config';
import { APP_CONFIG } from '../app-config.module.js';
import { HttpMetrics } from '../http/http-metrics.js';
import { instrumentHttp } from '../http/instrument-http.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../http/request-id.js';
import { PinoNestLogger } from '../logging/pino-nest.logger.js';
import { PINO_LOGGER } from '../observability.tokens.js';

/**
 * A Nest application on Fastify with request ids, one log line and metrics per request. The root
 * module must import `ObservabilityModule`. Nothing listens yet: `serve()` (or a test) does that.
 */
export async function createHttpApp(rootModule: DynamicModule): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // No Fastify logger: requests are logged once, by instrumentHttp, with the instance's own logger.
    logger: false,
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => resolveRequestId(request.headers[REQUEST_ID_HEADER]),
  });
  // abortOnError: false so a failed start surfaces as an error the entry point logs, not process.abort().
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoNestLogger));
  instrumentHttp(adapter.getInstance(), {
    logger: app.get<Logger>(PINO_LOGGER),
    metrics: app.get(HttpMetrics),
    instanceId: app.get<AppConfig>(APP_CONFIG).instanceId,
  });
  return app;
}
