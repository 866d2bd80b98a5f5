export interface NatsConnectionSettings {
  readonly servers: readonly string[];
  /** The connection's name on the NATS server (its monitoring shows it): the instance id. */
  readonly name: string;
}

/**
 * Connection options for every NATS connection of an instance (the Nest NATS client and server
 * pass them on to `@nats-io/transport-node`'s `connect`). The library's defaults suit a stable
 * network; in the lab NATS is killed and partitioned on purpose, so:
 */
export function natsConnectionOptions(settings: NatsConnectionSettings) {
  return {
    servers: [...settings.servers],
    name: settings.name,
    // Each attempt to reach a server gives up after 1 s (default 20 s) so a blackholed server
    // is skipped quickly, and health checks and shutdown are never stuck behind it.
    timeout: 1_000,
    // Once connected, never give up reconnecting (default: 10 attempts): chaos decides how long
    // NATS is away, and the process must recover on its own when it is back.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // A server that silently stops answering (a partition, not a closed socket) is noticed after
    // two missed pings, ~4-6 s, instead of the default ~4 minutes.
    pingInterval: 2_000,
    maxPingOut: 2,
    // No stack captured per request-reply (by default two Errors are built for every request, its own and
    // its timer's, in case it fails): the gateway makes one per API call. A failed request still says what failed.
    noAsyncTraces: true,
  };
}
