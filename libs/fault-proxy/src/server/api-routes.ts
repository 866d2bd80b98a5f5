import { apiErrors, ToxiproxyApiError } from '../api/api-error.js';
import { decodePopulateBody, decodeProxyBody } from '../api/proxy-input.js';
import { decodeNewToxic, decodeToxicUpdate } from '../api/toxic-input.js';
import type { ProxyRegistry } from '../core/proxy-registry.js';
import { toxicToJson } from '../core/toxic-definition.js';
import type { EventLog } from '../events/event-log.js';
import { PROMETHEUS_CONTENT_TYPE, renderProxyMetrics } from '../metrics/prometheus-text.js';
import { errorResponse, jsonResponse, noContent, orderedJsonObject, textResponse, type ApiResponse } from './api-response.js';
import { TOXIPROXY_API_VERSION } from './version.js';

export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The request body; throws the 413 error when it was over the limit (the check sits where Go reads the body). */
  body(): string;
}

export type RouteHandler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  /** Path segments; `:name` matches any one non-empty segment. */
  readonly segments: readonly string[];
  readonly methods: Readonly<Record<string, RouteHandler>>;
}

export interface ApiOptions {
  readonly registry: ProxyRegistry;
  readonly events: EventLog;
  /** Adds process memory figures to /metrics (the real server's -runtime-metrics). */
  readonly runtimeMetrics: boolean;
}

const route = (path: string, methods: Record<string, RouteHandler>): Route => ({ segments: path.split('/').slice(1), methods });

function parseCount(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw apiErrors.badQuery(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** The Toxiproxy routes (and faultline's /events and /metrics), as the real server orders its checks. */
export function buildApiRoutes({ registry, events, runtimeMetrics }: ApiOptions): Route[] {
  const proxyOf = (request: ApiRequest) => registry.get(request.params.proxy!);

  const updateProxy: RouteHandler = async (request) => {
    proxyOf(request);
    const fields = decodeProxyBody(request.body());
    return jsonResponse(200, (await registry.update(request.params.proxy!, fields)).toJSON());
  };

  const updateToxic: RouteHandler = (request) => {
    const proxy = proxyOf(request);
    const current = proxy.toxics.get(request.params.toxic!);
    if (!current) throw apiErrors.toxicNotFound();
    const updated = decodeToxicUpdate(request.body(), current);
    registry.updateToxic(proxy, updated);
    return jsonResponse(200, toxicToJson(updated));
  };

  return [
    route('/reset', {
      POST: async () => {
        await registry.reset();
        return noContent();
      },
    }),
    route('/proxies', {
      GET: () => orderedJsonObject(200, registry.list().map((proxy) => [proxy.name, proxy.toJSON()] as const)),
      POST: async (request) => jsonResponse(201, (await registry.create(decodeProxyBody(request.body()))).toJSON()),
    }),
    route('/populate', {
      // Errors here carry the proxies applied so far (`null` when none were), like the real server.
      POST: async (request) => {
        try {
          const outcome = await registry.populate(decodePopulateBody(request.body()));
          const proxies = outcome.proxies.map((proxy) => proxy.toJSON());
          if (outcome.error) return errorResponse(outcome.error.status, outcome.error.message, { proxies: proxies.length > 0 ? proxies : null });
          return jsonResponse(201, { proxies });
        } catch (error) {
          if (error instanceof ToxiproxyApiError) return errorResponse(error.status, error.message, { proxies: null });
          throw error;
        }
      },
    }),
    route('/proxies/:proxy', {
      GET: (request) => jsonResponse(200, proxyOf(request).toJSON()),
      POST: updateProxy,
      PATCH: updateProxy,
      DELETE: async (request) => {
        await registry.delete(request.params.proxy!);
        return noContent();
      },
    }),
    route('/proxies/:proxy/toxics', {
      GET: (request) => jsonResponse(200, proxyOf(request).toxics.list().map(toxicToJson)),
      // Created toxics answer 200, not 201: the real server does.
      POST: (request) => {
        const proxy = proxyOf(request);
        const toxic = decodeNewToxic(request.body(), (name) => proxy.toxics.has(name));
        registry.addToxic(proxy, toxic);
        return jsonResponse(200, toxicToJson(toxic));
      },
    }),
    route('/proxies/:proxy/toxics/:toxic', {
      GET: (request) => {
        const toxic = proxyOf(request).toxics.get(request.params.toxic!);
        if (!toxic) throw apiErrors.toxicNotFound();
        return jsonResponse(200, toxicToJson(toxic));
      },
      POST: updateToxic,
      PATCH: updateToxic,
      DELETE: (request) => {
        registry.removeToxic(proxyOf(request), request.params.toxic!);
        return noContent();
      },
    }),
    route('/version', {
      GET: () => textResponse(200, `{"version": "${TOXIPROXY_API_VERSION}"}\n`, 'application/json;charset=utf-8'),
    }),
    route('/metrics', {
      GET: () => {
        const memory = runtimeMetrics ? process.memoryUsage() : undefined;
        const runtime = memory && { residentMemoryBytes: memory.rss, heapUsedBytes: memory.heapUsed };
        return textResponse(200, renderProxyMetrics(registry.list(), runtime), PROMETHEUS_CONTENT_TYPE);
      },
    }),
    route('/events', {
      GET: (request) => {
        const since = parseCount(request.query, 'since', 0);
        const limit = parseCount(request.query, 'limit', events.capacity);
        return jsonResponse(200, events.since(since, Math.max(1, limit)));
      },
    }),
  ];
}

/** Finds the route for a decoded path; `undefined` is a 404. */
export function matchRoute(routes: readonly Route[], path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/').slice(1);
  for (const candidate of routes) {
    if (candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = candidate.segments.every((expected, index) => {
      const actual = segments[index]!;
      if (!expected.startsWith(':')) return expected === actual;
      params[expected.slice(1)] = actual;
      return actual.length > 0;
    });
    if (matches && path.startsWith('/')) return { route: candidate, params };
  }
  return undefined;
}
