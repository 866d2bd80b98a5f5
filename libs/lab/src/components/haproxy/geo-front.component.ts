import type { ComponentRunner } from '../component-runner.js';
import { geoFrontConfig } from './haproxy.config.js';
import { haproxyRunner } from './haproxy-runner.js';

/** The geo front (HAProxy) routing clients to their region's DC; see `geoFrontConfig`. */
export const geoFrontRunner: ComponentRunner = haproxyRunner('geo-front', geoFrontConfig, (servers) => {
  // Each DC's own LB and edge, as checked from here (the backups only mirror them).
  const own = servers.filter((s) => !s.backup);
  return own.map((s) => `${s.server} ${s.up ? 'up' : 'down'}`).join(', ');
});
