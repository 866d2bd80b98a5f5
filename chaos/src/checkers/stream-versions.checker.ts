import { completedOperations } from '../history/completed-operations.js';
import type { HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { eventEvidence, eventsByStream, operationsBehind, type LocatedEvent } from './located-event.js';
import type { StoreSnapshot } from './store-snapshot.js';

export interface StreamVersionsInput {
  readonly snapshot: StoreSnapshot;
  /** For witnesses: the operations whose requests appended the offending events. */
  readonly history?: readonly HistoryEntry[];
}

export interface StreamVersionsObserved {
  readonly streams: number;
  readonly events: number;
  readonly gaps: number;
  readonly repeated: number;
  readonly decreasing: number;
  /** Streams found on more than one shard (a stream lives on its key's shard only). */
  readonly onSeveralShards: number;
}

type Anomaly = keyof Omit<StreamVersionsObserved, 'streams' | 'events'>;

/**
 * (c) Per stream, versions are 1, 2, 3, … in position order: no gap (an event lost from the middle), no
 * version twice, none going back. The unique constraint should make all of this impossible on one node;
 * it is checked because a failover that loses a tail, or two primaries, can break it. Each violation's
 * evidence is the pair of neighbouring events that breaks the rule.
 */
export function checkStreamVersions({ snapshot, history = [] }: StreamVersionsInput): CheckResult<StreamVersionsObserved> {
  const operations = completedOperations(history);
  const findings: { anomaly: Anomaly; violation: Violation }[] = [];
  const found = (anomaly: Anomaly, description: string, events: LocatedEvent[]) =>
    findings.push({ anomaly, violation: { description, witness: operationsBehind(events, operations), evidence: events.map(eventEvidence) } });

  const streams = eventsByStream(snapshot);
  for (const [streamId, events] of streams) {
    const shards = [...new Set(events.map((e) => e.shard))];
    if (shards.length > 1) {
      found('onSeveralShards', `${streamId} is on shards ${shards.join(', ')}`, shards.map((shard) => events.find((e) => e.shard === shard)!));
    }
    for (const shard of shards) checkStream(events.filter((e) => e.shard === shard), found);
  }

  const count = (anomaly: Anomaly) => findings.filter((f) => f.anomaly === anomaly).length;
  return {
    name: CHECKS.streamVersions,
    passed: findings.length === 0,
    observed: {
      streams: streams.size,
      events: snapshot.shards.reduce((sum, s) => sum + s.events.length, 0),
      gaps: count('gaps'),
      repeated: count('repeated'),
      decreasing: count('decreasing'),
      onSeveralShards: count('onSeveralShards'),
    },
    expected: 'versions 1, 2, 3, … in position order in every stream, each stream on one shard',
    violations: findings.map((f) => f.violation),
  };
}

/** One stream on one shard, its events in position order. */
function checkStream(events: readonly LocatedEvent[], found: (anomaly: Anomaly, description: string, events: LocatedEvent[]) => void): void {
  const first = events[0]!;
  const where = `${first.event.streamId} on shard ${first.shard}`;
  if (first.event.version !== 1) found('gaps', `${where} starts at version ${first.event.version}: versions 1 to ${first.event.version - 1} are missing`, [first]);
  events.slice(1).forEach((current, i) => {
    const previous = events[i]!;
    const [was, is] = [previous.event.version, current.event.version];
    if (is === was) found('repeated', `${where} holds version ${is} twice`, [previous, current]);
    else if (is < was) found('decreasing', `${where} goes back from version ${was} to ${is} as positions rise`, [previous, current]);
    else if (is > was + 1) found('gaps', `${where} jumps from version ${was} to ${is}: ${is - was - 1} missing`, [previous, current]);
  });
}
