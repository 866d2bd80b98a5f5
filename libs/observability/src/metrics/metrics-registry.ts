import { collectDefaultMetrics, Registry } from 'prom-client';
import type { InstanceIdentity } from '../instance-identity.js';

/**
 * A registry per application instead of prom-client's global one: tests boot several apps in one
 * process, and each must report its own labels and counts.
 */
export function createMetricsRegistry(identity: InstanceIdentity): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: identity.app, instance: identity.instanceId, dc: identity.dc });
  collectDefaultMetrics({ register: registry });
  return registry;
}
