/**
 * The settings every Postgres instance of the lab runs with. pg_auto_failover tunes memory to the whole
 * machine (shared_buffers = 25 % of RAM, wal_keep_size 8 GB) on every instance; these lines come later
 * in postgresql.conf (see `FAULTLINE_CONF`) and win.
 */
export const memorySettings: Readonly<Record<string, string | number>> = {
  shared_buffers: '32MB',
  effective_cache_size: '256MB',
  work_mem: '4MB',
  maintenance_work_mem: '32MB',
  wal_buffers: '1MB',
  wal_keep_size: '256MB',
  max_wal_size: '256MB',
  min_wal_size: '64MB',
  autovacuum_max_workers: 2,
  max_connections: 100,
};

/**
 * Postgres's own log: pg_autoctl sends the server's stderr to PGDATA/startup.log (truncated at each
 * start), so the logging collector writes one file per instance, `<home>/log/postgresql.log`, outside
 * PGDATA (a base backup or pg_rewind would otherwise copy one node's log into another), never rotated.
 */
export const loggingSettings: Readonly<Record<string, string | number>> = {
  logging_collector: 'on',
  log_destination: 'stderr',
  // Relative to PGDATA, so that it names each node's own folder in the config a standby inherits.
  log_directory: '../log',
  log_filename: 'postgresql.log',
  log_rotation_age: 0,
  log_rotation_size: 0,
  log_truncate_on_rotation: 'off',
  log_line_prefix: '%m [%p] %q%u@%d ',
};

/**
 * A standby retries its primary every 500 ms instead of every 5 s, so that a primary restarted in place
 * is followed again at once (see postgres-ha.md, trap 8).
 */
export const replicationSettings: Readonly<Record<string, string | number>> = {
  wal_retrieve_retry_interval: '500ms',
  // No pacing of checkpoints. A paced ("spread") checkpoint sleeps between buffer writes while it is
  // ahead of schedule, so a few hundred dirty buffers take seconds: the one a promoted standby starts
  // at the end of recovery delays pg_autoctl's promotion (≈ 1 s per failover), and the one
  // pg_basebackup asks for on a busy primary delays a new standby by minutes. The lab's data is tiny.
  checkpoint_completion_target: 0,
};

/**
 * The failover monitor's timing. With the defaults a dead primary is replaced after ≈ 51 s. With these:
 * health checks every 0.5 s (1 s to answer, one retry 0.1 s later); a node that fails them and whose
 * keeper has not reported for 0.5 s is unhealthy (the keeper reports about once a second, so the failed
 * health checks are what guards against false alarms); a primary that cannot be reached to demote is
 * given up after 1 s; the standby is then promoted — ≈ 2.5–3 s from SIGKILL to the first committed
 * write on a quiet machine, 4–6 s when its CPUs are saturated (measured here). Most of it is
 * pg_autoctl's own once-a-second loops. Startup grace stays short so that chaos soon after `up` counts.
 */
export const monitorFailoverSettings: Readonly<Record<string, number>> = {
  'pgautofailover.health_check_period': 500,
  'pgautofailover.health_check_timeout': 1000,
  'pgautofailover.health_check_max_retries': 1,
  'pgautofailover.health_check_retry_delay': 100,
  'pgautofailover.node_considered_unhealthy_timeout': 500,
  'pgautofailover.primary_demote_timeout': 1000,
  'pgautofailover.startup_grace_period': 3000,
};

/**
 * The keepers' own settings (pg_autoctl.cfg; timeouts in seconds). A primary cut off from the monitor
 * and from every standby demotes itself after `network_partition_timeout`: it must stay below the
 * monitor's unhealthy + demote timeouts (1.5 s), or a partitioned old primary could still accept writes
 * after a new one was promoted (synchronous replication makes its commits wait anyway once the standby
 * stops replicating). A promoted standby waits at most `prepare_promotion_walreceiver` for its
 * WAL receiver to stop.
 */
export const keeperSettings: Readonly<Record<string, string>> = {
  'timeout.network_partition_timeout': '1',
  'timeout.prepare_promotion_walreceiver': '2',
  'ssl.active': '0',
  'ssl.sslmode': 'disable',
};
