import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, Link } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { pgQuery } from '../../readiness/pg-query.js';
import { tcpOpen } from '../../readiness/tcp-exchange.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import {
  APP_DATABASE,
  applyAutoctlConfig,
  assertSamePort,
  describeKeeperFiles,
  ensurePgFolders,
  errorText,
  hasPgData,
  initdb,
  isKeeperCreated,
  MONITOR_DATABASE,
  MONITOR_ROLE,
  monitorOf,
  PG_AUTOCTL,
  PG_SUPERUSER,
  pgCtlPath,
  pgEnv,
  pgLayout,
  pgOsUser,
  runPg,
  writeAutoctlConfig,
  writePgConfig,
  type PgLayout,
} from './postgres-instance.js';
import { describeState, postgresNodeState, queryPostgresNodes } from './postgres-roles.js';
import { keeperSettings, loggingSettings, memorySettings, replicationSettings } from './postgres-settings.js';

const formationOf = (node: Component, ctx: LabContext): string => {
  if (node.shard === undefined) throw new Error(`${node.id} has no shard`);
  const shard = ctx.topology.shards[node.shard];
  if (!shard) throw new Error(`${node.id}'s shard ${node.shard} is not in the topology`);
  return shard.formation;
};

/**
 * The address a node registers with the monitor: its peer-ingress proxy (127.0.0.1 at the node's own
 * port number), so that replication and the monitor's health checks run through the fault proxy while
 * Postgres itself listens on 127.0.0.2 only.
 */
export function registeredAddress(node: Component, ctx: LabContext): Link['listen'] {
  const ingress = ctx.link(`${formationOf(node, ctx)}.peers`, node.id);
  if (ingress.listen.port !== node.port) {
    throw new Error(`${node.id}: its peer ingress ${ingress.name} listens on port ${ingress.listen.port}, not on the node's own port ${node.port}`);
  }
  return ingress.listen;
}

/** The monitor URI a node's keeper uses: through the node's `<node>->monitor` link. */
export function keeperMonitorUri(node: Component, ctx: LabContext): string {
  const link = ctx.link(node.id, monitorOf(ctx.topology).id);
  return `postgres://${MONITOR_ROLE}@${link.listen.host}:${link.listen.port}/${MONITOR_DATABASE}?sslmode=disable`;
}

/** The lab itself (not a keeper) talks to the monitor at its own address. */
const monitorQuery = <Row extends Record<string, unknown>>(ctx: LabContext, sql: string, params: unknown[]): Promise<Row[]> => {
  const monitor = monitorOf(ctx.topology);
  return pgQuery<Row>({ host: monitor.host, port: monitor.port, user: PG_SUPERUSER, database: MONITOR_DATABASE }, sql, { params, timeoutMs: 5000 });
};

async function ensureFormation(ctx: LabContext, layout: PgLayout, node: Component, formation: string): Promise<void> {
  const exists = async () =>
    (await monitorQuery(ctx, 'select 1 from pgautofailover.formation where formationid = $1', [formation])).length > 0;
  if (await exists()) return;
  try {
    await runPg(ctx, layout, node.port, PG_AUTOCTL, [
      'create',
      'formation',
      '--monitor',
      keeperMonitorUri(node, ctx),
      '--formation',
      formation,
      '--kind',
      'pgsql',
      '--dbname',
      APP_DATABASE,
      '--enable-secondary',
    ]);
  } catch (error) {
    if (!(await exists())) throw error; // else created concurrently: fine
  }
}

/** The monitor's registrations of this node: by its registered address, or by its name in its formation. */
const registrationsOf = (ctx: LabContext, node: Component, formation: string) => {
  const address = registeredAddress(node, ctx);
  return monitorQuery<{ nodeid: number; reportedstate: string; goalstate: string }>(
    ctx,
    `select nodeid::int as nodeid, reportedstate::text as reportedstate, goalstate::text as goalstate from pgautofailover.node
      where (nodehost = $1 and nodeport = $2) or (formationid = $3 and nodename = $4)`,
    [address.host, address.port, formation, node.id],
  );
};

