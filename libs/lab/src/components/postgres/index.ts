export { postgresMonitorRunner } from './postgres-monitor.component.js';
export { postgresNodeRunner, registeredAddress, keeperMonitorUri } from './postgres-node.component.js';
export {
  queryPostgresNodes,
  postgresRoles,
  postgresNodeState,
  currentPrimary,
  postgresStartOrder,
  likelyPrimary,
  compareLsn,
  componentAtRegisteredAddress,
  describeState,
  isSettled,
  type PostgresNodeState,
  type RolesContext,
} from './postgres-roles.js';
export { killPostgresNode, waitForPostgresNodeGone, stopPostgresNode, nodeProcessTree, type KilledPostgresNode } from './kill-postgres-node.js';
export { pgLayout, pgLayoutIn, describeKeeperFiles, pgEnv, pgBinDir, APP_DATABASE, MONITOR_DATABASE, MONITOR_ROLE, PG_SUPERUSER, type PgLayout } from './postgres-instance.js';
export { memorySettings, monitorFailoverSettings, keeperSettings, replicationSettings, loggingSettings } from './postgres-settings.js';
