// The dashboard (issue 7): a web page on loopback showing SLOs, the topology with live health and faults,
// live charts with fault windows, experiment runs, and workshop controls. The process entry is main.ts; `faultline dashboard` runs it.
export { startDashboardServer, type DashboardServer, type DashboardServerOptions } from './http/dashboard.server.js';
export type { DashboardSnapshot } from './domain/snapshot.model.js';
