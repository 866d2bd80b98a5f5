import type { ComponentKind } from '#libs/topology';
import { gatewayRunner, mediaRunner, userRunner, workerRunner } from './app/app.component.js';
import type { ComponentRunner } from './component-runner.js';
import { dashboardRunner } from './dashboard/dashboard.component.js';
import { faultProxyRunner } from './fault-proxy/fault-proxy.component.js';
import { geoFrontRunner } from './haproxy/geo-front.component.js';
import { loadBalancerRunner } from './haproxy/load-balancer.component.js';
import { natsRunner } from './nats/nats.component.js';
import { cdnEdgeRunner } from './nginx/cdn-edge.component.js';
import { postgresMonitorRunner, postgresNodeRunner } from './postgres/index.js';
import { prometheusRunner } from './prometheus/prometheus.component.js';
import { redisRunner } from './redis/redis.component.js';

const runners: Record<ComponentKind, ComponentRunner> = {
  'fault-proxy': faultProxyRunner,
  'postgres-monitor': postgresMonitorRunner,
  postgres: postgresNodeRunner,
  redis: redisRunner,
  nats: natsRunner,
  'load-balancer': loadBalancerRunner,
  'geo-front': geoFrontRunner,
  'cdn-edge': cdnEdgeRunner,
  gateway: gatewayRunner,
  user: userRunner,
  media: mediaRunner,
  worker: workerRunner,
  prometheus: prometheusRunner,
  dashboard: dashboardRunner,
};

export const runnerFor = (kind: ComponentKind): ComponentRunner => runners[kind];
