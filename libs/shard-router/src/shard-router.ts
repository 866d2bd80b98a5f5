import type { DataSource } from 'typeorm';

/**
 * The contract between the services and the sharded, replicated Postgres. A service never picks a node:
 * it names a shard (from `shardFor(key)`) and says whether it writes or reads, and the router finds the
 * node, rediscovering the primary after a failover and retrying writes through the promotion's read-only
 * window within a deadline.
 *
 * Work functions get a TypeORM DataSource bound to one node; they must be safe to run again (writes are
 * retried after an ambiguous failure: make them idempotent, e.g. with the event store's idempotency keys).
 */
export interface ShardRouter {
  /** The shard ids of the topology, ascending. */
  readonly shardIds: readonly number[];

  /** The shard that owns `key` (an aggregate id, an email hash…): stable across processes and restarts. */
  shardFor(key: string): number;

  /**
   * Runs `work` on the shard's current primary. Connection failures, `read_only_sql_transaction`,
   * `admin_shutdown` and the like trigger rediscovery and a retry until `deadlineMs` (default 10 000)
   * has passed; other errors are thrown at once.
   */
  write<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, options?: WriteOptions): Promise<WriteResult<T>>;

  /**
   * Runs `work` on a replica of the shard (one in the caller's DC first), falling back to the primary
   * when no replica answers. With `after`, only on a node that has replayed that LSN (waiting up to
   * `maxWaitMs` for a replica to catch up, else the primary). With `consistency: 'primary'`, on the primary.
   */
  read<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, options?: ReadOptions): Promise<ReadResult<T>>;

  /** The node the router currently believes is the shard's primary, if known. */
  currentPrimary(shardId: number): string | undefined;

  /** Stops background probes and closes every pool. */
  close(): Promise<void>;
}

export interface NodeHandle {
  /** The node's name in the topology, e.g. `shard0-a`. */
  readonly name: string;
  readonly role: 'primary' | 'replica';
  readonly dataSource: DataSource;
}

export interface WriteOptions {
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface WriteResult<T> {
  readonly value: T;
  readonly node: string;
  /** `pg_current_wal_lsn()` on the primary after `work` returned: a read `after` it sees the write. */
  readonly lsn: string;
  readonly attempts: number;
}

export interface ReadOptions {
  readonly consistency?: 'replica' | 'primary';
  /** An LSN the node must have replayed (from a `WriteResult`). */
  readonly after?: string;
  /** How long to wait for a replica to replay `after` before reading from the primary (default 500). */
  readonly maxWaitMs?: number;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface ReadResult<T> {
  readonly value: T;
  readonly node: string;
  readonly role: 'primary' | 'replica';
}
