import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { UserConfig } from '#libs/config';
import {
  createShardRouter,
  formatLsn,
  isLsn,
  isShardUnavailableError,
  nodeDcsOf,
  parseLsn,
  sqlStateOf,
  type ShardRouter,
  type ShardRouterOptions,
  type ShardUnavailableError,
} from '#libs/shard-router';
import { topologyFromSpec, type Component, type Topology } from '#libs/topology';
import { appConfigOf } from '../../../libs/lab/src/components/app/app.component.js';
import {
  currentPrimary,
  killPostgresNode,
  type KilledPostgresNode,
  postgresMonitorRunner,
  postgresNodeRunner,
  postgresRoles,
  stopPostgresNode,
  waitForPostgresNodeGone,
} from '../../../libs/lab/src/components/postgres/index.js';
import { createLabContext, type LabContext } from '../../../libs/lab/src/lab-context.js';
import { labPaths } from '../../../libs/lab/src/lab-paths.js';
import { isRunningAsRoot } from '../../../libs/lab/src/process/as-user.js';
import type { ProcessIdentity } from '../../../libs/lab/src/process/process-identity.js';
import { runCommand } from '../../../libs/lab/src/process/run-command.js';
import { pgQuery } from '../../../libs/lab/src/readiness/pg-query.js';
import { waitUntil } from '../../../libs/lab/src/readiness/wait-until.js';
import { postgresMissing, startComponent, topologyOnFreePorts } from '../lab/support/postgres-lab.js';
import { startControllableLink, type ControllableLink } from './support/controllable-link.js';

/**
 * The shard router against real pg_auto_failover: a monitor and one shard (primary + replica) on their
 * own port range (24000+), every link — the peers', the keepers' and the user service's own links to
 * the nodes and the monitor — through a TCP link the test can blackhole. The router gets exactly the
 * shard configuration the lab gives a user service (`appConfigOf`).
 */
const missing = postgresMissing();
if (missing) console.warn(`shard-router: skipped: ${missing}`);
const describeWithPostgres = missing ? describe.skip : describe;

/** From the moment the new primary accepts writes to the router's first write committed on it. */
const PICKUP_BUDGET_MS = Number(process.env.FAULTLINE_ROUTER_PICKUP_BUDGET_MS ?? 1500);
const WRITER_DEADLINE_MS = 30_000;

