export { labPaths, DEFAULT_STATE_DIR, type LabPaths } from './lab-paths.js';
export { labUp, labContextFor, entrypointUrlOf, faultProxyUrlOf, type UpOptions, type UpResult } from './lab-up.js';
export { labDown, stopLab, busyAddresses, type DownResult } from './lab-down.js';
export { labStatus, type LabStatus, type ComponentStatus, type LinkStatus } from './lab-status.js';
export { readLabState, type LabState, type RecordedProcess } from './lab-state.js';
export { runDoctor, requiredPackages, type DoctorCheck } from './doctor.js';
export { type LabProgress, type LabProgressEvent, silentProgress } from './lab-progress.js';
export { LabAlreadyRunningError, ComponentStartError } from './lab.errors.js';
export { LabBusyError } from './process/lab-lock.js';
export type { LabContext } from './lab-context.js';
export type { ComponentRunner, ComponentHealth, ProcessLaunch } from './components/component-runner.js';
export {
  killComponent,
  signalComponent,
  restartComponent,
  stopComponent,
  componentRunning,
  runningLabState,
  UnknownComponentError,
  LabNotRunningError,
  isUnknownComponentError,
  isLabNotRunningError,
  type KilledComponent,
  type StoppedComponent,
} from './component-control.js';
export { isAlive, readStartTime, type ProcessIdentity } from './process/process-identity.js';
export { pgQuery } from './readiness/pg-query.js';
export { APP_DATABASE, MONITOR_DATABASE } from './components/postgres/index.js';
// --- for the dashboard (apps/dashboard): the admin token and the CDN edges' cache counts ---
export { labSecret } from './lab-secret.js';
export { readEdgeCacheStats, renderEdgeCacheMetrics, type EdgeCacheStats } from './components/nginx/edge-cache-stats.js';
export { edgeFiles } from './components/nginx/nginx.config.js';
export { dashboardProcessArgs } from './components/dashboard/dashboard.component.js';
// --- end dashboard ---
