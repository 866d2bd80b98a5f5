import type { ShardSnapshot, StoredEvent } from './store-snapshot.js';

/** Every read model row records the stream version it reflects (rows only ever move forward). */
export interface ProjectionRow {
  readonly version: number;
}

/**
 * A read model as the checkers see it: where its rows are in a snapshot, which streams feed which row, and
 * the fold that rebuilds a row from its stream. Lost-write checks use it to find the row a write must be in;
 * the replay check compares every row with the fold.
 */
export interface ProjectionDefinition<Row extends ProjectionRow = ProjectionRow> {
  readonly name: string;
  /** The rows on a shard; undefined when the snapshot did not capture this projection. */
  rowsOf(shard: ShardSnapshot): readonly Row[] | undefined;
  keyOfRow(row: Row): string;
  /** The row a stream feeds, or undefined for streams of other read models. */
  keyOfStream(streamId: string): string | undefined;
  /** The row a stream's events (all of them, in version order) produce; undefined when they produce none. */
  fold(events: readonly StoredEvent[]): Row | undefined;
}

/** The key of a `<prefix><id>` stream, for `keyOfStream`. */
export const streamKey =
  (prefix: string) =>
  (streamId: string): string | undefined =>
    streamId.startsWith(prefix) ? streamId.slice(prefix.length) : undefined;

/**
 * Folds a stream's events of the given types (others are skipped: a read model ignores what it does not
 * know) with `step`, which sees each event with the stream version it brings the row to.
 */
export function foldStream<E, Row>(
  events: readonly StoredEvent[],
  types: readonly string[],
  step: (row: Row | undefined, event: E, version: number) => Row | undefined,
): Row | undefined {
  let row: Row | undefined;
  for (const stored of events) if (types.includes(stored.type)) row = step(row, stored as unknown as E, stored.version);
  return row;
}
