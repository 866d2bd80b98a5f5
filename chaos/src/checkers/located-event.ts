import { parsePosition, transactionIdOf } from '#libs/event-store';
import { entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import { groupBy } from './group-by.js';
import type { StoreSnapshot, StoredEvent } from './store-snapshot.js';

/** An event and the shard it was found on. */
export interface LocatedEvent {
  readonly shard: number;
  readonly event: StoredEvent;
}

/** Every stream's events, on whichever shards they are (normally one), in shard then position order. */
export function eventsByStream(snapshot: StoreSnapshot): Map<string, LocatedEvent[]> {
  const located = snapshot.shards.flatMap(({ shard, events }) => events.map((event) => ({ shard, event })));
  const streams = groupBy(located, ({ event }) => event.streamId);
  for (const list of streams.values()) list.sort((a, b) => a.shard - b.shard || compareBigint(parsePosition(a.event.position), parsePosition(b.event.position)));
  return streams;
}

const compareBigint = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The append an event came from: one transaction on one stream of one shard. Two events of one command
 * share it; the same command applied twice does not — positions carry the transaction id (global-position.ts).
 */
export const appendOf = ({ shard, event }: LocatedEvent): string => `${shard}/${event.streamId}/${transactionIdOf(parsePosition(event.position))}`;

/** The first event of each distinct append, in the order given. */
export function firstOfEachAppend(events: readonly LocatedEvent[]): LocatedEvent[] {
  const seen = new Map<string, LocatedEvent>();
  for (const located of events) if (!seen.has(appendOf(located))) seen.set(appendOf(located), located);
  return [...seen.values()];
}

/** An event as evidence: where it is and what it is, without its data (a UserRegistered holds a password hash). */
export const eventEvidence = ({ shard, event }: LocatedEvent) => ({
  shard,
  streamId: event.streamId,
  version: event.version,
  position: String(event.position),
  type: event.type,
  eventId: event.eventId,
  ...(event.idempotencyKey !== undefined && { idempotencyKey: event.idempotencyKey }),
  ...(event.correlationId !== undefined && { correlationId: event.correlationId }),
});

/** The entries of the operations whose request (Idempotency-Key) appended these events: the store-side anomaly's history witness. */
export function operationsBehind(events: readonly LocatedEvent[], operations: readonly CompletedOperation[]): HistoryEntry[] {
  const requests = new Set(events.map(({ event }) => event.correlationId).filter((id) => id !== undefined));
  return operations.filter((op) => op.value.requestId !== undefined && requests.has(op.value.requestId)).flatMap(entriesOf);
}
