import pg from 'pg';
import type { Registry } from 'prom-client';
import type { ShardConfig } from '#libs/config';
import { backoffDelay, sleep } from './backoff.js';
import { guardedClientClass } from './guarded-pg-client.js';
import { parseLsn } from './lsn.js';
import { NodeConnection, type EntityList } from './node-connection.js';
import { classifyNodeFailure, isPrimaryFailure, type NodeFailure } from './pg-failure.js';
import {
  askMonitor,
  discoveryFromMonitor,
  discoveryFromProbes,
  orderReplicas,
  PROBE_SQL,
  type Discovery,
  type NodeProbe,
} from './primary-discovery.js';
import { shardForKey } from './shard-hash.js';
import { isShardUnavailableError, ShardRouterClosedError, ShardRouterConfigError, ShardUnavailableError, UnknownShardError } from './shard-router.errors.js';
import { shardRouterMetrics, WRITE_OUTCOMES, type PoolSample, type ShardRouterMetrics, type WriteOutcome } from './shard-router.metrics.js';
import type { NodeHandle, ReadOptions, ReadResult, ShardRouter, WriteOptions, WriteResult } from './shard-router.js';

export type ShardRouterLogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Where the router tells what it does: primary changes and failures (info/warn), probes (debug). Adapt pino with `(level, msg, fields) => logger[level](fields, msg)`. */
export type ShardRouterLog = (level: ShardRouterLogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;

export interface ShardRouterOptions {
  /** The topology's shards as the service's config has them (`UserConfig.shards`): node URLs are the caller's own links. */
  readonly shards: readonly ShardConfig[];
  /** The caller's data center: replica reads prefer nodes in it (see `nodeDc`). */
  readonly dc?: string;
  /**
   * Data center of each node, by node name (`nodeDcsOf(topology)` builds it). Topology node ids
   * (`shard0-2`) do not carry the DC; without this map replicas are tried in configuration order.
   */
  readonly nodeDc?: Readonly<Record<string, string>>;
  /** Connections per node (default 10). */
  readonly poolSize?: number;
  /** TCP connect + Postgres startup, and waiting for a pooled connection (default 1000). */
  readonly connectTimeoutMs?: number;
  /** Server-side `statement_timeout` of every connection (default 5000). */
  readonly statementTimeoutMs?: number;
  /** A query without any answer for this long closes its connection (default statementTimeoutMs + 1000). */
  readonly queryTimeoutMs?: number;
  /** Bound on one discovery probe or monitor query (default 2 × connectTimeoutMs). */
  readonly probeTimeoutMs?: number;
  /** Default deadline of `write` (default 10 000) and of `read` (default 5000). */
  readonly writeDeadlineMs?: number;
  readonly readDeadlineMs?: number;
  /** Default `maxWaitMs` of a read `after` an LSN (default 500), and how often the replica is asked meanwhile (default 15). */
  readonly replicaWaitMs?: number;
  readonly replicaPollMs?: number;
  /** At most one discovery per shard this often (default 150). */
  readonly rediscoveryIntervalMs?: number;
  /** Retry backoff: first delay and cap (defaults 20 and 200), with jitter. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** A node that failed is skipped by replica reads for this long (default 2000), unless a probe finds it up. */
  readonly nodeDownMs?: number;
  /** Background refresh of each shard's primary, replica lag and node health (default 2000; 0 turns it off). */
  readonly probeIntervalMs?: number;
  /** TypeORM entities for every node's DataSource (none by default; the schema is never synchronized). */
  readonly entities?: EntityList;
  /** `application_name` of every connection (default `faultline-shard-router`). */
  readonly applicationName?: string;
  /** Where the metrics go; a private registry when absent. */
  readonly metrics?: Registry;
  readonly log?: ShardRouterLog;
}

export const shardRouterDefaults = {
  poolSize: 10,
  connectTimeoutMs: 1000,
  statementTimeoutMs: 5000,
  writeDeadlineMs: 10_000,
  readDeadlineMs: 5000,
  replicaWaitMs: 500,
  replicaPollMs: 15,
  rediscoveryIntervalMs: 150,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  nodeDownMs: 2000,
  probeIntervalMs: 2000,
  keepAliveInitialDelayMs: 1000,
  applicationName: 'faultline-shard-router',
} as const;

type Settings = Required<Omit<ShardRouterOptions, 'shards' | 'dc' | 'nodeDc' | 'entities' | 'metrics' | 'log'>> & {
  readonly keepAliveInitialDelayMs: number;
};

interface NodeState {
  readonly name: string;
  readonly dc: string | undefined;
  readonly conn: NodeConnection;
  /** Replica reads skip the node until then. */
  downUntil: number;
}

interface MonitorState {
  readonly url: string;
  readonly pool: pg.Pool;
  /** Discoveries go straight to probing until then (the background refresh still asks). */
  downUntil: number;
}

interface ShardState {
  readonly id: number;
  readonly label: string;
  readonly formation: string | undefined;
  readonly monitor: MonitorState | undefined;
  readonly nodes: readonly NodeState[];
  readonly byName: ReadonlyMap<string, NodeState>;
  primary: NodeState | undefined;
  replicas: ReadonlySet<string>;
  /** Why no primary is known (last discovery), for errors and logs. */
  noPrimaryDetail: string | undefined;
  discovered: boolean;
  everKnown: boolean;
  /** The primary last logged (discoveries that find the same node again after a failure stay quiet). */
  announced: string | undefined;
  /** A failure of the announced primary was logged (cleared by a success on it or a new primary). */
  failureLogged: boolean;
  discovering: Promise<void> | undefined;
  lastDiscoveryAt: number;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function validate(options: ShardRouterOptions): string[] {
  const issues: string[] = [];
  if (!Array.isArray(options.shards) || options.shards.length === 0) return ['shards: at least one shard is needed'];
  const ids = new Set<number>();
  options.shards.forEach((shard, i) => {
    if (!Number.isInteger(shard.id) || shard.id < 0) issues.push(`shards[${i}].id: must be a non-negative integer, got ${String(shard.id)}`);
    else if (ids.has(shard.id)) issues.push(`shards[${i}].id: shard ${shard.id} appears twice`);
    ids.add(shard.id);
    if (!Array.isArray(shard.nodes) || shard.nodes.length === 0) issues.push(`shards[${i}].nodes: at least one node is needed`);
    const names = new Set<string>();
    (Array.isArray(shard.nodes) ? shard.nodes : []).forEach((node: ShardConfig['nodes'][number], n: number) => {
      if (typeof node.name !== 'string' || node.name === '') issues.push(`shards[${i}].nodes[${n}].name: must be a non-empty string`);
      else if (names.has(node.name)) issues.push(`shards[${i}].nodes[${n}].name: "${node.name}" appears twice`);
      names.add(node.name);
      if (typeof node.url !== 'string' || !/^postgres(ql)?:\/\//.test(node.url)) issues.push(`shards[${i}].nodes[${n}].url: must be a postgres:// URL`);
    });
    if (shard.monitorUrl !== undefined && !shard.formation) issues.push(`shards[${i}].formation: needed with monitorUrl (the monitor is asked about that formation)`);
  });
  const positive: (keyof ShardRouterOptions)[] = [
    'poolSize',
    'connectTimeoutMs',
    'statementTimeoutMs',
    'queryTimeoutMs',
    'probeTimeoutMs',
    'writeDeadlineMs',
    'readDeadlineMs',
    'replicaPollMs',
    'backoffBaseMs',
    'backoffMaxMs',
  ];
  for (const key of positive) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) issues.push(`${key}: must be a positive number`);
  }
  for (const key of ['replicaWaitMs', 'rediscoveryIntervalMs', 'nodeDownMs', 'probeIntervalMs'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) issues.push(`${key}: must be a number ≥ 0`);
  }
  return issues;
}

/**
 * A ShardRouter over real pg_auto_failover shards: one lazily created TypeORM DataSource per node, the
 * primary discovered from the monitor (or by probing the nodes), rediscovered after failures, writes
 * retried through failovers within a deadline, replica reads with read-your-writes. See ../README.md.
 */
export function createShardRouter(options: ShardRouterOptions): ShardRouter {
  const issues = validate(options);
  if (issues.length > 0) throw new ShardRouterConfigError(issues);
  return new PgShardRouter(options);
}

class PgShardRouter implements ShardRouter {
  readonly shardIds: readonly number[];
  private readonly shards: ReadonlyMap<number, ShardState>;
  private readonly monitors = new Map<string, MonitorState>();
  private readonly settings: Settings;
  private readonly metrics: ShardRouterMetrics;
  private readonly poolSource: () => readonly PoolSample[];
  private readonly log: ShardRouterLog;
  private readonly dc: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private closed = false;

  constructor(options: ShardRouterOptions) {
    const d = shardRouterDefaults;
    const connectTimeoutMs = options.connectTimeoutMs ?? d.connectTimeoutMs;
    const statementTimeoutMs = options.statementTimeoutMs ?? d.statementTimeoutMs;
    this.settings = {
      poolSize: options.poolSize ?? d.poolSize,
      connectTimeoutMs,
      statementTimeoutMs,
      queryTimeoutMs: options.queryTimeoutMs ?? statementTimeoutMs + 1000,
      probeTimeoutMs: options.probeTimeoutMs ?? 2 * connectTimeoutMs,
      writeDeadlineMs: options.writeDeadlineMs ?? d.writeDeadlineMs,
      readDeadlineMs: options.readDeadlineMs ?? d.readDeadlineMs,
      replicaWaitMs: options.replicaWaitMs ?? d.replicaWaitMs,
      replicaPollMs: options.replicaPollMs ?? d.replicaPollMs,
      rediscoveryIntervalMs: options.rediscoveryIntervalMs ?? d.rediscoveryIntervalMs,
      backoffBaseMs: options.backoffBaseMs ?? d.backoffBaseMs,
      backoffMaxMs: options.backoffMaxMs ?? d.backoffMaxMs,
      nodeDownMs: options.nodeDownMs ?? d.nodeDownMs,
      probeIntervalMs: options.probeIntervalMs ?? d.probeIntervalMs,
      applicationName: options.applicationName ?? d.applicationName,
      keepAliveInitialDelayMs: d.keepAliveInitialDelayMs,
    };
    this.log = options.log ?? (() => undefined);
    this.dc = options.dc;
    this.metrics = shardRouterMetrics(options.metrics);

    const shards = new Map<number, ShardState>();
    for (const config of [...options.shards].sort((a, b) => a.id - b.id)) {
      const label = String(config.id);
      const nodes = config.nodes.map((node): NodeState => {
        const conn = new NodeConnection(node.name, {
          url: node.url,
          poolSize: this.settings.poolSize,
          connectTimeoutMs,
          statementTimeoutMs,
          queryTimeoutMs: this.settings.queryTimeoutMs,
          keepAliveInitialDelayMs: this.settings.keepAliveInitialDelayMs,
          applicationName: this.settings.applicationName,
          ...(options.entities !== undefined ? { entities: options.entities } : {}),
          onPoolError: (error) => this.log('debug', `shard ${label}: idle connection to ${node.name} failed: ${error.message}`, { shard: config.id, node: node.name }),
        });
        return { name: node.name, dc: options.nodeDc?.[node.name], conn, downUntil: 0 };
      });
      const monitor = config.monitorUrl !== undefined && config.formation ? this.monitorFor(config.monitorUrl) : undefined;
      shards.set(config.id, {
        id: config.id,
        label,
        formation: config.formation,
        monitor,
        nodes,
        byName: new Map(nodes.map((n) => [n.name, n])),
        primary: undefined,
        replicas: new Set(),
        noPrimaryDetail: undefined,
        discovered: false,
        everKnown: false,
        announced: undefined,
        failureLogged: false,
        discovering: undefined,
        lastDiscoveryAt: Number.NEGATIVE_INFINITY,
      });
      for (const node of nodes) this.metrics.primaryInfo.set({ shard: label, node: node.name }, 0);
      this.metrics.rediscoveries.inc({ shard: label }, 0);
      this.metrics.writeRetries.inc({ shard: label }, 0);
      for (const outcome of WRITE_OUTCOMES) this.metrics.writes.inc({ shard: label, outcome }, 0);
    }
    this.shards = shards;
    this.shardIds = [...shards.keys()];
    this.poolSource = () => [...shards.values()].flatMap((s) => s.nodes.map((n) => ({ shard: s.label, node: n.name, usage: n.conn.poolUsage() })));
    this.metrics.poolSources.add(this.poolSource);

    if (this.settings.probeIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.ticking ??= this.tick().finally(() => {
          this.ticking = undefined;
        });
      }, this.settings.probeIntervalMs);
      this.timer.unref();
    }
  }

  shardFor(key: string): number {
    return shardForKey(key, this.shardIds);
  }

  currentPrimary(shardId: number): string | undefined {
    return this.shard(shardId).primary?.name;
  }

  async write<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, options: WriteOptions = {}): Promise<WriteResult<T>> {
    const shard = this.shard(shardId);
    let result;
    try {
      result = await this.onPrimary(
        shard,
        'write',
        async (handle) => {
          const value = await work(handle);
          const rows: { lsn: string }[] = await handle.dataSource.query('select pg_current_wal_lsn()::text as lsn');
          return { value, lsn: rows[0]!.lsn };
        },
        options.deadlineMs ?? this.settings.writeDeadlineMs,
        options.signal,
      );
    } catch (error) {
      this.countWrite(shard, isShardUnavailableError(error) ? 'unavailable' : this.closed || options.signal?.aborted ? 'aborted' : 'rejected');
      throw error;
    }
    this.countWrite(shard, 'ok');
    return { value: result.value.value, node: result.node, lsn: result.value.lsn, attempts: result.attempts };
  }

  async read<T>(shardId: number, work: (node: NodeHandle) => Promise<T>, options: ReadOptions = {}): Promise<ReadResult<T>> {
    const shard = this.shard(shardId);
    const started = Date.now();
    const deadlineMs = options.deadlineMs ?? this.settings.readDeadlineMs;
    const { signal } = options;
    if (options.after !== undefined) parseLsn(options.after); // a TypeError for a malformed LSN, before any work
    if (options.consistency !== 'primary') {
      this.assertOpen();
      signal?.throwIfAborted();
      if (!shard.discovered) await this.discover(shard, 'missing');
      let candidates = orderReplicas(
        shard.nodes.filter((n) => n !== shard.primary),
        shard.replicas,
        { ...(this.dc !== undefined ? { dc: this.dc } : {}), dcOf: (name) => shard.byName.get(name)?.dc, isDown: (name) => this.isDown(shard.byName.get(name)!) },
      );
      if (options.after !== undefined && candidates.length > 0) {
        const maxWaitMs = Math.max(0, Math.min(options.maxWaitMs ?? this.settings.replicaWaitMs, deadlineMs - (Date.now() - started)));
        candidates = await this.replayedReplicas(shard, candidates, options.after, maxWaitMs, signal);
      }
      for (const node of candidates) {
        signal?.throwIfAborted();
        try {
          const dataSource = await node.conn.get();
          const value = await work({ name: node.name, role: 'replica', dataSource });
          return { value, node: node.name, role: 'replica' };
        } catch (error) {
          this.assertOpen();
          const failure = classifyNodeFailure(error);
          if (failure === undefined || failure === 'read-only') throw error;
          this.nodeFailed(shard, node, failure, error);
        }
      }
    }
    const remaining = Math.max(0, deadlineMs - (Date.now() - started));
    const result = await this.onPrimary(shard, 'read', work, remaining, signal);
    return { value: result.value, node: result.node, role: 'primary' };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.metrics.poolSources.delete(this.poolSource);
    await this.ticking?.catch(() => undefined);
    await Promise.allSettled([...this.shards.values()].map((s) => s.discovering));
    await Promise.allSettled([...this.shards.values()].flatMap((s) => s.nodes.map((n) => n.conn.close())));
    await Promise.allSettled([...this.monitors.values()].map((m) => m.pool.end()));
  }

  // --- primary ---------------------------------------------------------------------------------------

  /**
   * Runs `work` on the shard's primary until it succeeds, fails with an error that is not a node
   * failure (thrown at once), or `deadlineMs` has passed (ShardUnavailableError). At least one attempt
   * is made when a primary is known, whatever the deadline.
   */
  private async onPrimary<T>(
    shard: ShardState,
    operation: 'write' | 'read',
    work: (node: NodeHandle) => Promise<T>,
    deadlineMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T; node: string; attempts: number }> {
    const started = Date.now();
    const deadline = started + deadlineMs;
    let attempts = 0;
    let retries = 0;
    let lastError: unknown;
    for (;;) {
      this.assertOpen();
      signal?.throwIfAborted();
      const node = shard.primary ?? (await this.discover(shard, 'missing'), shard.primary);
      if (node) {
        attempts++;
        try {
          const dataSource = await node.conn.get();
          const value = await work({ name: node.name, role: 'primary', dataSource });
          if (shard.announced === node.name) shard.failureLogged = false;
          return { value, node: node.name, attempts };
        } catch (error) {
          signal?.throwIfAborted();
          this.assertOpen(); // closed meanwhile: its pools are gone
          const failure = classifyNodeFailure(error);
          if (!isPrimaryFailure(failure)) throw error;
          lastError = error;
          this.nodeFailed(shard, node, failure, error);
        }
      } else {
        lastError = new Error(`no primary known: ${shard.noPrimaryDetail ?? 'not discovered yet'}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const error = new ShardUnavailableError(shard.id, operation, attempts, Date.now() - started, { cause: lastError });
        this.log('warn', error.message, { shard: shard.id, operation, attempts });
        throw error;
      }
      retries++;
      if (operation === 'write') this.metrics.writeRetries.inc({ shard: shard.label });
      await sleep(Math.min(left, backoffDelay(retries, { baseMs: this.settings.backoffBaseMs, maxMs: this.settings.backoffMaxMs })), signal);
    }
  }

  /** `faultline_shard_writes_total`: what the write SLO of each shard counts (slo/write-availability-shard*.yaml). */
  private countWrite(shard: ShardState, outcome: WriteOutcome): void {
    this.metrics.writes.inc({ shard: shard.label, outcome });
  }

  /** A node failed: replica reads skip it for a while; if it was the primary, the primary is unknown until rediscovered. */
  private nodeFailed(shard: ShardState, node: NodeState, failure: NodeFailure, error: unknown): void {
    if (failure === 'connection' || failure === 'shutdown') {
      node.downUntil = Date.now() + this.settings.nodeDownMs;
      this.metrics.nodeUp.set({ shard: shard.label, node: node.name }, 0);
    }
    if (shard.primary === node && isPrimaryFailure(failure)) {
      shard.primary = undefined;
      shard.noPrimaryDetail = `${node.name} failed (${failure}): ${errorText(error)}`;
      this.setPrimaryGauge(shard);
      // Once per primary: while the monitor still names a dead node, every rediscovery finds it again.
      const level = shard.failureLogged ? 'debug' : 'warn';
      shard.failureLogged = true;
      this.log(level, `shard ${shard.id}: primary ${node.name} failed (${failure}): rediscovering`, { shard: shard.id, node: node.name, failure, error: errorText(error) });
    } else {
      this.log('debug', `shard ${shard.id}: ${node.name} failed (${failure}): ${errorText(error)}`, { shard: shard.id, node: node.name, failure });
    }
  }

  /**
   * Finds the shard's primary and replicas; at most one run per shard at a time (callers share it) and
   * one per `rediscoveryIntervalMs`. Never rejects: what it could not find out stays unknown.
   */
  private discover(shard: ShardState, reason: 'missing' | 'refresh'): Promise<void> {
    shard.discovering ??= (async () => {
      const wait = shard.lastDiscoveryAt + this.settings.rediscoveryIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (this.closed || (reason === 'missing' && shard.primary)) return;
      if (reason === 'missing' && shard.everKnown) this.metrics.rediscoveries.inc({ shard: shard.label });
      shard.lastDiscoveryAt = Date.now();
      const discovery = await this.runDiscovery(shard, reason === 'refresh');
      if (!this.closed) this.apply(shard, discovery);
    })()
      .catch((error: unknown) => this.log('error', `shard ${shard.id}: discovery failed: ${errorText(error)}`, { shard: shard.id }))
      .finally(() => {
        shard.discovering = undefined;
      });
    return shard.discovering;
  }

  private async runDiscovery(shard: ShardState, forceMonitor: boolean): Promise<Discovery> {
    const monitor = shard.monitor;
    if (monitor && shard.formation && (forceMonitor || Date.now() >= monitor.downUntil)) {
      try {
        const { primary, rows } = await withTimeout(askMonitor(monitor.pool, shard.formation), this.settings.probeTimeoutMs, 'the monitor');
        if (monitor.downUntil > 0) this.log('info', `the monitor answers again (${monitor.url.replace(/\/\/[^@]*@/, '//')})`);
        monitor.downUntil = 0;
        if (primary === undefined || shard.byName.has(primary)) return discoveryFromMonitor(primary, rows.filter((r) => shard.byName.has(r.name)));
        this.log('warn', `shard ${shard.id}: the monitor names "${primary}" primary, which is not one of this shard's nodes: probing the nodes`, { shard: shard.id });
      } catch (error) {
        if (monitor.downUntil === 0) this.log('warn', `shard ${shard.id}: the monitor cannot be asked (${errorText(error)}): probing the nodes`, { shard: shard.id });
        monitor.downUntil = Date.now() + Math.max(this.settings.probeIntervalMs, 1000);
      }
    }
    const probes = await Promise.all(shard.nodes.map((node) => this.probe(shard, node)));
    return discoveryFromProbes(probes);
  }

  private async probe(shard: ShardState, node: NodeState): Promise<NodeProbe> {
    try {
      const rows = await withTimeout(
        node.conn.get().then((dataSource) => dataSource.query(PROBE_SQL) as Promise<{ in_recovery: boolean; read_only: string }[]>),
        this.settings.probeTimeoutMs,
        `probe of ${node.name}`,
      );
      this.nodeAnswered(shard, node);
      return { name: node.name, ok: true, inRecovery: rows[0]!.in_recovery === true, readOnly: rows[0]!.read_only === 'on' };
    } catch (error) {
      node.downUntil = Date.now() + this.settings.nodeDownMs;
      this.metrics.nodeUp.set({ shard: shard.label, node: node.name }, 0);
      return { name: node.name, ok: false, error };
    }
  }

  private apply(shard: ShardState, discovery: Discovery): void {
    const previous = shard.announced;
    shard.primary = discovery.primary !== undefined ? shard.byName.get(discovery.primary) : undefined;
    shard.replicas = new Set(discovery.replicas);
    shard.noPrimaryDetail = discovery.detail;
    shard.discovered = true;
    if (shard.primary) shard.everKnown = true;
    this.setPrimaryGauge(shard);
    const now = shard.primary?.name;
    if (now !== previous) {
      shard.announced = now;
      shard.failureLogged = false;
      const how = `${discovery.source === 'monitor' ? 'per the monitor' : 'by probing the nodes'}${discovery.detail ? `: ${discovery.detail}` : ''}`;
      this.log(now ? 'info' : 'warn', `shard ${shard.id}: primary ${previous ?? '(unknown)'} → ${now ?? '(unknown)'} ${how}`, {
        shard: shard.id,
        primary: now ?? null,
        previous: previous ?? null,
        source: discovery.source,
      });
    }
  }

  private setPrimaryGauge(shard: ShardState): void {
    for (const node of shard.nodes) this.metrics.primaryInfo.set({ shard: shard.label, node: node.name }, node === shard.primary ? 1 : 0);
  }

  // --- replicas --------------------------------------------------------------------------------------

  /**
   * The candidates (in their order) that have replayed `after`, asking them every `replicaPollMs` for up
   * to `maxWaitMs`; empty when none has in time (the read then goes to the primary).
   */
  private async replayedReplicas(shard: ShardState, candidates: NodeState[], after: string, maxWaitMs: number, signal: AbortSignal | undefined): Promise<NodeState[]> {
    const until = Date.now() + maxWaitMs;
    let pending = candidates;
    for (;;) {
      const answers = await Promise.all(
        pending.map(async (node) => {
          try {
            const rows = await withTimeout(
              node.conn
                .get()
                .then(
                  (dataSource) =>
                    dataSource.query('select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) as replayed', [after]) as Promise<{ replayed: boolean }[]>,
                ),
              Math.max(this.settings.probeTimeoutMs, 1),
              `replay check on ${node.name}`,
            );
            return rows[0]!.replayed === true;
          } catch (error) {
            const failure = classifyNodeFailure(error);
            if (failure) this.nodeFailed(shard, node, failure, error);
            return undefined;
          }
        }),
      );
      const ready = pending.filter((_, i) => answers[i] === true);
      if (ready.length > 0) return ready;
      pending = pending.filter((_, i) => answers[i] === false);
      if (pending.length === 0 || Date.now() + this.settings.replicaPollMs > until) return [];
      await sleep(this.settings.replicaPollMs, signal);
    }
  }

  private isDown(node: NodeState): boolean {
    return Date.now() < node.downUntil;
  }

  private nodeAnswered(shard: ShardState, node: NodeState): void {
    node.downUntil = 0;
    this.metrics.nodeUp.set({ shard: shard.label, node: node.name }, 1);
  }

  // --- background ------------------------------------------------------------------------------------

  /** Every `probeIntervalMs`: refresh each shard's primary, measure its replicas' lag, see which nodes answer. */
  private async tick(): Promise<void> {
    await Promise.allSettled([...this.shards.values()].map((shard) => this.probeShard(shard)));
  }

  private async probeShard(shard: ShardState): Promise<void> {
    await this.discover(shard, 'refresh');
    const primary = shard.primary;
    if (this.closed || !primary) return;
    const labels = (node: NodeState) => ({ shard: shard.label, node: node.name });
    let primaryLsn: string;
    try {
      const rows = await withTimeout(
        primary.conn.get().then((dataSource) => dataSource.query('select pg_current_wal_lsn()::text as lsn') as Promise<{ lsn: string }[]>),
        this.settings.probeTimeoutMs,
        `WAL position of ${primary.name}`,
      );
      primaryLsn = rows[0]!.lsn;
      this.nodeAnswered(shard, primary);
    } catch (error) {
      this.log('debug', `shard ${shard.id}: lag probe: the primary ${primary.name} did not answer: ${errorText(error)}`, { shard: shard.id });
      return;
    }
    this.metrics.replicaLagBytes.remove(labels(primary));
    this.metrics.replicaLagSeconds.remove(labels(primary));
    await Promise.allSettled(
      shard.nodes
        .filter((node) => node !== primary)
        .map(async (node) => {
          try {
            const rows = await withTimeout(
              node.conn.get().then(
                (dataSource) =>
                  dataSource.query(
                    `select pg_is_in_recovery() as in_recovery,
                            greatest(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::float8 as lag_bytes,
                            coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)::float8 as replay_age`,
                    [primaryLsn],
                  ) as Promise<{ in_recovery: boolean; lag_bytes: number | null; replay_age: number }[]>,
              ),
              this.settings.probeTimeoutMs,
              `lag probe of ${node.name}`,
            );
            this.nodeAnswered(shard, node);
            const row = rows[0]!;
            if (!row.in_recovery || row.lag_bytes === null) {
              this.metrics.replicaLagBytes.remove(labels(node));
              this.metrics.replicaLagSeconds.remove(labels(node));
              return;
            }
            this.metrics.replicaLagBytes.set(labels(node), row.lag_bytes);
            this.metrics.replicaLagSeconds.set(labels(node), row.lag_bytes > 0 ? Math.max(0, row.replay_age) : 0);
          } catch (error) {
            node.downUntil = Date.now() + this.settings.nodeDownMs;
            this.metrics.nodeUp.set(labels(node), 0);
            this.metrics.replicaLagBytes.remove(labels(node));
            this.metrics.replicaLagSeconds.remove(labels(node));
            this.log('debug', `shard ${shard.id}: lag probe of ${node.name} failed: ${errorText(error)}`, { shard: shard.id, node: node.name });
          }
        }),
    );
  }

  // --- plumbing --------------------------------------------------------------------------------------

  private shard(shardId: number): ShardState {
    const shard = this.shards.get(shardId);
    if (!shard) throw new UnknownShardError(shardId, this.shardIds);
    return shard;
  }

  private assertOpen(): void {
    if (this.closed) throw new ShardRouterClosedError();
  }

  private monitorFor(url: string): MonitorState {
    let monitor = this.monitors.get(url);
    if (!monitor) {
      const Client = guardedClientClass(this.settings.probeTimeoutMs) as unknown as new () => pg.ClientBase;
      const pool = new pg.Pool({
        connectionString: url,
        max: 2,
        idleTimeoutMillis: 30_000,
        connectionTimeoutMillis: this.settings.connectTimeoutMs,
        statement_timeout: this.settings.probeTimeoutMs,
        keepAlive: true,
        keepAliveInitialDelayMillis: this.settings.keepAliveInitialDelayMs,
        application_name: this.settings.applicationName,
        Client,
      });
      pool.on('error', (error) => this.log('debug', `an idle connection to the monitor failed: ${error.message}`));
      monitor = { url, pool, downUntil: 0 };
      this.monitors.set(url, monitor);
    }
    return monitor;
  }
}
