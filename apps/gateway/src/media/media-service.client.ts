import { ClientNats } from '@nestjs/microservices';
import type { Provider } from '@nestjs/common';
import { ServiceCallMetrics } from '../services/service-call.metrics.js';
import { DEFAULT_SERVICE_CLIENT_OPTIONS, ServiceClient, type ServiceClientOptions } from '../services/service-client.js';

/** The gateway's client of the media service: a ServiceClient of its own, with deadlines for megabytes. */
export const MEDIA_SERVICE_CLIENT = Symbol('MEDIA_SERVICE_CLIENT');

/**
 * An upload carries up to 8 MiB (≈ 11 MB once base64-encoded) through NATS into a transaction that
 * commits on the primary and its synchronous standby; a read carries as much back. 2.5 s per attempt
 * (the other services' deadline) is too short for that on a loaded machine; 10 s is not, and still ends a
 * call to a dead service well before the load balancer's 30 s. Its own circuit breaker and retry budget
 * too: slow media calls never open the user service's circuit.
 */
export const MEDIA_SERVICE_CLIENT_OPTIONS: ServiceClientOptions = { ...DEFAULT_SERVICE_CLIENT_OPTIONS, attemptTimeoutMs: 10_000 };

export const mediaServiceClientProvider: Provider = {
  provide: MEDIA_SERVICE_CLIENT,
  inject: [ClientNats, ServiceCallMetrics],
  useFactory: (nats: ClientNats, metrics: ServiceCallMetrics) => new ServiceClient(nats, metrics, MEDIA_SERVICE_CLIENT_OPTIONS),
};
