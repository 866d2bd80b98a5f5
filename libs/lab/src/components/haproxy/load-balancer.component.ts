import type { ComponentRunner } from '../component-runner.js';
import { GATEWAYS_BACKEND, loadBalancerConfig } from './haproxy.config.js';
import { haproxyRunner } from './haproxy-runner.js';

export { backendStates, type BackendServerState } from './haproxy-stats.js';

/** A DC's load balancer (HAProxy) over the DC's gateways; see `loadBalancerConfig`. */
export const loadBalancerRunner: ComponentRunner = haproxyRunner('load-balancer', loadBalancerConfig, (servers) => {
  const gateways = servers.filter((s) => s.backend === GATEWAYS_BACKEND);
  const down = gateways.filter((s) => !s.up).map((s) => s.server);
  return `${gateways.length - down.length}/${gateways.length} gateways up${down.length ? ` (down: ${down.join(', ')})` : ''}`;
});
