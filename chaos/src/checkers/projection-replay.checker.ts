import { CHECKS, type CheckResult, type Violation } from './check-result.js';
import { groupBy } from './group-by.js';
import { mediaItemProjection } from './media-item.projection.js';
import type { ProjectionDefinition, ProjectionRow } from './projection.js';
import type { ShardSnapshot, StoreSnapshot, StoredEvent } from './store-snapshot.js';
import { userProfileProjection } from './user-profile.projection.js';

export interface ProjectionReplayInput {
  readonly snapshot: StoreSnapshot;
  /** The read models to rebuild; a custom fold goes in as `{ ...userProfileProjection, fold }`. */
  readonly projections?: readonly ProjectionDefinition[];
}

export interface ProjectionReplayObserved {
  readonly rowsCompared: number;
  readonly missing: number;
  readonly unexpected: number;
  readonly differing: number;
  /** `<projection>@<shard>` pairs the snapshot did not capture. */
  readonly unchecked: readonly string[];
}

export const DEFAULT_PROJECTIONS: readonly ProjectionDefinition[] = [userProfileProjection, mediaItemProjection];

type Anomaly = 'missing' | 'unexpected' | 'differing';

/**
 * (d) Each read model equals a replay of the log: per shard, every stream the read model follows is folded
 * and compared with its row — a row missing, a row no stream produces, or a row that differs. Only the fields
 * the fold produces are compared, so a snapshot may carry more columns.
 */
export function checkProjectionReplay({ snapshot, projections = DEFAULT_PROJECTIONS }: ProjectionReplayInput): CheckResult<ProjectionReplayObserved> {
  const findings: { anomaly: Anomaly; violation: Violation }[] = [];
  const unchecked: string[] = [];
  let rowsCompared = 0;
  for (const projection of projections) {
    for (const shard of snapshot.shards) {
      const rows = projection.rowsOf(shard);
      if (!rows) {
        unchecked.push(`${projection.name}@${shard.shard}`);
        continue;
      }
      rowsCompared += rows.length;
      findings.push(...compare(projection, shard, rows));
    }
  }
  const count = (anomaly: Anomaly) => findings.filter((f) => f.anomaly === anomaly).length;
  return {
    name: CHECKS.projections,
    passed: findings.length === 0,
    observed: { rowsCompared, missing: count('missing'), unexpected: count('unexpected'), differing: count('differing'), unchecked },
    expected: 'every read model row equal to the fold of its stream',
    violations: findings.map((f) => f.violation),
  };
}

function compare(projection: ProjectionDefinition, shard: ShardSnapshot, rows: readonly ProjectionRow[]): { anomaly: Anomaly; violation: Violation }[] {
  const replayed = replay(projection, shard.events);
  const actual = new Map(rows.map((row) => [projection.keyOfRow(row), row]));
  const where = `${projection.name} on shard ${shard.shard}`;
  const violation = (anomaly: Anomaly, key: string, description: string, expected: object | null, row: object | null) => ({
    anomaly,
    violation: { description: `${where}: ${description}`, witness: [], evidence: { projection: projection.name, shard: shard.shard, key, expected, actual: row } },
  });

  const findings = [];
  for (const [key, expected] of replayed) {
    const row = actual.get(key);
    if (!row) findings.push(violation('missing', key, `no row for ${key}`, expected, null));
    else {
      const fields = differingFields(expected, row);
      if (fields.length > 0) findings.push(violation('differing', key, `row ${key} differs from the replay in ${fields.join(', ')}`, expected, row));
    }
  }
  for (const [key, row] of actual) {
    if (!replayed.has(key)) findings.push(violation('unexpected', key, `row ${key} is not produced by any stream`, null, row));
  }
  return findings;
}

/** Every row the shard's streams produce, by key. */
function replay(projection: ProjectionDefinition, events: readonly StoredEvent[]): Map<string, ProjectionRow> {
  const rows = new Map<string, ProjectionRow>();
  for (const [key, stream] of groupBy(events, (event) => projection.keyOfStream(event.streamId))) {
    const row = projection.fold(stream.sort((a, b) => a.version - b.version));
    if (row) rows.set(key, row);
  }
  return rows;
}

const differingFields = (expected: object, actual: object): string[] =>
  Object.entries(expected)
    .filter(([field, value]) => JSON.stringify(value) !== JSON.stringify((actual as Record<string, unknown>)[field]))
    .map(([field]) => field);
