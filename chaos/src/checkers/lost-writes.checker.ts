import { completedOperations, entriesOf, type CompletedOperation } from '../history/completed-operations.js';
import { isWriteKind, type HistoryEntry } from '../history/operation.js';
import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { eventEvidence, eventsByStream, type LocatedEvent } from './located-event.js';
import type { ProjectionDefinition, ProjectionRow } from './projection.js';
import type { StoreSnapshot } from './store-snapshot.js';
import { eventsMatching, locateWorkloadWrite, type WriteExpectation, type WriteLocator } from './write-locator.js';

export interface LostWritesInput {
  readonly history: readonly HistoryEntry[];
  readonly snapshot: StoreSnapshot;
  readonly locate?: WriteLocator;
}

export interface LostWritesObserved {
  readonly acknowledgedWrites: number;
  readonly missingFromLog: number;
  readonly missingFromProjection: number;
  /** Acknowledged writes whose operation carries nothing to look for (a recording gap): violations too. */
  readonly unidentifiable: number;
  /** Found in the log, but the snapshot did not capture their read model. */
  readonly projectionUnchecked: number;
  /** Writes with an unknown outcome (info) found applied, and not: both are allowed. */
  readonly indefiniteApplied: number;
  readonly indefiniteNotApplied: number;
}

type Outcome = 'ok' | 'missing-from-log' | 'missing-from-projection' | 'unidentifiable' | 'projection-unchecked';

/**
 * (a) No acknowledged write lost: every `ok` write is in the event log and in its read model (a row at the
 * event's version or later). A `fail` write is not looked for, and an `info` write may or may not be there:
 * neither is ever a violation (the indefinite ones are counted, to show what timeouts hid).
 */
export function checkLostWrites({ history, snapshot, locate = locateWorkloadWrite }: LostWritesInput): CheckResult<LostWritesObserved> {
  const streams = eventsByStream(snapshot);
  const rows = new RowLookup(snapshot);
  const violations: Violation[] = [];
  const counts: Record<Outcome, number> = { ok: 0, 'missing-from-log': 0, 'missing-from-projection': 0, unidentifiable: 0, 'projection-unchecked': 0 };
  let acknowledgedWrites = 0;
  let indefiniteApplied = 0;
  let indefiniteNotApplied = 0;

  for (const op of completedOperations(history)) {
    if (!isWriteKind(op.f) || op.type === 'fail') continue;
    const expectation = locate(op);
    const found = expectation ? eventsMatching(expectation, streams) : [];
    if (op.type === 'info') {
      if (found.length > 0) indefiniteApplied++;
      else indefiniteNotApplied++;
      continue;
    }
    acknowledgedWrites++;
    const outcome = judge(op, expectation, found, rows);
    counts[outcome.kind]++;
    if (outcome.violation) violations.push(outcome.violation);
  }

  return {
    name: CHECKS.lostWrites,
    passed: violations.length === 0,
    observed: {
      acknowledgedWrites,
      missingFromLog: counts['missing-from-log'],
      missingFromProjection: counts['missing-from-projection'],
      unidentifiable: counts.unidentifiable,
      projectionUnchecked: counts['projection-unchecked'],
      indefiniteApplied,
      indefiniteNotApplied,
    },
    expected: 'every acknowledged write in the event log and in its read model',
    violations,
  };
}

function judge(
  op: CompletedOperation,
  expectation: WriteExpectation | undefined,
  found: readonly LocatedEvent[],
  rows: RowLookup,
): { kind: Outcome; violation?: Violation } {
  const witness = entriesOf(op);
  if (!expectation) {
    return { kind: 'unidentifiable', violation: { description: `acknowledged ${op.f} by process ${op.process} carries no id to look for in the store`, witness } };
  }
  const first = found[0];
  if (!first) {
    const description = `acknowledged ${op.f} lost: no ${expectation.description} in the log`;
    return { kind: 'missing-from-log', violation: { description, witness, evidence: { streamId: expectation.streamId, found: [] } } };
  }
  const { projection } = expectation;
  if (!projection) return { kind: 'ok' };
  const row = rows.find(projection, first.shard, expectation.streamId);
  if (row === 'not-captured') return { kind: 'projection-unchecked' };
  if (row && row.version >= first.event.version) return { kind: 'ok' };
  const description = `acknowledged ${op.f} in the log but not in ${projection.name}: ${row ? `its row is at version ${row.version}` : 'no row'}`;
  return { kind: 'missing-from-projection', violation: { description, witness, evidence: { event: eventEvidence(first), row: row ?? null } } };
}

/** Rows of every read model, indexed per shard on first use. */
class RowLookup {
  private readonly indexes = new Map<string, Map<string, ProjectionRow> | undefined>();

  constructor(private readonly snapshot: StoreSnapshot) {}

  /** The row fed by `streamId` on `shard`; 'not-captured' when the snapshot has no rows of that read model there. */
  find(projection: ProjectionDefinition, shard: number, streamId: string): ProjectionRow | undefined | 'not-captured' {
    const id = `${projection.name}@${shard}`;
    if (!this.indexes.has(id)) {
      const shardSnapshot = this.snapshot.shards.find((s) => s.shard === shard);
      const rows = shardSnapshot && projection.rowsOf(shardSnapshot);
      this.indexes.set(id, rows && new Map(rows.map((row) => [projection.keyOfRow(row), row])));
    }
    const index = this.indexes.get(id);
    const key = projection.keyOfStream(streamId);
    if (!index) return 'not-captured';
    return key === undefined ? undefined : index.get(key);
  }
}
