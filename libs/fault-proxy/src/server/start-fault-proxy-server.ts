import type { ProxyFields } from '../api/proxy-input.js';
import { ProxyRegistry } from '../core/proxy-registry.js';
import { seededRandom } from '../core/random.js';
import { DEFAULT_EVENT_CAPACITY, EventLog } from '../events/event-log.js';
import { buildApiRoutes } from './api-routes.js';
import { FaultProxyConfigError, readProxyConfigFile } from './config-file.js';
import { HttpApiServer } from './http-api-server.js';

export interface FaultProxyServerOptions {
  /** Where the API listens; 127.0.0.1 by default, so only this machine can drive it. */
  readonly host?: string;
  /** 8474 by default (the real server's); 0 picks a free port, reported in `port` and `url`. */
  readonly port?: number;
  /** A JSON file of proxies, as POST /populate takes them, created before the API opens. */
  readonly config?: string;
  /** Proxies to create before the API opens (same shape as the config file's entries). */
  readonly proxies?: readonly ProxyFields[];
  /** Makes toxicity rolls and jitter repeatable. */
  readonly seed?: number;
  /** Adds process memory figures to /metrics. */
  readonly runtimeMetrics?: boolean;
  /** How many changes GET /events remembers. */
  readonly eventCapacity?: number;
}

export interface FaultProxyServer {
  /** The API's base URL, e.g. `http://127.0.0.1:8474`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops the API, every proxy listener and every proxied connection. */
  close(): Promise<void>;
}

/** Starts a Toxiproxy-compatible server in this process. */
export async function startFaultProxyServer(options: FaultProxyServerOptions = {}): Promise<FaultProxyServer> {
  const host = options.host ?? '127.0.0.1';
  const events = new EventLog(options.eventCapacity ?? DEFAULT_EVENT_CAPACITY);
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const registry = new ProxyRegistry(events, random);
  const api = new HttpApiServer(buildApiRoutes({ registry, events, runtimeMetrics: options.runtimeMetrics ?? false }));

  try {
    await populateAtStart(registry, options);
    const address = await api.listen(host, options.port ?? 8474);
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${shownHost}:${address.port}`,
      host: address.address,
      port: address.port,
      // The API first, so no change can start a proxy after the proxies were stopped.
      close: () => (closing ??= api.close().then(() => registry.stopAll())),
    };
  } catch (error) {
    await registry.stopAll();
    throw error;
  }
}

async function populateAtStart(registry: ProxyRegistry, options: FaultProxyServerOptions): Promise<void> {
  const sources: Array<[source: string, entries: readonly ProxyFields[]]> = [];
  if (options.config !== undefined) sources.push([options.config, await readProxyConfigFile(options.config)]);
  if (options.proxies) sources.push(['(options.proxies)', options.proxies]);
  for (const [source, entries] of sources) {
    try {
      const outcome = await registry.populate(entries);
      if (outcome.error) throw new FaultProxyConfigError(source, outcome.error.message, { cause: outcome.error });
    } catch (error) {
      if (error instanceof FaultProxyConfigError) throw error;
      throw new FaultProxyConfigError(source, (error as Error).message, { cause: error });
    }
  }
}
