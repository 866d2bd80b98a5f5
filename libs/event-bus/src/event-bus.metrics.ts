import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ConsumerOutcome = 'processed' | 'duplicate' | 'failed';

/** The bus's metrics on one registry, shared by every relay and consumer on it (series differ by label). */
export interface EventBusMetrics {
  /** Events JetStream stored for the first time (a duplicate ack is not counted here). */
  readonly relayPublished: Counter<'shard'>;
  /** Publishes JetStream acknowledged as duplicates: a republish after a restart or a retry, dropped by the dedup window. */
  readonly relayDuplicates: Counter<'shard'>;
  /** Events committed in the shard's log after the relay's checkpoint (only the active relay of a shard reports it). */
  readonly relayLag: Gauge<'shard'>;
  /** 1 while this instance's relay for the shard holds the shard's relay lock. */
  readonly relayActive: Gauge<'shard'>;
  /** Publishes or reads that failed and were retried after a backoff. */
  readonly relayErrors: Counter<'shard'>;
  /** JetStream consumer info `num_pending`: messages in the stream matching the consumer's filter not yet delivered to it. */
  readonly consumerLag: Gauge<'consumer'>;
  /** Messages delivered but not acknowledged yet (`num_ack_pending`). */
  readonly consumerAckPending: Gauge<'consumer'>;
  readonly consumerProcessed: Counter<'consumer' | 'outcome'>;
  readonly consumerHandlerSeconds: Histogram<'consumer'>;
}

const byRegistry = new WeakMap<Registry, EventBusMetrics>();

function metric<M>(registry: Registry, name: string, make: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? make();
}

export function eventBusMetrics(registry: Registry = new Registry()): EventBusMetrics {
  const known = byRegistry.get(registry);
  if (known) return known;
  const registers = [registry];
  const metrics: EventBusMetrics = {
    relayPublished: metric(registry, 'faultline_relay_published_total', () =>
      new Counter({
        name: 'faultline_relay_published_total',
        help: "Events the shard's relay published that JetStream stored (duplicates dropped by the dedup window are counted in faultline_relay_duplicates_total).",
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    relayDuplicates: metric(registry, 'faultline_relay_duplicates_total', () =>
      new Counter({
        name: 'faultline_relay_duplicates_total',
        help: 'Publishes JetStream acknowledged as duplicates (same Nats-Msg-Id within the duplicate window): republished after a relay restart or a retry, stored once.',
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    relayLag: metric(registry, 'faultline_relay_lag_events', () =>
      new Gauge({
        name: 'faultline_relay_lag_events',
        help: "Events committed in the shard's log after the relay's checkpoint (the last position JetStream acknowledged), as counted by the active relay.",
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    relayActive: metric(registry, 'faultline_relay_active', () =>
      new Gauge({
        name: 'faultline_relay_active',
        help: "1 while this instance's relay holds the shard's relay lock and publishes; 0 while it stands by.",
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    relayErrors: metric(registry, 'faultline_relay_errors_total', () =>
      new Counter({
        name: 'faultline_relay_errors_total',
        help: 'Relay steps (read, publish, checkpoint, lock) that failed and were retried after a backoff.',
        labelNames: ['shard'] as const,
        registers,
      }),
    ),
    consumerLag: metric(registry, 'faultline_consumer_lag_events', () =>
      new Gauge({
        name: 'faultline_consumer_lag_events',
        help: "Events the durable consumer has not been delivered yet (JetStream consumer info num_pending).",
        labelNames: ['consumer'] as const,
        registers,
      }),
    ),
    consumerAckPending: metric(registry, 'faultline_consumer_ack_pending', () =>
      new Gauge({
        name: 'faultline_consumer_ack_pending',
        help: 'Events delivered to the durable consumer and not acknowledged yet (JetStream consumer info num_ack_pending).',
        labelNames: ['consumer'] as const,
        registers,
      }),
    ),
    consumerProcessed: metric(registry, 'faultline_consumer_processed_total', () =>
      new Counter({
        name: 'faultline_consumer_processed_total',
        help: 'Deliveries per consumer and outcome: processed (handler ran), duplicate (already processed: acked without running the handler), failed (handler or store failed, or the message was malformed).',
        labelNames: ['consumer', 'outcome'] as const,
        registers,
      }),
    ),
    consumerHandlerSeconds: metric(registry, 'faultline_consumer_handler_duration_seconds', () =>
      new Histogram({
        name: 'faultline_consumer_handler_duration_seconds',
        help: 'Time from delivery to ack/nak of each message, per consumer (the idempotency check and the handler).',
        labelNames: ['consumer'] as const,
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      }),
    ),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
