import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import { isWriteKind, type HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { eventEvidence, eventsByStream, firstOfEachAppend, operationsBehind, type LocatedEvent } from './located-event.js';
import { groupBy } from './group-by.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { eventsMatching, locateWorkloadWrite, type WriteLocator } from './write-locator.js';

/** Event types a stream holds at most once: a second one is the creating command applied again. */
export const SINGLETON_EVENT_TYPES: readonly string[] = ['UserRegistered', 'MediaUploaded'];

export interface DuplicatesInput {
  readonly history: readonly HistoryEntry[];
  readonly snapshot: StoreSnapshot;
  readonly locate?: WriteLocator;
  readonly singletonEventTypes?: readonly string[];
}

export interface DuplicatesObserved {
  /** Writes (ok or info) whose effect is in the log more than once. */
  readonly duplicatedWrites: number;
  /** Idempotency keys that more than one append used. */
  readonly reusedIdempotencyKeys: number;
  /** Streams holding a singleton event type more than once. */
  readonly repeatedSingletons: number;
}

type Finding = { readonly rule: keyof DuplicatesObserved; readonly appends: readonly LocatedEvent[]; readonly violation: Violation };

/**
 * (b) No duplicated effect: one command applied once. Found three ways, each a set of events from more than
 * one append (one transaction on one stream of one shard — see located-event.ts): the events one write
 * operation matches; the events sharing an idempotency key; the singleton events of a stream. An anomaly
 * seen by several rules is reported once, by the first (the one with the operation as its witness).
 */
export function checkDuplicates({ history, snapshot, locate = locateWorkloadWrite, singletonEventTypes = SINGLETON_EVENT_TYPES }: DuplicatesInput): CheckResult<DuplicatesObserved> {
  const operations = completedOperations(history);
  const streams = eventsByStream(snapshot);
  const allEvents = [...streams.values()].flat();
  const findings = [
    ...duplicatedWrites(operations, streams, locate),
    ...groupsOfSeveralAppends(allEvents, (e) => e.idempotencyKey).map(([key, appends]) =>
      finding('reusedIdempotencyKeys', appends, `idempotency key ${key} used by ${appends.length} appends`, operations),
    ),
    ...groupsOfSeveralAppends(
      allEvents.filter(({ event }) => singletonEventTypes.includes(event.type)),
      (e) => `${e.streamId} ${e.type}`,
    ).map(([, appends]) => finding('repeatedSingletons', appends, `${appends[0]!.event.streamId} holds ${appends[0]!.event.type} ${appends.length} times`, operations)),
  ];

  const reported = new Set<string>();
  const unique = findings.filter(({ appends }) => {
    const signature = appends.map(({ event }) => event.eventId).sort().join(',');
    if (reported.has(signature)) return false;
    reported.add(signature);
    return true;
  });
  const count = (rule: keyof DuplicatesObserved) => unique.filter((f) => f.rule === rule).length;
  return {
    name: CHECKS.duplicates,
    passed: unique.length === 0,
    observed: { duplicatedWrites: count('duplicatedWrites'), reusedIdempotencyKeys: count('reusedIdempotencyKeys'), repeatedSingletons: count('repeatedSingletons') },
    expected: 'every command applied at most once',
    violations: unique.map((f) => f.violation),
  };
}

function duplicatedWrites(operations: readonly CompletedOperation[], streams: ReadonlyMap<string, readonly LocatedEvent[]>, locate: WriteLocator): Finding[] {
  return operations.flatMap((op): Finding[] => {
    if (!isWriteKind(op.f) || op.type === 'fail') return [];
    const expectation = locate(op);
    const appends = expectation ? firstOfEachAppend(eventsMatching(expectation, streams)) : [];
    if (appends.length < 2) return [];
    const violation = { description: `${op.f} by process ${op.process} applied ${appends.length} times: ${expectation!.description}`, witness: entriesOf(op), evidence: appends.map(eventEvidence) };
    return [{ rule: 'duplicatedWrites', appends, violation }];
  });
}

/** Groups events by `keyOf` (skipping those without a key) and keeps the groups that span several appends, as their first events. */
function groupsOfSeveralAppends(events: readonly LocatedEvent[], keyOf: (event: LocatedEvent['event']) => string | undefined): [string, LocatedEvent[]][] {
  return [...groupBy(events, (located) => keyOf(located.event))].map(([key, group]): [string, LocatedEvent[]] => [key, firstOfEachAppend(group)]).filter(([, appends]) => appends.length > 1);
}

const finding = (rule: keyof DuplicatesObserved, appends: readonly LocatedEvent[], description: string, operations: readonly CompletedOperation[]): Finding => ({
  rule,
  appends,
  violation: { description, witness: operationsBehind(appends, operations), evidence: appends.map(eventEvidence) },
});
