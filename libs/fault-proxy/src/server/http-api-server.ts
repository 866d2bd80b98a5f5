import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrors, MAX_BODY_BYTES, ToxiproxyApiError } from '../api/api-error.js';
import { errorResponse, textResponse, type ApiResponse } from './api-response.js';
import { matchRoute, type Route } from './api-routes.js';
import { readRequestBody, type RequestBody } from './request-body.js';

const noBody: RequestBody = { tooLarge: false, text: '' };

/**
 * The API over node:http. Checks run in the real server's order — unknown path 404, wrong method
 * 405, browser 403 — and handlers run one at a time, as the real server's locks serialise them.
 */
export class HttpApiServer {
  private readonly server: Server;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly routes: readonly Route[]) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.send(response, errorResponse(500, (error as Error).message ?? String(error)));
        else response.destroy();
      });
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host, port }, () => {
        this.server.removeListener('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening, drops every API connection, and waits for a change in progress to finish. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    await this.queue;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = absoluteFormToOrigin(request.url ?? '/');
    const queryAt = url.indexOf('?');
    let path: string;
    try {
      path = decodeURIComponent(queryAt >= 0 ? url.slice(0, queryAt) : url);
    } catch {
      this.send(response, textResponse(400, '400 Bad Request'));
      return;
    }
    const match = matchRoute(this.routes, path);
    if (!match) {
      this.send(response, textResponse(404, '404 page not found\n'));
      return;
    }
    const method = request.method ?? 'GET';
    const handler = match.route.methods[method];
    if (!handler) {
      response.setHeader('Allow', Object.keys(match.route.methods).join(', '));
      this.send(response, { status: 405 });
      return;
    }
    // A web page must not be able to drive the proxy (the real server's rule).
    if (request.headers['user-agent']?.startsWith('Mozilla/')) {
      this.send(response, textResponse(403, 'User agent not allowed\n'));
      return;
    }
    const body = method === 'POST' || method === 'PATCH' ? await readRequestBody(request, MAX_BODY_BYTES) : noBody;
    if (body.tooLarge) response.setHeader('Connection', 'close');
    const query = new URLSearchParams(queryAt >= 0 ? url.slice(queryAt + 1) : '');
    const answer = await this.serialised(async () => {
      try {
        return await handler({
          params: match.params,
          query,
          body: () => {
            if (body.tooLarge) throw apiErrors.bodyTooLarge();
            return body.text;
          },
        });
      } catch (error) {
        if (error instanceof ToxiproxyApiError) return errorResponse(error.status, error.message);
        throw error;
      }
    });
    this.send(response, answer);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private send(response: ServerResponse, answer: ApiResponse): void {
    if (answer.contentType) response.setHeader('Content-Type', answer.contentType);
    response.statusCode = answer.status;
    response.end(answer.body);
  }
}

/** A request line may carry a full URL (`GET http://host/proxies`); routing uses its path and query. */
function absoluteFormToOrigin(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}
