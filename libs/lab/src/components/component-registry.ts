import type { ComponentKind } from '#libs/topology';
import { gatewayRunner, mediaRunner, userRunner, workerRunner } from './app/app.component.js';
import type { ComponentRunner } from './component-runner.js';
import { faultProxyRunner } from './fault-proxy/fault-proxy.component.js';

const runners: Partial<Record<ComponentKind, ComponentRunner>> = {
  'fault-proxy': faultProxyRunner,
  gateway: gatewayRunner,
  user: userRunner,
  media: mediaRunner,
  worker: workerRunner,
};

export function runnerFor(kind: ComponentKind): ComponentRunner {
  const runner = runners[kind];
  if (!runner) throw new Error(`no runner for component kind "${kind}"`);
  return runner;
}
