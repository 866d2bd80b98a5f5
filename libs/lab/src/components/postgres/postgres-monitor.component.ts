import { rmSync } from 'node:fs';
import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { pgQuery } from '../../readiness/pg-query.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import {
  assertSamePort,
  ensurePgFolders,
  errorText,
  hasPgData,
  initdb,
  isCreated,
  markCreated,
  MONITOR_DATABASE,
  PG_AUTOCTL,
  PG_SUPERUSER,
  pgCtlPath,
  pgEnv,
  pgLayout,
  pgOsUser,
  runPg,
  writePgConfig,
  applyAutoctlConfig,
} from './postgres-instance.js';
import { loggingSettings, memorySettings, monitorFailoverSettings } from './postgres-settings.js';

const monitorSettings = { ...memorySettings, ...loggingSettings, ...monitorFailoverSettings };

/**
 * The pg_auto_failover monitor: one for the whole lab, one formation per shard on it (each shard's first
 * node creates its formation). It listens on 127.0.0.1 at its own port; keepers reach it through their
 * `<node>->monitor` links.
 */
export const postgresMonitorRunner: ComponentRunner = {
  kind: 'postgres-monitor',

  async prepare(monitor: Component, ctx: LabContext): Promise<void> {
    const layout = pgLayout(monitor, ctx);
    await ensurePgFolders(ctx, layout, monitor.port);
    if (isCreated(layout)) {
      assertSamePort(layout, monitor);
      writePgConfig(ctx, layout, monitorSettings);
      await applyAutoctlConfig(ctx, layout, monitor.port, { 'postgresql.listen_addresses': monitor.host });
      return;
    }
    // Nothing worth keeping: a monitor whose creation did not finish has no nodes yet.
    for (const dir of [layout.pgdata, layout.xdgConfigHome, layout.xdgDataHome]) rmSync(dir, { recursive: true, force: true });
    await ensurePgFolders(ctx, layout, monitor.port);
    await initdb(ctx, layout, monitor.port);
    writePgConfig(ctx, layout, monitorSettings);
    await runPg(ctx, layout, monitor.port, PG_AUTOCTL, [
      'create',
      'monitor',
      '--pgdata',
      layout.pgdata,
      '--pgctl',
      pgCtlPath(),
      '--pgport',
      String(monitor.port),
      '--hostname',
      monitor.host,
      // Accepted though not in --help; without it the monitor listens on '*'.
      '--listen',
      monitor.host,
      '--skip-pg-hba',
      '--no-ssl',
      '--ssl-mode',
      'disable',
    ]);
    if (hasPgData(layout)) markCreated(ctx, layout);
  },

  launch(monitor: Component, ctx: LabContext): ProcessLaunch {
    const layout = pgLayout(monitor, ctx);
    const user = pgOsUser(ctx);
    return {
      command: PG_AUTOCTL,
      args: ['run', '--pgdata', layout.pgdata],
      env: pgEnv(layout, monitor.port),
      cwd: layout.home,
      ...(user ? { user } : {}),
      stopSignal: 'SIGTERM',
    };
  },

  async check(monitor: Component, _ctx: LabContext): Promise<ComponentHealth> {
    try {
      const rows = await pgQuery<{ version: string | null; nodes: string; formations: string }>(
        { host: monitor.host, port: monitor.port, user: PG_SUPERUSER, database: MONITOR_DATABASE },
        `select (select extversion from pg_extension where extname = 'pgautofailover') as version,
                (select count(*) from pgautofailover.node) as nodes,
                (select count(*) from pgautofailover.formation where formationid <> 'default') as formations`,
        { timeoutMs: 1500 },
      );
      const row = rows[0];
      if (!row?.version) return { healthy: false, detail: 'the pgautofailover extension is not installed yet' };
      return { healthy: true, detail: `pgautofailover ${row.version}: ${row.formations} formation(s), ${row.nodes} node(s)` };
    } catch (error) {
      return { healthy: false, detail: errorText(error) };
    }
  },
};
