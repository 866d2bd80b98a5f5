import type { ToxicJson } from '../core/toxic-definition.js';

export type ProxyEventType = 'proxy.created' | 'proxy.updated' | 'proxy.deleted' | 'proxy.enabled' | 'proxy.disabled';
export type ToxicEventType = 'toxic.added' | 'toxic.updated' | 'toxic.removed';

interface EventBase {
  /** Increases by one per event, from 1; a poller passes the last one it saw as `since`. */
  readonly id: number;
  /** Milliseconds since the epoch when the change took effect. */
  readonly at: number;
  readonly proxy: string;
}

export interface ProxyEvent extends EventBase {
  readonly type: ProxyEventType;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

export interface ToxicEvent extends EventBase {
  readonly type: ToxicEventType;
  readonly toxic: ToxicJson;
}

export type FaultProxyEvent = ProxyEvent | ToxicEvent;

type Unnumbered<E> = E extends FaultProxyEvent ? Omit<E, 'id' | 'at'> : never;

export interface EventsPage {
  readonly events: FaultProxyEvent[];
  /** Pass as `since` next time: the id of the last event returned (or `since` itself if none). */
  readonly cursor: number;
  /** The newest id the server has issued; a `since` above it means the server restarted. */
  readonly latest: number;
  /** Events after `since` that the bounded log no longer holds. */
  readonly missed: number;
}

export const DEFAULT_EVENT_CAPACITY = 10_000;

/** A bounded ring of every change made through the API, so reports can tell when a fault began and ended. */
export class EventLog {
  private readonly ring: Array<FaultProxyEvent | undefined>;
  private lastId = 0;

  constructor(
    readonly capacity: number = DEFAULT_EVENT_CAPACITY,
    private readonly clock: () => number = Date.now,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array(capacity);
  }

  record(event: Unnumbered<FaultProxyEvent>): FaultProxyEvent {
    const numbered = { id: ++this.lastId, at: this.clock(), ...event } as FaultProxyEvent;
    this.ring[(numbered.id - 1) % this.capacity] = numbered;
    return numbered;
  }

  /** Events with an id above `since`, oldest first, at most `limit` of them. */
  since(since: number, limit = this.capacity): EventsPage {
    const oldestHeld = Math.max(1, this.lastId - this.capacity + 1);
    const from = Math.max(since + 1, oldestHeld);
    const missed = Math.max(0, oldestHeld - (since + 1));
    const events: FaultProxyEvent[] = [];
    for (let id = from; id <= this.lastId && events.length < limit; id++) events.push(this.ring[(id - 1) % this.capacity]!);
    return { events, cursor: events.at(-1)?.id ?? since, latest: this.lastId, missed };
  }
}