describeWithPostgres('shard router on pg_auto_failover (native)', () => {
  const APP = 'dc-a.user-1';
  const makeTopology = (portBase: number) =>
    topologyFromSpec(
      {
        name: 'shard-router-test',
        portBase,
        dataCenters: [{ id: 'dc-a', region: 'eu', gateways: 1, user: 1, media: 1, worker: 1 }],
        shards: [{ primary: 'dc-a', replicas: ['dc-a'] }],
      },
      'shard-router test',
    );

  let topology: Topology;
  let monitor: Component;
  let first: Component;
  let second: Component;
  let stateDir: string | undefined;
  let ctx: LabContext;
  let shardsConfig: UserConfig['shards'];
  const links = new Map<string, ControllableLink>();
  const running = new Map<string, ProcessIdentity>();
  const routers: ShardRouter[] = [];
  const timings: string[] = [];
  const logs: string[] = [];
  let registry: Registry;
  let router: ShardRouter;
  let firstKilled: KilledPostgresNode | undefined;

  const runnerOf = (c: Component) => (c.kind === 'postgres-monitor' ? postgresMonitorRunner : postgresNodeRunner);
  const start = async (c: Component) => (await startComponent(runnerOf(c), c, ctx, { onSpawned: (identity) => running.set(c.id, identity) })).detail;
  const sql = <Row extends Record<string, unknown>>(node: Component, text: string, params: unknown[] = []) =>
    pgQuery<Row>({ host: node.host, port: node.port, database: 'app' }, text, { params, timeoutMs: 2000 });
  const appLink = (to: string) => links.get(`${APP}->${to}`)!;
  const makeRouter = (options: Partial<ShardRouterOptions> = {}) => {
    const r = createShardRouter({
      shards: shardsConfig,
      dc: 'dc-a',
      nodeDc: nodeDcsOf(topology),
      log: (level, message) => logs.push(`${new Date().toISOString()} ${level} ${message}`),
      ...options,
    });
    routers.push(r);
    return r;
  };
  const metric = async (name: string, labels: Record<string, string>): Promise<number | undefined> => {
    const m = registry.getSingleMetric(name);
    if (!m) return undefined;
    const { values } = await m.get();
    return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
  };

  /** Until the primary reports `primary` (not just wait_primary) and the other `secondary`: only then can it fail over. */
  const settledPair = async (primary: Component, secondary: Component) => {
    await waitUntil(
      `${primary.id} primary and ${secondary.id} secondary`,
      async () => {
        const r = await postgresRoles(ctx);
        const p = r.get(primary.id);
        const s = r.get(secondary.id);
        if (p?.reportedState !== 'primary' || !p.settled || s?.reportedState !== 'secondary' || !s.settled) {
          throw new Error(`${primary.id} ${p?.summary ?? '?'}, ${secondary.id} ${s?.summary ?? '?'}`);
        }
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  };

  beforeAll(async () => {
    topology = await topologyOnFreePorts(makeTopology, 24_000, 500, 4);
    monitor = topology.components.find((c) => c.kind === 'postgres-monitor')!;
    [first, second] = topology.shards[0]!.nodes.map((id) => topology.components.find((c) => c.id === id)!) as [Component, Component];
    stateDir = mkdtempSync(join(tmpdir(), 'faultline-router-'));
    chmodSync(stateDir, 0o755); // the postgres user must reach the data when we run as root
    const paths = labPaths(stateDir);
    for (const dir of [paths.logsDir, paths.dataDir, paths.confDir, paths.runDir]) mkdirSync(dir, { recursive: true });
    ctx = createLabContext({ topology, paths, isRoot: isRunningAsRoot(), faultlineBin: '', faultProxyUrl: '', run: runCommand });
    const wanted = topology.links.filter(
      (l) => l.kind === 'sql-peer' || l.kind === 'failover-control' || (l.from === APP && (l.to === monitor.id || topology.shards[0]!.nodes.includes(l.to))),
    );
    for (const link of wanted) links.set(link.name, await startControllableLink(link.name, link.listen, link.upstream));

    // What the lab gives the user service: node URLs are its own links, not the nodes' addresses.
    shardsConfig = (appConfigOf(topology.components.find((c) => c.id === APP) as Component & { kind: 'user' }, ctx) as UserConfig).shards;
    expect(shardsConfig[0]!.nodes.map((n) => n.name)).toEqual([first.id, second.id]);
    expect(shardsConfig[0]!.nodes[0]!.url).toBe(`postgres://postgres@127.0.0.1:${ctx.link(APP, first.id).listen.port}/app`);

    const t0 = Date.now();
    await start(monitor);
    expect(await start(first)).toMatch(/single|wait_primary|primary/);
    expect(await start(second)).toBe('secondary');
    await settledPair(first, second);
    timings.push(`monitor + primary + secondary healthy and settled in ${Date.now() - t0} ms`);
    await sql(first, 'create table router_writes (id bigserial primary key, writer text not null, seq int not null, at timestamptz not null default now(), unique (writer, seq))');
    await sql(first, 'create table writability_probe (id bigserial primary key, at timestamptz not null default now())');

    registry = new Registry();
    router = makeRouter({ metrics: registry, statementTimeoutMs: 2000 });
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(routers.map((r) => r.close()));
    // Nodes first (in parallel), then the monitor; then whatever is left (a test failed mid-way) by SIGKILL.
    const stop = async (id: string) => {
      const identity = running.get(id);
      if (!identity) return;
      await stopPostgresNode(identity, { timeoutMs: 15_000 }).catch((error) => console.error(`shard-router: stopping ${id} failed`, error));
      running.delete(id);
    };
    await Promise.all([...running.keys()].filter((id) => id !== monitor?.id).map(stop));
    if (monitor) await stop(monitor.id);
    for (const identity of running.values()) {
      killPostgresNode(identity);
      await waitForPostgresNodeGone(identity, 10_000).catch(() => undefined);
    }
    await Promise.allSettled([...links.values()].map((l) => l.close()));
    if (timings.length > 0) console.log(`shard-router timings:\n  ${timings.join('\n  ')}`);
    if (process.env.FAULTLINE_ROUTER_LOGS) console.log(`shard-router log:\n  ${logs.join('\n  ')}`);
    if (process.env.FAULTLINE_KEEP_TEST_DIR) console.log(`shard-router: state kept in ${stateDir}`);
    else if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  const inRecovery = async (dataSource: { query: (q: string) => Promise<{ r: boolean }[]> }) => (await dataSource.query('select pg_is_in_recovery() as r'))[0]!.r;

  it('writes on the primary and reads on the replica, as the servers themselves confirm', async () => {
    const write = await router.write(0, async ({ dataSource, role, name }) => {
      expect(role).toBe('primary');
      const rows: { id: string }[] = await dataSource.query("insert into router_writes (writer, seq) values ('basic', 1) returning id");
      return { id: rows[0]!.id, recovering: await inRecovery(dataSource), name };
    });
    expect(write).toMatchObject({ node: first.id, attempts: 1, value: { recovering: false, name: first.id } });
    expect(isLsn(write.lsn)).toBe(true);
    expect(router.currentPrimary(0)).toBe(first.id);

    const read = await router.read(
      0,
      async ({ dataSource }) => ({
        rows: (await dataSource.query('select seq from router_writes where id = $1', [write.value.id])) as { seq: number }[],
        recovering: await inRecovery(dataSource),
      }),
      { after: write.lsn },
    );
    expect(read).toMatchObject({ node: second.id, role: 'replica', value: { rows: [{ seq: 1 }], recovering: true } });

    const onPrimary = await router.read(0, async ({ dataSource }) => inRecovery(dataSource), { consistency: 'primary' });
    expect(onPrimary).toEqual({ value: false, node: first.id, role: 'primary' });

    // A write through the replica is refused by the server (it is read-only): the router routes by role, for real.
    await expect(router.read(0, async ({ dataSource }) => dataSource.query("insert into router_writes (writer, seq) values ('nope', 1)"))).rejects.toThrow(/read-only/);

    // The write SLO's counter: a write the primary refuses (not a node failure: the shard answered) is `rejected`.
    const okBefore = (await metric('faultline_shard_writes_total', { shard: '0', outcome: 'ok' })) ?? 0;
    await expect(router.write(0, ({ dataSource }) => dataSource.query('insert into no_such_table values (1)'))).rejects.toThrow(/no_such_table/);
    expect(await metric('faultline_shard_writes_total', { shard: '0', outcome: 'rejected' })).toBe(1);
    await router.write(0, ({ dataSource }) => dataSource.query("insert into router_writes (writer, seq) values ('basic', 2)"));
    expect(await metric('faultline_shard_writes_total', { shard: '0', outcome: 'ok' })).toBe(okBefore + 1);
    expect(okBefore).toBeGreaterThanOrEqual(1);

    expect(await metric('faultline_shard_primary_info', { shard: '0', node: first.id })).toBe(1);
    expect(await metric('faultline_shard_primary_info', { shard: '0', node: second.id })).toBe(0);
    await registry.metrics(); // the pool gauge is filled on scrape
    expect(await metric('faultline_db_pool_connections', { shard: '0', node: first.id, state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(await metric('faultline_db_pool_connections', { shard: '0', node: second.id, state: 'total' })).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('read-your-writes: a read `after` a write always sees it; an LSN the replica cannot reach goes to the primary', async () => {
    let onReplica = 0;
    for (let seq = 1; seq <= 40; seq++) {
      const write = await router.write(0, ({ dataSource }) => dataSource.query("insert into router_writes (writer, seq) values ('ryw', $1)", [seq]));
      const read = await router.read(0, async ({ dataSource }) => (await dataSource.query("select max(seq) as seq from router_writes where writer = 'ryw'"))[0].seq as number, {
        after: write.lsn,
      });
      expect(read.value).toBe(seq);
      if (read.role === 'replica') onReplica++;
    }
    // The replica is synchronous and close by: nearly every read is served there, none is stale.
    expect(onReplica).toBeGreaterThan(30);

    const last = await router.write(0, ({ dataSource }) => dataSource.query('select 1'));
    const future = formatLsn(parseLsn(last.lsn) + (1n << 40n));
    const t0 = Date.now();
    const read = await router.read(0, async ({ dataSource }) => inRecovery(dataSource), { after: future, maxWaitMs: 300 });
    const waited = Date.now() - t0;
    expect(read).toEqual({ value: false, node: first.id, role: 'primary' });
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(5000);
  }, 60_000);

  it('exports replica lag from its background probe', async () => {
    const lag = await waitUntil(
      'replica lag metrics for the replica',
      async () => {
        const bytes = await metric('faultline_replica_lag_bytes', { shard: '0', node: second.id });
        const seconds = await metric('faultline_replica_lag_seconds', { shard: '0', node: second.id });
        if (bytes === undefined || seconds === undefined) throw new Error('not probed yet');
        return { bytes, seconds };
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(lag.bytes).toBeGreaterThanOrEqual(0);
    expect(lag.seconds).toBeGreaterThanOrEqual(0);
    // Not for the primary.
    expect(await metric('faultline_replica_lag_bytes', { shard: '0', node: first.id })).toBeUndefined();
    timings.push(`replica lag at rest: ${lag.bytes} bytes, ${lag.seconds} s`);
  }, 30_000);

  it('with the monitor unreachable (blackholed), a new router finds the primary and the replica by probing', async () => {
    const link = appLink(monitor.id);
    link.mode = 'blackhole';
    try {
      const fresh = makeRouter({ probeIntervalMs: 0 });
      const t0 = Date.now();
      const write = await fresh.write(0, async ({ dataSource }) => inRecovery(dataSource));
      const elapsed = Date.now() - t0;
      expect(write).toMatchObject({ node: first.id, value: false });
      expect(fresh.currentPrimary(0)).toBe(first.id);
      expect(logs.some((l) => /the monitor cannot be asked/.test(l))).toBe(true);
      expect(logs.some((l) => new RegExp(`primary \\(unknown\\) → ${first.id} by probing the nodes`).test(l))).toBe(true);
      // connect timeout (1 s) to give up on the monitor, then one round of probes.
      expect(elapsed).toBeLessThan(5000);
      const read = await fresh.read(0, async ({ dataSource }) => inRecovery(dataSource));
      expect(read).toEqual({ value: true, node: second.id, role: 'replica' });
      timings.push(`monitor blackholed: a new router's first write committed after ${elapsed} ms (monitor given up, nodes probed)`);
      // The router that knew the primary keeps writing meanwhile.
      expect((await router.write(0, async () => 1)).node).toBe(first.id);
      await fresh.close();
    } finally {
      link.mode = 'forward';
      link.reset();
    }
  }, 60_000);

  it('a blackholed replica does not hang reads: they time out once, then go to the primary until it answers again', async () => {
    expect((await router.read(0, async () => 1)).role).toBe('replica');
    const link = appLink(second.id);
    link.mode = 'blackhole';
    try {
      let t0 = Date.now();
      const firstRead = await router.read(0, async ({ dataSource }) => inRecovery(dataSource));
      const firstMs = Date.now() - t0;
      expect(firstRead).toEqual({ value: false, node: first.id, role: 'primary' });
      // statement timeout 2 s → the query guard closes the connection after 3 s.
      expect(firstMs).toBeLessThan(6000);
      t0 = Date.now();
      const next = await router.read(0, async () => 1);
      const nextMs = Date.now() - t0;
      expect(next.role).toBe('primary');
      expect(nextMs).toBeLessThan(1000);
      timings.push(`replica blackholed: first read on the primary after ${firstMs} ms, the next after ${nextMs} ms`);
    } finally {
      link.mode = 'forward';
      link.reset();
    }
    await waitUntil(
      'reads back on the replica',
      async () => {
        const r = await router.read(0, async () => 1);
        if (r.role !== 'replica') throw new Error(`read on ${r.node}`);
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  }, 60_000);

  it('retries writes through a read-only window (as right after a promotion), and gives up at the deadline with the 25006 as cause', async () => {
    const primaryReadOnly = async () =>
      (await router.read(0, async ({ dataSource }) => (await dataSource.query('show default_transaction_read_only'))[0].default_transaction_read_only as string, { consistency: 'primary' })).value;
    const setReadOnly = async (on: boolean) => {
      await sql(first, on ? 'alter system set default_transaction_read_only = on' : 'alter system reset default_transaction_read_only');
      await sql(first, 'select pg_reload_conf()');
      // Backends apply a reload at their next command: wait until the router's own connections see it.
      await waitUntil(`the primary ${on ? '' : 'not '}read-only for the router`, async () => {
        if ((await primaryReadOnly()) !== (on ? 'on' : 'off')) throw new Error('not yet');
      }, { timeoutMs: 10_000, intervalMs: 20 });
    };
    const insert = (seq: number) => ({ dataSource }: { dataSource: { query: (q: string, p: unknown[]) => Promise<unknown> } }) =>
      dataSource.query("insert into router_writes (writer, seq) values ('read-only-window', $1) on conflict do nothing", [seq]);

    let pending: Promise<{ node: string; attempts: number }> | undefined;
    try {
      await setReadOnly(true);
      const t0 = Date.now();
      const error = await router.write(0, insert(1), { deadlineMs: 500 }).catch((e: unknown) => e);
      expect(isShardUnavailableError(error)).toBe(true);
      const unavailable = error as ShardUnavailableError;
      expect(unavailable).toMatchObject({ shardId: 0, operation: 'write' });
      expect(unavailable.attempts).toBeGreaterThan(1);
      expect(sqlStateOf(unavailable.cause)).toBe('25006');
      expect(Date.now() - t0).toBeLessThan(5000);
      // The last attempt left the primary unknown, to be rediscovered.
      expect(router.currentPrimary(0)).toBeUndefined();

      const retriesBefore = (await metric('faultline_shard_write_retries_total', { shard: '0' }))!;
      pending = router.write(0, insert(2), { deadlineMs: 20_000 });
      await waitUntil('a few retries of the pending write', async () => {
        if ((await metric('faultline_shard_write_retries_total', { shard: '0' }))! < retriesBefore + 3) throw new Error('not yet');
      }, { timeoutMs: 10_000, intervalMs: 10 });
    } finally {
      await setReadOnly(false);
    }
    const done = await pending!;
    expect(done.node).toBe(first.id);
    expect(done.attempts).toBeGreaterThan(3);
    // The monitor names the same node all along: rediscovery finds it again.
    expect(router.currentPrimary(0)).toBe(first.id);
    expect((await sql<{ seq: number }>(first, "select seq from router_writes where writer = 'read-only-window' order by seq")).map((r) => r.seq)).toEqual([2]);
  }, 60_000);

  it('SIGKILL of the primary: continuous writes resume on the new primary within the deadline, nothing acknowledged is lost', async () => {
    await settledPair(first, second);
    const rediscoveriesBefore = (await metric('faultline_shard_rediscoveries_total', { shard: '0' })) ?? 0;
    const retriesBefore = (await metric('faultline_shard_write_retries_total', { shard: '0' })) ?? 0;
    expect(router.currentPrimary(0)).toBe(first.id);

    interface Ack {
      readonly writer: string;
      readonly seq: number;
      readonly node: string;
      readonly at: number;
      readonly attempts: number;
    }
    const acks: Ack[] = [];
    const failures: unknown[] = [];
    const stop = { stopped: false };
    const writer = async (name: string) => {
      for (let seq = 1; !stop.stopped; seq++) {
        try {
          // Idempotent: a retry after an ambiguous failure does not write twice.
          const r = await router.write(
            0,
            ({ dataSource }) => dataSource.query('insert into router_writes (writer, seq) values ($1, $2) on conflict (writer, seq) do nothing', [name, seq]),
            { deadlineMs: WRITER_DEADLINE_MS },
          );
          acks.push({ writer: name, seq, node: r.node, at: Date.now(), attempts: r.attempts });
        } catch (error) {
          failures.push(error);
        }
        await new Promise((r) => setTimeout(r, 10)); // pacing, not waiting for anything
      }
    };
    const writers = [writer('failover-1'), writer('failover-2')];
    try {
      await waitUntil('writes flowing', async () => {
        if (acks.length < 10) throw new Error(`${acks.length} acks`);
      }, { timeoutMs: 15_000, intervalMs: 20 });

      const killed = killPostgresNode(running.get(first.id)!);
      running.delete(first.id);
      firstKilled = killed;
      const t0 = killed.killedAt;
      expect(killed.processes.length).toBeGreaterThan(3);

      // Independently of the router: when the monitor names the new primary, and when it first takes a write.
      const monitorNamed = waitUntil(
        'the monitor names the new primary',
        async () => {
          const p = await currentPrimary(ctx, 0, { timeoutMs: 500 });
          if (p?.id !== second.id) throw new Error(`the monitor names ${p?.id ?? 'no'} primary`);
          return Date.now() - t0;
        },
        { timeoutMs: 30_000, intervalMs: 25 },
      );
      const writable = waitUntil(
        'the new primary takes a write',
        async () => {
          await sql(second, 'insert into writability_probe default values');
          return Date.now() - t0;
        },
        { timeoutMs: 30_000, intervalMs: 25 },
      );
      const routerFirst = await waitUntil(
        'a write acknowledged by the new primary',
        async () => {
          const ack = acks.find((a) => a.node === second.id);
          if (!ack) throw new Error(`last ack from ${acks.at(-1)?.node}`);
          return ack;
        },
        { timeoutMs: WRITER_DEADLINE_MS, intervalMs: 10 },
      );
      const [namedMs, writableMs] = await Promise.all([monitorNamed, writable]);
      const routerMs = routerFirst.at - t0;
      const pickupMs = routerMs - writableMs;
      timings.push(
        `failover ${first.id} → ${second.id} after SIGKILL: monitor names it at +${namedMs} ms, it takes writes at +${writableMs} ms, ` +
          `the router's first write committed at +${routerMs} ms (pickup ${pickupMs} ms after writable; that write took ${routerFirst.attempts} attempts)`,
      );
      // A few more acks on the new primary, then stop.
      const acked = acks.length;
      await waitUntil('more writes on the new primary', async () => {
        if (acks.length < acked + 10) throw new Error(`${acks.length - acked} more`);
      }, { timeoutMs: 15_000, intervalMs: 20 });
      stop.stopped = true;
      await Promise.all(writers);

      expect(failures).toEqual([]);
      expect(pickupMs).toBeLessThanOrEqual(PICKUP_BUDGET_MS);
      expect(routerFirst.attempts).toBeGreaterThan(1);
      expect(router.currentPrimary(0)).toBe(second.id);
      expect(acks.filter((a) => a.at > routerFirst.at).every((a) => a.node === second.id)).toBe(true);
      expect(await metric('faultline_shard_rediscoveries_total', { shard: '0' })).toBeGreaterThan(rediscoveriesBefore);
      expect(await metric('faultline_shard_write_retries_total', { shard: '0' })).toBeGreaterThan(retriesBefore);
      expect(await metric('faultline_shard_primary_info', { shard: '0', node: second.id })).toBe(1);
      expect(await metric('faultline_shard_primary_info', { shard: '0', node: first.id })).toBe(0);

      // Every acknowledged write is on the new primary (synchronous replication: acknowledged = on the standby).
      const rows = await sql<{ writer: string; seq: number }>(second, "select writer, seq from router_writes where writer like 'failover-%'");
      const stored = new Set(rows.map((r) => `${r.writer}/${r.seq}`));
      const lost = acks.filter((a) => !stored.has(`${a.writer}/${a.seq}`));
      expect(lost).toEqual([]);

      // With its only replica dead, reads go to the new primary.
      expect(await router.read(0, async ({ dataSource }) => inRecovery(dataSource))).toEqual({ value: false, node: second.id, role: 'primary' });
    } finally {
      stop.stopped = true;
      await Promise.allSettled(writers);
    }
  }, 120_000);

  it('the old primary, restarted, rejoins as a replica and reads go to it again', async () => {
    expect(firstKilled).toBeDefined();
    await waitForPostgresNodeGone(firstKilled!, 15_000);
    expect(await start(first)).toBe('secondary');
    const t0 = Date.now();
    const read = await waitUntil(
      `a read served by ${first.id}`,
      async () => {
        const r = await router.read(0, async ({ dataSource }) => inRecovery(dataSource));
        if (r.node !== first.id) throw new Error(`read on ${r.node} (${r.role})`);
        return r;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(read).toEqual({ value: true, node: first.id, role: 'replica' });
    timings.push(`${first.id} back as a replica: first read served by it ${Date.now() - t0} ms after it was healthy`);
    const write = await router.write(0, async ({ dataSource }) => inRecovery(dataSource));
    expect(write).toMatchObject({ node: second.id, value: false });
    const after = await router.read(0, async ({ dataSource }) => (await dataSource.query('select count(*)::int as n from router_writes'))[0].n as number, { after: write.lsn });
    expect(after.node).toBe(first.id);
    expect(after.value).toBeGreaterThan(40);
  }, 120_000);
});
