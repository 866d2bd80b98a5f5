import { EventRelay, type EventRelayOptions } from './event-relay.js';

export type EventRelaysOptions = Omit<EventRelayOptions, 'shard'> & {
  /** Default: every shard of the router. */
  readonly shards?: readonly number[];
};

/** One relay per shard, started together and stopped together. */
export interface EventRelays {
  readonly relays: ReadonlyMap<number, EventRelay>;
  /** Graceful stop of every relay (see EventRelay.stop). */
  stop(): Promise<void>;
}

/**
 * Starts a relay for each of the router's shards (or `shards`). Every instance of a service can call
 * this: per shard, one relay holds the lock and publishes, the others stand by.
 */
export function startEventRelays(options: EventRelaysOptions): EventRelays {
  const { shards = options.router.shardIds, ...common } = options;
  const relays = new Map<number, EventRelay>();
  for (const shard of shards) relays.set(shard, new EventRelay({ ...common, shard }));
  let stopping: Promise<void> | undefined;
  return {
    relays,
    stop: () => (stopping ??= Promise.all([...relays.values()].map((relay) => relay.stop())).then(() => undefined)),
  };
}
