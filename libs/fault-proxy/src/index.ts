// faultline's Toxiproxy-compatible fault proxy: the server, its CLI flag rules, and the client
// helper the rest of faultline uses to drive whichever Toxiproxy it is given.
export { startFaultProxyServer, type FaultProxyServer, type FaultProxyServerOptions } from './server/start-fault-proxy-server.js';
export { FaultProxyConfigError } from './server/config-file.js';
export { TOXIPROXY_API_VERSION } from './server/version.js';
export { ToxiproxyApiError, MAX_BODY_BYTES, type ApiErrorCode } from './api/api-error.js';
export type { ProxyFields } from './api/proxy-input.js';
export type { ToxicJson, Direction } from './core/toxic-definition.js';
export type { ProxyJson } from './core/fault-proxy.js';
export type { EventsPage, FaultProxyEvent, ProxyEvent, ProxyEventType, ToxicEvent, ToxicEventType } from './events/event-log.js';
export { toxicTypeNames } from './toxics/registry.js';

export { FaultProxyClient, type ToxicChange, type ToxicSpec } from './client/fault-proxy-client.js';
export { FaultProxyEventsReader, type EventsRead } from './client/events-reader.js';
export { FaultProxyRequestError } from './client/client-errors.js';
export { DEFAULT_TOXIPROXY_URL, TOXIPROXY_URL_VARIABLE, ToxiproxyUrlError, toxiproxyUrlFromEnv } from './client/toxiproxy-url.js';

export { normalizeServerArgs, parseConfigFlag, parseHostFlag, parsePortFlag, parseSeedFlag, ServerFlagError } from './cli/server-flags.js';