/**
 * A node whose data is gone but that the monitor still knows (data removed by hand, or a `create` that
 * failed before writing its state) would be refused by the monitor: forget it there first.
 */
async function forgetStaleRegistration(ctx: LabContext, layout: PgLayout, node: Component, formation: string): Promise<void> {
  for (const { nodeid } of await registrationsOf(ctx, node, formation)) {
    appendFileSync(layout.logFile, `faultline: ${node.id} has no data but the monitor knows it as node ${nodeid}: removing that registration\n`);
    await monitorQuery(ctx, 'select pgautofailover.remove_node($1::bigint, true)', [nodeid]);
  }
}

/**
 * Before a node of an existing shard starts: every other node of its shard that is down must be known
 * down by the monitor. A keeper's first report says "Postgres not running" (it starts Postgres right
 * after), which makes the monitor fail the node over at once if it sees a healthy candidate — and a
 * node stopped moments before the monitor was may still have a good health record. A failover towards a
 * node that is not running blocks the shard. The monitor's health checks (every 0.5 s) catch up within
 * a second or two; wait for that, at most 5 s.
 */
async function awaitStoppedPeersKnownDown(ctx: LabContext, layout: PgLayout, node: Component): Promise<void> {
  const formation = formationOf(node, ctx);
  const deadline = Date.now() + 5000;
  for (;;) {
    const peers = (await queryPostgresNodes(ctx, { formations: [formation], withPrimary: false })).filter(
      (n) => n.componentId !== null && n.componentId !== node.id && n.health !== 'bad' && n.pgIsRunning,
    );
    const believedUp: string[] = [];
    for (const peer of peers) {
      const c = ctx.component(peer.componentId!);
      const up = await tcpOpen(c.host, c.port, 300).then(
        () => true,
        () => false,
      );
      if (!up) believedUp.push(peer.componentId!);
    }
    if (believedUp.length === 0) return;
    if (Date.now() > deadline) {
      appendFileSync(layout.logFile, `faultline: the monitor still believes ${believedUp.join(', ')} healthy though not running; starting ${node.id} anyway\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const nodeSettings = { ...memorySettings, ...loggingSettings, ...replicationSettings };

/** Everything pg_autoctl.cfg should say for this node; written before `create`, enforced on every start. */
function keeperConfig(node: Component, ctx: LabContext, layout: PgLayout): Record<string, string> {
  return {
    'pg_autoctl.role': 'keeper',
    'pg_autoctl.monitor': keeperMonitorUri(node, ctx),
    'pg_autoctl.formation': formationOf(node, ctx),
    // The only group of a pgsql formation, which the monitor assigns anyway. Without it here, a process
    // started as `create … --run` keeps group -1 in memory for its whole life (pg_autoctl writes the
    // assigned group to this file, not to its own memory), and its supervisor restarts a dead node-active
    // service by re-running `create`: that looks the node up in group -1, finds nothing, takes it for
    // dropped and registers it again — which fails, and pg_autoctl then deletes the keeper's state file.
    // With group 0 the re-run finds the node and goes on as node-active.
    'pg_autoctl.group': '0',
    'pg_autoctl.name': node.id,
    'pg_autoctl.hostname': registeredAddress(node, ctx).host,
    'pg_autoctl.nodekind': 'standalone',
    'postgresql.pgdata': layout.pgdata,
    'postgresql.pg_ctl': pgCtlPath(),
    'postgresql.username': PG_SUPERUSER,
    'postgresql.dbname': APP_DATABASE,
    'postgresql.host': layout.socketDir,
    'postgresql.port': String(node.port),
    'postgresql.listen_addresses': node.host,
    'postgresql.auth_method': 'trust',
    'postgresql.hba_level': 'skip',
    ...keeperSettings,
  };
}

/** Only what may change between starts of an existing node (a different topology file, new tuning). */
const refreshedKeys = ['pg_autoctl.monitor', 'postgresql.listen_addresses', ...Object.keys(keeperSettings)];

function createArgs(node: Component, ctx: LabContext, layout: PgLayout): string[] {
  return [
    'create',
    'postgres',
    '--pgdata',
    layout.pgdata,
    '--pgctl',
    pgCtlPath(),
    '--pgport',
    String(node.port),
    '--listen',
    node.host,
    '--hostname',
    registeredAddress(node, ctx).host,
    '--name',
    node.id,
    '--formation',
    formationOf(node, ctx),
    '--dbname',
    APP_DATABASE,
    '--monitor',
    keeperMonitorUri(node, ctx),
    '--skip-pg-hba',
    '--no-ssl',
    '--ssl-mode',
    'disable',
  ];
}

/**
 * A pg_auto_failover keeper and its Postgres, one per shard node. The shard's first node starts from our
 * own initdb (socket dir and settings in place before pg_autoctl starts Postgres) and registers as
 * `single`; the others register as standbys and are cloned from the primary by pg_autoctl (base backup
 * through the primary's ingress proxy), inheriting its config files.
 *
 * A new node is created by the long-running process itself (`pg_autoctl create postgres … --run`):
 * `create` alone stops Postgres when done and `run` starts it again, which costs 2–3 s per node.
 * `prepare` does everything before that (folders, formation, initdb, config files, pg_autoctl.cfg with
 * the keeper's timeouts); an interrupted `create` resumes at the next launch.
 */
export const postgresNodeRunner: ComponentRunner = {
  kind: 'postgres',

  async prepare(node: Component, ctx: LabContext): Promise<void> {
    const layout = pgLayout(node, ctx);
    const formation = formationOf(node, ctx);
    await ensurePgFolders(ctx, layout, node.port);
    // One line per start: what a failed start is explained by (postgres-ha.md; `faultline logs <node>`).
    appendFileSync(layout.logFile, `faultline: preparing ${node.id}; keeper files: ${describeKeeperFiles(layout)}\n`);

    if (isKeeperCreated(layout) && hasPgData(layout)) {
      assertSamePort(layout, node);
      writePgConfig(ctx, layout, nodeSettings);
      const wanted = keeperConfig(node, ctx, layout);
      await applyAutoctlConfig(ctx, layout, node.port, Object.fromEntries(refreshedKeys.map((k) => [k, wanted[k]!])));
      await awaitStoppedPeersKnownDown(ctx, layout, node);
      return;
    }

    await ensureFormation(ctx, layout, node, formation);
    if (existsSync(layout.keeperInit) && existsSync(layout.keeperState) && existsSync(layout.autoctlConfig)) {
      // A `create` interrupted after registering: the next launch resumes it with the same config.
      if (hasPgData(layout)) writePgConfig(ctx, layout, nodeSettings);
      return;
    }
    // Past this point the node is created afresh: its data, pg_autoctl's files and its registration go.
    // Never for a cluster the monitor still has as a member (its keeper state was lost, not its data):
    // wiping it would lose a primary's writes, and removing a primary's registration fails the shard over.
    if (hasPgData(layout)) {
      const registered = await registrationsOf(ctx, node, formation);
      if (registered.length > 0) {
        const known = registered.map((r) => `node ${r.nodeid} (${describeState(r.reportedstate, r.goalstate)})`).join(', ');
        const message =
          `${node.id} has a Postgres cluster in ${layout.pgdata} and the monitor has it as ${known}, but pg_autoctl's keeper state is gone ` +
          `(${describeKeeperFiles(layout)}): faultline does not wipe a registered node's data. ` +
          `Remove the lab's data (faultline down --purge) to start afresh.`;
        appendFileSync(layout.logFile, `faultline: ${message}\n`);
        throw new Error(message);
      }
    }
    for (const dir of [layout.pgdata, join(layout.home, 'backup'), layout.xdgConfigHome, layout.xdgDataHome]) rmSync(dir, { recursive: true, force: true });
    await ensurePgFolders(ctx, layout, node.port);
    await forgetStaleRegistration(ctx, layout, node, formation);
    const others = await monitorQuery(ctx, 'select 1 from pgautofailover.node where formationid = $1', [formation]);
    if (others.length === 0) {
      // First node of its formation: it will initialize as `single`. pg_autoctl's own initdb would put
      // the sockets in /var/run/postgresql; ours has the socket dir and the memory settings in place.
      await initdb(ctx, layout, node.port);
      writePgConfig(ctx, layout, nodeSettings);
    }
    writeAutoctlConfig(ctx, layout, keeperConfig(node, ctx, layout));
  },

  launch(node: Component, ctx: LabContext): ProcessLaunch {
    const layout = pgLayout(node, ctx);
    const user = pgOsUser(ctx);
    return {
      command: PG_AUTOCTL,
      args: isKeeperCreated(layout) ? ['run', '--pgdata', layout.pgdata] : [...createArgs(node, ctx, layout), '--run'],
      env: pgEnv(layout, node.port),
      cwd: layout.home,
      ...(user ? { user } : {}),
      stopSignal: 'SIGTERM',
    };
  },

  /**
   * Healthy = Postgres answers a query at its own address (127.0.0.2:<port>) AND the monitor reports the
   * node settled (single, wait_primary, primary or secondary, see `isSettled`), from a report made since
   * this Postgres started (right after a restart the monitor still shows the state from before it), and
   * consistent with what Postgres says about recovery. `role` and `detail` are the node's role and state
   * as the monitor has them — or, when the monitor cannot be asked, as Postgres itself says (in recovery or not).
   */
  async check(node: Component, ctx: LabContext): Promise<ComponentHealth> {
    let local: { in_recovery: boolean; started: Date };
    try {
      const rows = await pgQuery<{ in_recovery: boolean; started: Date }>(
        { host: node.host, port: node.port, user: PG_SUPERUSER, database: APP_DATABASE },
        'select pg_is_in_recovery() as in_recovery, pg_postmaster_start_time() as started',
        { timeoutMs: 1500 },
      );
      local = rows[0]!;
    } catch (error) {
      return { healthy: false, detail: `no answer at ${node.host}:${node.port}: ${errorText(error)}` };
    }
    let state;
    try {
      state = await postgresNodeState(ctx, node.id, { timeoutMs: 1500 });
    } catch (error) {
      // Without the monitor (killed, partitioned) the node's own word is the only one: a node out of recovery
      // takes writes. The role must still be known then — a chaos experiment kills `primaryOf 0` while the
      // monitor is down — but nobody vouches for the node, so it is not called healthy.
      const role = local.in_recovery ? 'secondary' : 'primary';
      return { healthy: false, role, detail: `the monitor cannot be asked (${errorText(error)}); Postgres says ${role}` };
    }
    if (!state) return { healthy: false, detail: 'not registered with the monitor' };
    // `faultline status` shows this: primary or secondary, else the transitional state (catchingup, …).
    const role = state.role ?? state.reportedState;
    if (!state.pgIsRunning || Date.parse(state.reportedAt) < new Date(local.started).getTime()) {
      return { healthy: false, role, detail: `${state.summary} (not reported since Postgres started)` };
    }
    if (!state.settled) return { healthy: false, role, detail: state.summary };
    const standby = state.reportedState === 'secondary';
    if (local.in_recovery !== standby) {
      return { healthy: false, role, detail: `${state.summary}, but Postgres is ${local.in_recovery ? 'in recovery' : 'not in recovery'}` };
    }
    return { healthy: true, role, detail: state.summary };
  },
};
