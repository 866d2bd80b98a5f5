import type { TopologySpecInput } from '../topology.spec-schema.js';

export const minimalProfile: TopologySpecInput = {
  name: 'minimal',
  description: 'One data center: one shard (primary + replica), a load balancer over 2 gateways, user, media, worker, Redis, NATS and a CDN edge.',
  dataCenters: [{ id: 'dc-a', region: 'eu', gateways: 2, user: 1, media: 1, worker: 1 }],
  shards: [{ primary: 'dc-a', replicas: ['dc-a'] }],
};
