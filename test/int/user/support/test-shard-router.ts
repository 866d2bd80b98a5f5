import { createHash } from 'node:crypto';
import type { NodeHandle, ReadOptions, ReadResult, ShardRouter, WriteOptions, WriteResult } from '#libs/shard-router';
import type { DataSource } from 'typeorm';

/** One read the test holds between the database's answer and the caller (to race it with a write). */
export interface HeldRead {
  /** Resolves once the held read has its rows. */
  readonly reached: Promise<void>;
  release(): void;
}

export interface RoutedCall {
  readonly kind: 'write' | 'read';
  readonly shard: number;
  readonly role: 'primary' | 'replica';
}

/**
 * A real ShardRouter over one database per shard, where the "primary" and the "replica" are the same
 * database: a test double of the routing only (no discovery, no failover, no retries) — every statement
 * still runs on real Postgres. Shards by the first 4 bytes of SHA-256(key), modulo the shard count.
 */
export class TestShardRouter implements ShardRouter {
  readonly shardIds: readonly number[];
  /** Every call, in order: tests check what went to the database. */
  readonly calls: RoutedCall[] = [];
  /** Runs before each write's work; a test makes it throw to play a crash between two writes. */
  beforeWrite: ((shard: number, writeIndex: number) => void) | undefined;
  private writes = 0;
  private held: { reached: () => void; gate: Promise<void> } | undefined;

  constructor(
    private readonly shards: readonly DataSource[],
    private readonly name = 'test',
  ) {
    this.shardIds = shards.map((_, index) => index);
  }

  shardFor(key: string): number {
    return createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % this.shards.length;
  }

  async write<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, _options?: WriteOptions): Promise<WriteResult<T>> {
    const node = this.node(shardId, 'primary');
    this.calls.push({ kind: 'write', shard: shardId, role: 'primary' });
    this.beforeWrite?.(shardId, ++this.writes);
    const value = await work(node);
    const rows = (await node.dataSource.query('SELECT pg_current_wal_lsn()::text AS lsn')) as { lsn: string }[];
    return { value, node: node.name, lsn: rows[0]!.lsn, attempts: 1 };
  }

  async read<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, options: ReadOptions = {}): Promise<ReadResult<T>> {
    const role = options.consistency === 'primary' ? 'primary' : 'replica';
    const node = this.node(shardId, role);
    this.calls.push({ kind: 'read', shard: shardId, role });
    if (options.after !== undefined) {
      // One database plays both roles, so it has every write; check the token is a real LSN of it.
      const rows = (await node.dataSource.query('SELECT pg_current_wal_lsn() >= $1::pg_lsn AS replayed', [options.after])) as { replayed: boolean }[];
      if (!rows[0]?.replayed) throw new Error(`shard ${shardId} has not reached ${options.after}`);
    }
    const value = await work(node);
    const held = this.held;
    if (held) {
      this.held = undefined;
      held.reached();
      await held.gate;
    }
    return { value, node: node.name, role };
  }

  /** The next read runs its query, then waits for `release()` before answering: a reader on a slow replica. */
  holdNextRead(): HeldRead {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.held = { reached, gate };
    return { reached: reachedPromise, release };
  }

  currentPrimary(shardId: number): string | undefined {
    return `${this.name}-shard${shardId}`;
  }

  async close(): Promise<void> {
    // The DataSources belong to the test environment.
  }

  private node(shardId: number, role: 'primary' | 'replica'): NodeHandle {
    const dataSource = this.shards[shardId];
    if (!dataSource) throw new Error(`no shard ${shardId}`);
    return { name: `${this.name}-shard${shardId}-${role}`, role, dataSource };
  }
}
