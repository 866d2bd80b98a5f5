import type pg from 'pg';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { guardedClientClass } from './guarded-pg-client.js';

export type EntityList = MixedList<Function | string | EntitySchema>;

export interface NodeConnectionOptions {
  /** `postgres://user@host:port/database`: the node through the caller's own link. */
  readonly url: string;
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly queryTimeoutMs: number;
  readonly keepAliveInitialDelayMs: number;
  readonly applicationName: string;
  readonly entities?: EntityList;
  readonly onPoolError?: (error: Error) => void;
}

/** The pg Pool underneath TypeORM's postgres driver, as `faultline_db_pool_connections` reports it. */
export interface PoolUsage {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** TypeORM 1.1's PostgresDriver keeps its pg Pool in `master` (without `replication` options). */
const poolOf = (dataSource: DataSource): pg.Pool | undefined => (dataSource.driver as unknown as { master?: pg.Pool }).master;

/**
 * One TypeORM DataSource for one node, created on first use. A failed initialization (node down) leaves
 * nothing behind and is tried again on the next use. Every timeout is bounded, so a blackholed node
 * fails a request in about `connectTimeoutMs` (new connection) or `queryTimeoutMs` (open connection):
 * - `connectionTimeoutMillis`: TCP connect + startup (and waiting for a free pooled connection);
 * - `statement_timeout` (server side) for slow statements on a live server;
 * - the guarded client's query timeout for a server that does not answer at all (see guarded-pg-client);
 * - TCP keepalive on every connection.
 */
export class NodeConnection {
  private dataSource: DataSource | undefined;
  private pending: Promise<DataSource> | undefined;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly options: NodeConnectionOptions,
  ) {}

  /** The node's initialized DataSource (connecting now if needed); rejects when the node cannot be reached. */
  get(): Promise<DataSource> {
    if (this.closed) return Promise.reject(new Error(`the connection to ${this.name} is closed`));
    if (this.dataSource?.isInitialized) return Promise.resolve(this.dataSource);
    this.pending ??= this.open().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** The pool's connection counts, or undefined before the first successful connection. */
  poolUsage(): PoolUsage | undefined {
    const pool = this.dataSource?.isInitialized ? poolOf(this.dataSource) : undefined;
    return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending?.catch(() => undefined);
    const dataSource = this.dataSource;
    this.dataSource = undefined;
    if (dataSource?.isInitialized) await dataSource.destroy();
  }

  private async open(): Promise<DataSource> {
    const o = this.options;
    const dataSource = new DataSource({
      type: 'postgres',
      url: o.url,
      entities: o.entities ?? [],
      synchronize: false,
      migrationsRun: false,
      installExtensions: false,
      logging: false,
      poolSize: o.poolSize,
      connectTimeoutMS: o.connectTimeoutMs,
      applicationName: o.applicationName,
      ...(o.onPoolError ? { poolErrorHandler: o.onPoolError } : {}),
      extra: {
        Client: guardedClientClass(o.queryTimeoutMs),
        statement_timeout: o.statementTimeoutMs,
        keepAlive: true,
        keepAliveInitialDelayMillis: o.keepAliveInitialDelayMs,
      },
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      // initialize() leaves the driver's pool behind when it fails after connecting (e.g. on a query).
      const pool = poolOf(dataSource);
      if (pool && !dataSource.isInitialized) {
        (dataSource.driver as unknown as { master?: unknown }).master = undefined;
        await pool.end().catch(() => undefined);
      }
      throw error;
    }
    if (this.closed) {
      await dataSource.destroy();
      throw new Error(`the connection to ${this.name} is closed`);
    }
    this.dataSource = dataSource;
    return dataSource;
  }
}
