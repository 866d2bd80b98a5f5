import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { HttpMetrics } from './http-metrics.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** The route label of requests that matched no route (404s): one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Fastify hooks rather than a Nest interceptor: they also see 404s, body-parser errors and
 * responses Nest's exception layer produced, so every request is counted and logged exactly once.
 * The request id itself comes from the adapter's `genReqId` (see `createHttpApp`).
 */
/** Names the instance that answered, so a client (or a test) can see where a load balancer sent it. */
export const SERVED_BY_HEADER = 'x-served-by';

export function instrumentHttp(fastify: FastifyInstance, deps: { logger: Logger; metrics: HttpMetrics; instanceId: string }): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header(SERVED_BY_HEADER, deps.instanceId);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const durationMs = reply.elapsedTime;
    deps.metrics.observe({ route, method: request.method, status }, durationMs / 1000);
    deps.logger[status >= 500 ? 'warn' : 'info'](
      { reqId: request.id, method: request.method, url: request.url, route, status, durationMs: Math.round(durationMs * 1000) / 1000 },
      'request completed',
    );
    done();
  });
}
